import { Injectable, Logger } from '@nestjs/common';
import { InjectConfig } from '@aftersales/service-kit';
import type { CallIntakeConfig } from '../../config';
import { Clock } from '../../shared/clock';
import { CallRepository } from '../infrastructure/call.repository';
import { CallStore } from './call-store';
import { CoveragePort } from './coverage.port';

export interface CoverageRetryResult {
  asked: number;
  resolved: number;
  reclassified: number;
}

/**
 * Scheduled job: asks billing again about provisional calls whose next attempt is due. A call is resolved
 * once (the coverage state is saved with the call's version, so two replicas cannot both reclassify it);
 * when the answer changes the category, `intake.call.reclassified.v1` leaves with the change.
 */
@Injectable()
export class CoverageRetry {
  private readonly logger = new Logger(CoverageRetry.name);

  constructor(
    private readonly repo: CallRepository,
    private readonly store: CallStore,
    private readonly coverage: CoveragePort,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: CallIntakeConfig,
  ) {}

  async runOnce(now: Date = this.clock.now(), limit = 100): Promise<CoverageRetryResult> {
    const due = await this.repo.collection
      .find(
        { coveragePending: true },
        { projection: { _id: 1, coverage: 1, customer: 1, product: 1, businessDate: 1 } },
      )
      .limit(limit * 5)
      .toArray();
    const result: CoverageRetryResult = { asked: 0, resolved: 0, reclassified: 0 };
    for (const doc of due.filter((d) => !d.coverage.nextAttemptAt || d.coverage.nextAttemptAt <= now.toISOString())) {
      if (result.asked >= limit) break;
      result.asked++;
      const answer = await this.coverage.ask({
        customerId: doc.customer.id,
        serial: doc.product.serial,
        date: doc.businessDate, // the call date, not today: coverage on the day the call came in
      });
      const { outcome, call } = await this.store.update(doc._id, (c) => {
        if (c.props.coverage.state !== 'pending') return false;
        if (answer === 'unknown') {
          c.coverageStillUnknown(now, this.coverage.lastError() ?? 'no answer', {
            baseMs: this.config.COVERAGE_RETRY_BASE_MS,
            maxMs: this.config.COVERAGE_RETRY_MAX_MS,
          });
        } else {
          c.resolveCoverage(answer, now);
        }
      });
      if (outcome === 'saved' && answer !== 'unknown') {
        result.resolved++;
        if (call.props.category !== 'A') result.reclassified++;
      }
    }
    if (result.asked > 0) this.logger.log({ msg: 'coverage retry pass', ...result });
    return result;
  }
}
