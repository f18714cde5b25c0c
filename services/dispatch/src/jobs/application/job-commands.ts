import { Injectable } from '@nestjs/common';
import { assertBranchAccess, AuthUser, BranchDirectory, ConflictError, NotFoundError } from '@aftersales/service-kit';
import { Clock } from '../../shared/clock';
import { BranchCalendars } from '../../shared/calendars';
import { TechnicianRepository } from '../../technicians/application/ports';
import { decideFee, needsQuote, Quote } from '../domain/fee';
import {
  arrive,
  assertCanCompleteOnSite,
  assign,
  Change,
  completeOnSite,
  Job,
  Part,
  Signature,
  takeToShop,
} from '../domain/job';
import { toCloudEvents } from './events';
import { JobRepository, PricingPort, StoredJob } from './ports';

const MAX_ATTEMPTS = 5;

export interface CompleteOnSiteCommand {
  labourMinutes: number;
  parts: Part[];
  signature: Signature;
}

export interface TakeToShopCommand {
  receiptNo: string;
  fault: string;
  signature: Signature;
}

/** Loads a job a caller may see: 404 for an unknown id (or a call not registered yet), 403 for another branch. */
export async function loadVisible(jobs: JobRepository, user: AuthUser, callId: string): Promise<StoredJob> {
  const loaded = await jobs.load(callId);
  if (!loaded || (!loaded.job.call && loaded.job.status !== 'cancelled')) {
    throw new NotFoundError(`job ${callId} does not exist`);
  }
  assertBranchAccess(user, loaded.job.branchId);
  return loaded;
}

/** Directors' and technicians' commands on a job: load → domain decides → save state + events at once. */
@Injectable()
export class JobCommands {
  constructor(
    private readonly jobs: JobRepository,
    private readonly technicians: TechnicianRepository,
    private readonly pricing: PricingPort,
    private readonly calendars: BranchCalendars,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  /** [8] Assign or reassign; the technician must exist (404), be of the job's branch (403) and active (409). */
  async assign(user: AuthUser, callId: string, technicianId: string): Promise<Job> {
    return this.change(user, callId, async (job, now) => {
      const technician = await this.technicians.get(technicianId);
      if (!technician) throw new NotFoundError(`technician ${technicianId} does not exist`);
      return assign(job, technician, user.sub, now);
    });
  }

  /** [9][19] The assigned technician (the caller) arrives on site. */
  async arrive(user: AuthUser, callId: string): Promise<Job> {
    return this.change(user, callId, (job, now) => arrive(job, user.sub, now, this.calendars.for(job.branchId)));
  }

  /**
   * [10] Completed on site. For paid work (A) billing quotes the fee first — only once the visit may be
   * finished, so an illegal request never costs a call; if billing does not answer within the deadline no
   * cash is taken and the fee is left to invoice.
   */
  async completeOnSite(user: AuthUser, callId: string, cmd: CompleteOnSiteCommand, callerToken?: string): Promise<Job> {
    const { job } = await loadVisible(this.jobs, user, callId);
    assertCanCompleteOnSite(job, user.sub, cmd.signature, this.clock.now());
    let quote: Quote | 'unavailable' | undefined;
    if (needsQuote(job.category)) {
      quote = await this.pricing.quote(
        { branchId: job.branchId, category: job.category!, labourMinutes: cmd.labourMinutes, parts: cmd.parts },
        callerToken,
      );
    }
    const cashLimit = this.branches.get(job.branchId).cashLimitMinor;
    return this.change(user, callId, (current, now) =>
      completeOnSite(
        current,
        { technicianId: user.sub, ...cmd },
        decideFee(current.category, quote ?? 'unavailable', cashLimit),
        now,
      ),
    );
  }

  /** [11] Taken to the shop against a pickup receipt. */
  async takeToShop(user: AuthUser, callId: string, cmd: TakeToShopCommand): Promise<Job> {
    return this.change(user, callId, (job, now) => takeToShop(job, { technicianId: user.sub, ...cmd }, now));
  }

  private async change(
    user: AuthUser,
    callId: string,
    decide: (job: Job, now: Date) => Change | Promise<Change>,
  ): Promise<Job> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const { job, version } = await loadVisible(this.jobs, user, callId);
      const now = this.clock.now();
      const change = await decide(job, now);
      const result = await this.jobs.save(change.job, version, toCloudEvents(change.events, now));
      if (result === 'saved') return change.job;
      // 'conflict': someone saved in between (another command, an incoming event, the SLA scheduler): decide again.
    }
    throw new ConflictError(`job ${callId} kept changing while saving; try again`);
  }
}
