import type {
  EventData,
  ProductTakenToShopV1,
  SlaAtRiskV1,
  SlaBreachedV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import { ConflictError, ForbiddenError, ValidationError } from '@aftersales/service-kit/domain-errors';
import type { Technician } from '../../technicians/domain/technician';
import type { Fee } from './fee';
import { slaDueAt, WorkingCalendar } from './sla';

export type Zone = 'urban' | 'suburban';
export type Category = 'A' | 'B' | 'C';

/**
 * open → assigned ⇄ (reassigned) → on-site → completed | taken-to-shop; open/assigned/on-site → cancelled.
 * completed, taken-to-shop and cancelled are final.
 */
export type JobStatus = 'open' | 'assigned' | 'on-site' | 'completed' | 'taken-to-shop' | 'cancelled';

export interface CallDetails {
  callNumber: string;
  voucherNo: string;
  customer: { id: string; name: string; phone: string; address: string; zone: Zone };
  product: { model: string; serial: string };
  problem: string;
  provisional: boolean;
  receivedAt: Date;
}

export interface Assignment {
  technicianId: string;
  technicianName: string;
  assignedBy: string;
  assignedAt: Date;
}

export interface Signature {
  /** Name of the customer who signed the voucher. */
  signedBy: string;
  signedAt: Date;
}

export interface Part {
  partNo: string;
  qty: number;
}

export type Visit =
  | { outcome: 'on-site'; labourMinutes: number; parts: Part[]; signature: Signature; fee: Fee; at: Date }
  | { outcome: 'shop'; receiptNo: string; fault: string; signature: Signature; at: Date };

export interface Arrival {
  at: Date;
  /** Branch-local date of the arrival: the technician's day it belongs to. */
  businessDate: string;
  slaMet: boolean;
  workingMinutesToArrival: number;
}

/**
 * One job per call (id = callId). Events about a call may arrive before its registration (out of order):
 * the job then exists as a stub without `call` that keeps those facts (cancelled, carried over,
 * reclassified) until the registration fills the call in. A stub is never dispatched.
 */
export interface Job {
  callId: string;
  branchId: string;
  call?: CallDetails;
  category?: Category;
  /** Time of the event that set `category`; an older reclassification never overwrites a newer one. */
  categorySetAt?: Date;
  zone?: Zone;
  slaDueAt?: Date;
  status: JobStatus;
  /** [18] Carried over from an earlier business day: dispatched first. */
  priority: boolean;
  carriedOverOn?: string;
  technicianId?: string;
  technicianName?: string;
  /** Every assignment, oldest first: reassignments keep the history. */
  assignments: Assignment[];
  arrival?: Arrival;
  visit?: Visit;
  cancellation?: { at: Date; reason: string };
  slaAtRiskRaised: boolean;
  slaBreachedRaised: boolean;
}

/** An event the domain raises, with the data of its catalogue contract. */
export type DomainEvent =
  | { type: 'assigned'; data: EventData<typeof TechnicianAssignedV1> }
  | { type: 'arrived'; data: EventData<typeof TechnicianArrivedV1> }
  | { type: 'completed'; data: EventData<typeof VisitCompletedV1> }
  | { type: 'taken-to-shop'; data: EventData<typeof ProductTakenToShopV1> }
  | { type: 'sla-at-risk'; data: EventData<typeof SlaAtRiskV1> }
  | { type: 'sla-breached'; data: EventData<typeof SlaBreachedV1> };

export interface Change {
  job: Job;
  events: DomainEvent[];
}

/** Dispatch still has to get a technician there: the SLA clock runs. */
export const AWAITING_ARRIVAL: readonly JobStatus[] = ['open', 'assigned'];
/** Not finished: shown in the branch's open jobs and counted as a technician's load. */
export const OPEN_STATUSES: readonly JobStatus[] = ['open', 'assigned', 'on-site'];

const stub = (callId: string, branchId: string): Job => ({
  callId,
  branchId,
  status: 'open',
  priority: false,
  assignments: [],
  slaAtRiskRaised: false,
  slaBreachedRaised: false,
});

const withCategory = (job: Job, category: Category, at: Date): Job =>
  job.categorySetAt && job.categorySetAt.getTime() > at.getTime() ? job : { ...job, category, categorySetAt: at };

export const isOpen = (job: Job): boolean => !!job.call && OPEN_STATUSES.includes(job.status);
export const isAwaitingArrival = (job: Job): boolean => !!job.call && AWAITING_ARRIVAL.includes(job.status);

// ---- incoming facts from call-intake (idempotent: null = nothing to change) ----

export interface Registration {
  callId: string;
  branchId: string;
  category: Category;
  call: CallDetails;
}

/**
 * [8] A registered call becomes a job awaiting assignment, due [19] 6 (urban) / 7 (suburban) working
 * hours after the call. A stub keeps what arrived earlier: a cancelled call stays cancelled, a carried-over
 * one keeps its priority, a reclassification made later than the registration keeps its category.
 */
export function registerCall(
  existing: Job | null,
  reg: Registration,
  eventTime: Date,
  cal: WorkingCalendar,
): Job | null {
  if (existing?.call) return null;
  const base = existing ?? stub(reg.callId, reg.branchId);
  const zone = reg.call.customer.zone;
  return withCategory(
    { ...base, branchId: reg.branchId, call: reg.call, zone, slaDueAt: slaDueAt(reg.call.receivedAt, zone, cal) },
    reg.category,
    eventTime,
  );
}

/** A cancelled call cancels its job unless the visit is already done; a cancellation before registration leaves a cancelled stub. */
export function cancelCall(
  existing: Job | null,
  callId: string,
  branchId: string,
  reason: string,
  at: Date,
): Job | null {
  const job = existing ?? stub(callId, branchId);
  if (!OPEN_STATUSES.includes(job.status)) return null;
  return { ...job, status: 'cancelled', cancellation: { at, reason } };
}

/** [18] Carried over: priority dispatch, as long as nobody has arrived yet. */
export function carryOver(existing: Job | null, callId: string, branchId: string, businessDate: string): Job | null {
  const job = existing ?? stub(callId, branchId);
  if (!AWAITING_ARRIVAL.includes(job.status)) return null;
  if (job.priority && job.carriedOverOn && job.carriedOverOn >= businessDate) return null;
  return { ...job, priority: true, carriedOverOn: businessDate };
}

/** [6] The category changed at `at`; a late, older reclassification changes nothing. */
export function reclassify(existing: Job | null, callId: string, branchId: string, to: Category, at: Date): Job | null {
  const job = existing ?? stub(callId, branchId);
  const next = withCategory(job, to, at);
  return next === job && existing ? null : next;
}

// ---- commands of directors and technicians ----

function requireCall(job: Job): CallDetails {
  if (!job.call) throw new ConflictError(`call ${job.callId} is not registered yet`);
  return job.call;
}

/** [8] The director assigns (or reassigns) a technician of the job's own branch. */
export function assign(job: Job, technician: Technician, assignedBy: string, now: Date): Change {
  requireCall(job);
  if (!AWAITING_ARRIVAL.includes(job.status)) {
    throw new ConflictError(`job ${job.callId} is ${job.status}: only an open or assigned job can be (re)assigned`);
  }
  if (technician.branchId !== job.branchId) {
    throw new ForbiddenError(
      `technician ${technician.id} belongs to branch ${technician.branchId}, not to the job's branch ${job.branchId}`,
    );
  }
  if (!technician.active) throw new ConflictError(`technician ${technician.id} is inactive and cannot be assigned`);
  if (job.technicianId === technician.id) {
    throw new ConflictError(`job ${job.callId} is already assigned to technician ${technician.id}`);
  }
  const assignment: Assignment = {
    technicianId: technician.id,
    technicianName: technician.name,
    assignedBy,
    assignedAt: now,
  };
  return {
    job: {
      ...job,
      status: 'assigned',
      technicianId: technician.id,
      technicianName: technician.name,
      assignments: [...job.assignments, assignment],
    },
    events: [
      {
        type: 'assigned',
        data: {
          branchId: job.branchId,
          callId: job.callId,
          technicianId: technician.id,
          technicianName: technician.name,
          ...(job.technicianId ? { previousTechnicianId: job.technicianId } : {}),
          assignedBy,
          assignedAt: now.toISOString(),
          slaDueAt: job.slaDueAt!.toISOString(),
        },
      },
    ],
  };
}

function requireAssignedTechnician(job: Job, technicianId: string): void {
  if (job.technicianId !== technicianId) {
    throw new ForbiddenError(
      `job ${job.callId} is assigned to technician ${job.technicianId ?? '(nobody)'}, not ${technicianId}`,
    );
  }
}

/** [9][19] The assigned technician arrives: the SLA clock stops; met when arrival ≤ due time. */
export function arrive(job: Job, technicianId: string, now: Date, cal: WorkingCalendar): Change {
  const call = requireCall(job);
  if (job.status === 'open') throw new ConflictError(`job ${job.callId} has no technician assigned yet`);
  if (job.status !== 'assigned')
    throw new ConflictError(`job ${job.callId} is ${job.status}: arrival is only possible once, after assignment`);
  requireAssignedTechnician(job, technicianId);
  const arrival: Arrival = {
    at: now,
    businessDate: cal.businessDate(now),
    slaMet: now.getTime() <= job.slaDueAt!.getTime(),
    workingMinutesToArrival: cal.workingMinutesBetween(call.receivedAt, now),
  };
  return {
    job: { ...job, status: 'on-site', arrival },
    events: [
      {
        type: 'arrived',
        data: {
          branchId: job.branchId,
          callId: job.callId,
          technicianId,
          arrivedAt: now.toISOString(),
          zone: job.zone!,
          slaMet: arrival.slaMet,
          workingMinutesToArrival: arrival.workingMinutesToArrival,
        },
      },
    ],
  };
}

/** A visit outcome needs the technician on site and a customer signature made there, not in the future. */
function checkVisit(job: Job, technicianId: string, signature: Signature, now: Date, what: string): void {
  requireCall(job);
  if (job.status === 'open' || job.status === 'assigned') {
    throw new ConflictError(`job ${job.callId} is ${job.status}: cannot ${what} before the technician has arrived`);
  }
  if (job.status !== 'on-site') throw new ConflictError(`job ${job.callId} is ${job.status}: cannot ${what}`);
  requireAssignedTechnician(job, technicianId);
  const SKEW_MS = 5 * 60_000; // a handheld's clock may run a little ahead
  if (
    signature.signedAt.getTime() < job.arrival!.at.getTime() ||
    signature.signedAt.getTime() > now.getTime() + SKEW_MS
  ) {
    throw new ValidationError('The customer signature must be made on site, between arrival and now.', [
      { field: 'signature.signedAt', message: `must be between ${job.arrival!.at.toISOString()} and now` },
    ]);
  }
}

/** What a precondition check needs before billing is asked for a quote (so a 409 never costs a gRPC call). */
export function assertCanCompleteOnSite(job: Job, technicianId: string, signature: Signature, now: Date): void {
  checkVisit(job, technicianId, signature, now, 'complete on site');
}

export interface OnSiteCompletion {
  technicianId: string;
  labourMinutes: number;
  parts: Part[];
  signature: Signature;
}

/** [10] Done on site: the customer signed the voucher; a small paid fee was collected in cash. */
export function completeOnSite(job: Job, input: OnSiteCompletion, fee: Fee, now: Date): Change {
  checkVisit(job, input.technicianId, input.signature, now, 'complete on site');
  const visit: Visit = {
    outcome: 'on-site',
    labourMinutes: input.labourMinutes,
    parts: input.parts,
    signature: input.signature,
    fee,
    at: now,
  };
  return {
    job: { ...job, status: 'completed', visit },
    events: [
      {
        type: 'completed',
        data: {
          branchId: job.branchId,
          callId: job.callId,
          technicianId: input.technicianId,
          labourMinutes: input.labourMinutes,
          parts: input.parts,
          ...(fee.settlement === 'cash' ? { cashCollected: fee.amountMinor } : {}),
          customerSignedAt: input.signature.signedAt.toISOString(),
        },
      },
    ],
  };
}

export interface ShopHandover {
  technicianId: string;
  receiptNo: string;
  fault: string;
  signature: Signature;
}

/** [11] Not repairable on site: the product goes to the shop against a pickup receipt the customer signs for. */
export function takeToShop(job: Job, input: ShopHandover, now: Date): Change {
  checkVisit(job, input.technicianId, input.signature, now, 'take the product to the shop');
  const visit: Visit = {
    outcome: 'shop',
    receiptNo: input.receiptNo,
    fault: input.fault,
    signature: input.signature,
    at: now,
  };
  return {
    job: { ...job, status: 'taken-to-shop', visit },
    events: [
      {
        type: 'taken-to-shop',
        data: {
          branchId: job.branchId,
          callId: job.callId,
          technicianId: input.technicianId,
          receiptNo: input.receiptNo,
          product: job.call!.product,
          fault: input.fault,
          customerSignedAt: input.signature.signedAt.toISOString(),
        },
      },
    ],
  };
}
