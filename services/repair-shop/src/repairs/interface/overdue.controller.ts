import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Roles } from '@aftersales/service-kit';
import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { OverdueScheduler } from '../application/overdue-scheduler';
import { RunOverdueDto } from './dto';

/**
 * [14] Operator endpoint: run the overdue check now (or at a past instant, e.g. after an outage). Safe
 * to repeat and to run next to the scheduler: each escalation is raised once.
 */
@Controller('overdue')
export class OverdueController {
  constructor(
    private readonly scheduler: OverdueScheduler,
    private readonly clock: Clock,
  ) {}

  @Post('run')
  @HttpCode(200)
  @Roles('director', 'service-dept')
  run(@Body() body: RunOverdueDto) {
    const now = this.clock.now();
    const at = body.at ? new Date(body.at) : now;
    if (at.getTime() > now.getTime()) {
      throw new ValidationError('Cannot check overdue repairs in the future.', [
        { field: 'at', message: 'must not be after now' },
      ]);
    }
    return this.scheduler.runOnce(at);
  }
}
