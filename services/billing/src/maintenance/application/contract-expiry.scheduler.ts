import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DateTime } from 'luxon';
import { BranchDirectory, InjectConfig, PeriodicJob } from '@aftersales/service-kit';
import type { BillingConfig } from '../../config';
import { Clock } from '../../shared/clock';
import { ContractsService } from './contracts.service';

/**
 * Drives the [20] expiry job: every BILLING_EXPIRY_INTERVAL_MS, for each branch, on that branch's local date.
 * Running it often is harmless (runExpiry is idempotent per contract term), so several replicas may run it.
 */
@Injectable()
export class ContractExpiryScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ContractExpiry');
  private readonly job = new PeriodicJob('ContractExpiry', () => this.tick());

  constructor(
    private readonly contracts: ContractsService,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: BillingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.config.BILLING_EXPIRY_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One pass over every branch, each at its own local date. */
  async tick(): Promise<void> {
    for (const branch of this.branches.all()) {
      const today = DateTime.fromJSDate(this.clock.now()).setZone(branch.timezone).toISODate()!;
      const done = await this.contracts.runExpiry(today, branch.id);
      if (done.noticed.length || done.expired.length)
        this.logger.log({ branchId: branch.id, today, ...done, msg: 'contract expiry run' });
    }
  }
}
