import { Controller, Get, Param } from '@nestjs/common';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { RepairQueries } from '../application/repair-queries';

@Controller('pickup-receipts')
export class ReceiptsController {
  constructor(private readonly queries: RepairQueries) {}

  @Get(':receiptNo')
  @Roles('clerk', 'director', 'technician', 'manager', 'accountant', 'service-dept', 'deputy-gm', 'integrator')
  get(@CurrentUser() user: AuthUser, @Param('receiptNo') receiptNo: string) {
    return this.queries.receipt(user, receiptNo);
  }
}
