import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig, PeriodicJob } from '@aftersales/service-kit';
import { CoverageRetry } from '../../calls/application/coverage-retry.service';
import type { CallIntakeConfig } from '../../config';
import { ReconciliationService } from './reconciliation.service';

/**
 * Drives the scheduled jobs in production: pending coverage and end-of-day reconciliations. Both are
 * idempotent per (job, period), so every replica may run this loop. Tests call the jobs' methods directly.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly job = new PeriodicJob('Scheduler', () => this.tick());

  constructor(
    private readonly coverage: CoverageRetry,
    private readonly reconciliation: ReconciliationService,
    @InjectConfig() private readonly config: CallIntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SCHEDULER_ENABLED) this.job.start(this.config.SCHEDULER_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  async tick(): Promise<void> {
    await this.coverage.runOnce();
    await this.reconciliation.runDue();
  }
}
