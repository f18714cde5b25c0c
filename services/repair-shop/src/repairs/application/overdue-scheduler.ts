import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectConfig, PeriodicJob } from '@aftersales/service-kit';
import type { RepairShopConfig } from '../../config';
import { Clock } from '../../shared/clock';
import { markOverdue } from '../domain/repair';
import { ShopStore } from '../infrastructure/shop.store';
import { toEvents } from './events';

/**
 * [14] A repair not completed by the end of its scheduled business day (branch zone, BranchCalendar) is
 * escalated to the director at once: repairshop.repair.overdue.v1, once per repair and scheduled date.
 *
 * Exactly once with any number of replicas: the decision clears the repair's `overdueArmed` flag
 * (saveWithEvents, version-guarded: a replica that loaded the same version gets 'conflict', reloads and
 * finds nothing to do) and the event's id is derived from (repair, scheduled date) and written as an
 * insert on that unique id. The insert is what makes it exactly once on FerretDB 1.24, where a
 * version-guarded update is not an atomic compare-and-set (measured: two concurrent guarded updates of
 * one document both "match" in some rounds): of any number of replicas, one insert succeeds.
 */
@Injectable()
export class OverdueScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new PeriodicJob('OverdueScheduler', () => this.runOnce(this.clock.now()));

  constructor(
    private readonly store: ShopStore,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: RepairShopConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.OVERDUE_SCHEDULER_ENABLED) this.job.start(this.config.OVERDUE_CHECK_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /**
   * One pass at `now`: raises every overdue escalation due by then; returns how many this replica raised
   * (= wrote the event first; another replica racing on the same repair finds it already written).
   */
  async runOnce(now: Date): Promise<{ raised: number }> {
    let raised = 0;
    for (const due of await this.store.findDue(now)) {
      let loaded: typeof due | null = due;
      for (let attempt = 0; loaded && attempt < 5; attempt++) {
        const change = markOverdue(loaded.value, now);
        if (!change) break;
        const saved = await this.store.saveRepair(
          change.repair,
          loaded.version,
          toEvents(change.repair.branchId, change.facts),
        );
        raised += saved.newEvents;
        if (saved.result === 'saved') break;
        loaded = await this.store.findRepair(loaded.value.callId); // someone else saved first: decide again
      }
    }
    if (raised > 0) this.store.kick();
    return { raised };
  }
}
