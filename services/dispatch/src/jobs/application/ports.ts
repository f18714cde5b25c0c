import type { CloudEvent } from '@aftersales/contracts';
import type { Category, Job, JobStatus, Part } from '../domain/job';
import type { Quote } from '../domain/fee';

/** A job as stored: the aggregate, the version it was loaded at and the keys of events it applied. */
export interface StoredJob {
  job: Job;
  version: number;
  processed: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Where jobs live. Writes go through the outbox: state and events in one atomic document update. */
export abstract class JobRepository {
  abstract load(callId: string): Promise<StoredJob | null>;
  /** 'duplicate' when a job with this id exists already. */
  abstract insert(job: Job, events: CloudEvent[], causedBy?: string): Promise<'saved' | 'duplicate'>;
  /** 'conflict' when someone saved since `version` was loaded; 'duplicate' when `causedBy` was applied. */
  abstract save(
    job: Job,
    version: number,
    events: CloudEvent[],
    causedBy?: string,
  ): Promise<'saved' | 'conflict' | 'duplicate'>;
  /** Open jobs of a branch: carried-over first [18], then by SLA due time. */
  abstract listOpen(
    branchId: string,
    filter: { status?: JobStatus; page: number; pageSize: number },
  ): Promise<Page<Job>>;
  /** Jobs awaiting a technician's arrival whose SLA events are not all raised. */
  abstract watchedBySla(): Promise<StoredJob[]>;
  abstract openOfTechnician(technicianId: string): Promise<Job[]>;
  abstract arrivedOn(technicianId: string, businessDate: string): Promise<Job[]>;
  /** Open jobs per technician of a branch: their current load. */
  abstract openLoad(branchId: string): Promise<Map<string, number>>;
}

export type SlaAlertKind = 'sla-at-risk' | 'sla-breached';

/**
 * One document per (kind, callId), inserted together with its event: the unique _id makes raising an SLA
 * event exactly-once across replicas (an insert of an existing _id is atomic and fails on MongoDB and FerretDB
 * alike, whereas FerretDB 1.24 does not make a version-guarded update a compare-and-set; see the scheduler).
 */
export abstract class SlaAlertRepository {
  abstract claim(kind: SlaAlertKind, job: Job, event: CloudEvent, at: Date): Promise<'saved' | 'duplicate'>;
}

export interface QuoteRequest {
  branchId: string;
  category: Category;
  labourMinutes: number;
  parts: Part[];
}

/** billing's Pricing.Quote: a quote, or 'unavailable' when billing did not answer in time (or at all). */
export abstract class PricingPort {
  abstract quote(request: QuoteRequest, callerToken?: string): Promise<Quote | 'unavailable'>;
}
