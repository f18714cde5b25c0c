import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../auth/decorators';
import { withTimeout } from '../util/timeout';
import { ReadinessChecks } from './readiness';

/** Upper bound per check: a probe that hangs is as bad as one that fails. */
const CHECK_TIMEOUT_MS = 3000;

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly checks: ReadinessChecks,
  ) {}

  /** The process answers: the event loop is not stuck. Restart the pod when this fails. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Every registered dependency really answers. Take the pod out of rotation when this fails. */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response) {
    const indicators = this.checks.entries().map(([name, check]) => async () => {
      const session = this.indicators.check(name);
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS, name);
        return session.up();
      } catch (err) {
        return session.down({ message: (err as Error).message });
      }
    });
    try {
      return await this.health.check(indicators);
    } catch (err) {
      // Terminus reports "down" as a 503 exception; answer with its report, not a generic problem document.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(503);
      return err.getResponse();
    }
  }
}
