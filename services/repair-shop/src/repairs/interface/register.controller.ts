import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { RepairCommands } from '../application/repair-commands';
import { RepairQueries, view } from '../application/repair-queries';
import { CheckInDto, CheckOutDto, RegisterQueryDto } from './dto';

/** [11][12] The product in/out register, kept by the clerk. */
@Controller('register')
export class RegisterController {
  constructor(
    private readonly commands: RepairCommands,
    private readonly queries: RepairQueries,
  ) {}

  /** Log a product IN by its pickup receipt → repairshop.product.checked-in.v1. */
  @Post('check-ins')
  @HttpCode(201)
  @Roles('clerk')
  async checkIn(@CurrentUser() user: AuthUser, @Body() body: CheckInDto) {
    return view(await this.commands.checkIn(user, body));
  }

  /** Log a verified product OUT, recover and void its receipt → repairshop.product.returned.v1. */
  @Post('check-outs')
  @HttpCode(201)
  @Roles('clerk')
  async checkOut(@CurrentUser() user: AuthUser, @Body() body: CheckOutDto) {
    return view(await this.commands.returnProduct(user, body));
  }

  @Get()
  @Roles('clerk', 'director', 'technician', 'manager', 'accountant', 'service-dept', 'deputy-gm', 'integrator')
  list(@CurrentUser() user: AuthUser, @Query() query: RegisterQueryDto) {
    return this.queries.register(user, { ...query, branchId: query.branchId ?? user.branchId });
  }
}
