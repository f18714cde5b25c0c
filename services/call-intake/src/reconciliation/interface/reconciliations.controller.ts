import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { BranchDirectory, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { z } from 'zod';
import { checkBranch, LocalDate } from '../../shared/http';
import { ReconciliationService } from '../application/reconciliation.service';

class ReconciliationParams extends createZodDto(z.object({ branchId: z.string(), businessDate: LocalDate })) {}

@Controller('branches/:branchId/reconciliations')
export class ReconciliationsController {
  constructor(
    private readonly reconciliation: ReconciliationService,
    private readonly branches: BranchDirectory,
  ) {}

  /** [18] Run (or re-run) the reconciliation of a business date; carried-over events are raised once. */
  @Post(':businessDate')
  @HttpCode(200)
  @Roles('clerk', 'director', 'service-dept')
  async run(@CurrentUser() user: AuthUser, @Param() p: ReconciliationParams) {
    checkBranch(this.branches, user, p.branchId);
    return this.reconciliation.run(p.branchId, p.businessDate, user.sub);
  }

  @Get(':businessDate')
  @Roles('clerk', 'director', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  async get(@CurrentUser() user: AuthUser, @Param() p: ReconciliationParams) {
    checkBranch(this.branches, user, p.branchId);
    return this.reconciliation.report(p.branchId, p.businessDate);
  }
}
