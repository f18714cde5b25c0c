import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DateTime } from 'luxon';
import { BranchDirectory, InjectConfig } from '@aftersales/service-kit';
import type { BillingConfig } from '../../config';
import { Clock } from '../../shared/clock';
import { ContractsService } from './contracts.service';

/**
 * Drives the [20] expiry job: every BILLING_EXPIRY_INTERVAL_MS, for each branch, on that branch's local date.
 * Running it often is harmless (runExpiry is idempotent per contract term), so several replicas may run it.
 */
@Injectable()
export class ContractExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ContractExpiry');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly contracts: ContractsService,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.BILLING_EXPIRY_INTERVAL_MS === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.BILLING_EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass over every branch, each at its own local date. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const branch of this.branches.all()) {
        const today = DateTime.fromJSDate(this.clock.now()).setZone(branch.timezone).toISODate()!;
        const done = await this.contracts.runExpiry(today, branch.id);
        if (done.noticed.length || done.expired.length)
          this.logger.log({ branchId: branch.id, today, ...done, msg: 'contract expiry run' });
      }
    } catch (err) {
      this.logger.error({ err, msg: 'contract expiry run failed; retried next tick' });
    } finally {
      this.running = false;
    }
  }
}
