import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig } from '@aftersales/service-kit';
import { CoverageRetry } from '../../calls/application/coverage-retry.service';
import type { CallIntakeConfig } from '../../config';
import { ReconciliationService } from './reconciliation.service';

/**
 * Drives the scheduled jobs in production: pending coverage and end-of-day reconciliations. Both are
 * idempotent per (job, period), so every replica may run this loop. Tests call the jobs' methods directly.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Scheduler.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly coverage: CoverageRetry,
    private readonly reconciliation: ReconciliationService,
    @InjectConfig() private readonly config: CallIntakeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.SCHEDULER_ENABLED) return;
    this.timer = setInterval(() => void this.tick(), this.config.SCHEDULER_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.coverage.runOnce();
      await this.reconciliation.runDue();
    } catch (err) {
      this.logger.warn(`scheduled pass failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
