import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig, PeriodicJob } from '@aftersales/service-kit';
import type { DispatchConfig } from '../../config';
import { BranchCalendars } from '../../shared/calendars';
import { Clock } from '../../shared/clock';
import type { Job } from '../domain/job';
import { checkSla } from '../domain/sla';
import { toCloudEvents } from './events';
import { JobRepository, SlaAlertKind, SlaAlertRepository, StoredJob } from './ports';

const MAX_ATTEMPTS = 5;

export interface SlaRun {
  checked: number;
  /** Calls whose event this pass raised (the other replicas raised none of these). */
  atRisk: string[];
  breached: string[];
}

/**
 * [19] Raises `dispatch.sla.at-risk.v1` (at most SLA_AT_RISK_WORKING_MINUTES working minutes left, 60 by
 * default) and `dispatch.sla.breached.v1` (at the due time) for jobs nobody has arrived at yet — exactly
 * once each, however many replicas run the pass at the same time:
 *
 * 1. the domain decides from the job's flags (`slaAtRiskRaised` / `slaBreachedRaised`) whether an event is due;
 * 2. the event is written with an alert document whose _id is `<kind>|<callId>` (insertWithEvents): only one
 *    replica's insert can succeed, the others get 'duplicate' and raise nothing;
 * 3. the job's flag is then set with saveWithEvents under its version (reload and retry on 'conflict'), so
 *    later passes skip it; if that write were lost, the next pass only meets the duplicate again.
 *
 * Why not the flag + version guard alone: on FerretDB 1.24 two concurrent `updateOne({_id, version})` can
 * BOTH report a match (the later overwriting the earlier) — measured 9 times in 40 races — so the version
 * guard is not a compare-and-set there; a unique-_id insert is.
 */
@Injectable()
export class SlaScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SlaScheduler');
  private readonly job = new PeriodicJob('SlaScheduler', () => this.runOnce(this.clock.now()));

  constructor(
    private readonly jobs: JobRepository,
    private readonly alerts: SlaAlertRepository,
    private readonly calendars: BranchCalendars,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: DispatchConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SLA_SCHEDULER_ENABLED) this.job.start(this.config.SLA_CHECK_INTERVAL_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One pass at `now` over every job awaiting arrival. Idempotent: a second pass at the same instant raises nothing. */
  async runOnce(now: Date): Promise<SlaRun> {
    const run: SlaRun = { checked: 0, atRisk: [], breached: [] };
    for (const watched of await this.jobs.watchedBySla()) {
      run.checked++;
      const raised = await this.check(watched, now);
      if (raised === 'sla-at-risk') run.atRisk.push(watched.job.callId);
      if (raised === 'sla-breached') run.breached.push(watched.job.callId);
    }
    return run;
  }

  private async check({ job }: StoredJob, now: Date): Promise<SlaAlertKind | undefined> {
    const change = checkSla(job, now, this.calendars.for(job.branchId), this.config.SLA_AT_RISK_WORKING_MINUTES);
    if (!change) return undefined;
    const kind = change.events[0].type as SlaAlertKind;
    const claimed = await this.alerts.claim(kind, job, toCloudEvents(change.events, now)[0], now);
    await this.flag(job.callId, kind);
    return claimed === 'saved' ? kind : undefined;
  }

  /** Records on the job that the event was raised (whoever raised it), re-deciding on every conflict. */
  private async flag(callId: string, kind: SlaAlertKind): Promise<void> {
    const field: keyof Job = kind === 'sla-at-risk' ? 'slaAtRiskRaised' : 'slaBreachedRaised';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await this.jobs.load(callId);
      if (!current || current.job[field]) return;
      if ((await this.jobs.save({ ...current.job, [field]: true }, current.version, [])) === 'saved') return;
    }
    this.logger.warn(`could not flag ${kind} on job ${callId}; the next pass will find the alert already raised`);
  }
}
