import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { RepairCommands } from '../application/repair-commands';
import { RepairQueries, view } from '../application/repair-queries';
import { BranchQueryDto, EscalationDto, PartDto, RescheduleDto, VerifyDto, WorkEntryDto } from './dto';

/** [12][14] Repair cards: work and parts, complete, verify, reschedule; the director's overdue list. */
@Controller('repairs')
export class RepairsController {
  constructor(
    private readonly commands: RepairCommands,
    private readonly queries: RepairQueries,
  ) {}

  /** [14] Repairs of the branch not done by their scheduled date. */
  @Get('overdue')
  @Roles('director', 'manager', 'service-dept', 'deputy-gm')
  overdue(@CurrentUser() user: AuthUser, @Query() query: BranchQueryDto) {
    return this.queries.overdue(user, query.branchId ?? user.branchId);
  }

  @Get(':callId')
  @Roles('clerk', 'director', 'technician', 'manager', 'accountant', 'service-dept', 'deputy-gm', 'integrator')
  get(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    return this.queries.repair(user, callId);
  }

  @Post(':callId/work-entries')
  @HttpCode(201)
  @Roles('technician')
  async logWork(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: WorkEntryDto) {
    return view(await this.commands.logWork(user, callId, body));
  }

  @Post(':callId/parts')
  @HttpCode(201)
  @Roles('technician')
  async logPart(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: PartDto) {
    return view(await this.commands.logPart(user, callId, body));
  }

  @Post(':callId/complete')
  @HttpCode(200)
  @Roles('technician')
  async complete(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    return view(await this.commands.complete(user, callId));
  }

  /** [12] By the same or another technician → repairshop.repair.completed.v1 when it works. */
  @Post(':callId/verify')
  @HttpCode(200)
  @Roles('technician')
  async verify(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: VerifyDto) {
    return view(await this.commands.verify(user, callId, body));
  }

  /** [14] The technician tells the director at once that it cannot be repaired as scheduled → repairshop.repair.overdue.v1. */
  @Post(':callId/escalation')
  @HttpCode(200)
  @Roles('technician')
  async escalate(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: EscalationDto) {
    return view(await this.commands.escalate(user, callId, body));
  }

  @Post(':callId/reschedule')
  @HttpCode(200)
  @Roles('technician', 'director')
  async reschedule(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: RescheduleDto) {
    return view(await this.commands.reschedule(user, callId, body));
  }
}
