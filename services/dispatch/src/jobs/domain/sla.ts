import type { Job, Zone, DomainEvent } from './job';

/** What the SLA arithmetic needs of a branch calendar (`BranchCalendar` from @aftersales/calendar). */
export interface WorkingCalendar {
  addWorkingMinutes(from: Date, minutes: number): Date;
  workingMinutesBetween(from: Date, to: Date): number;
  businessDate(at: Date): string;
}

/** [19] From the call to the technician's arrival: at most 6 working hours in urban areas, 7 in suburban. */
export const SLA_WORKING_MINUTES: Readonly<Record<Zone, number>> = { urban: 6 * 60, suburban: 7 * 60 };

/**
 * [19] Due time of a call received at `receivedAt`, counted in the branch's business hours, time zone and
 * holidays: a call received outside business hours starts counting at the next opening.
 */
export function slaDueAt(receivedAt: Date, zone: Zone, cal: WorkingCalendar): Date {
  return cal.addWorkingMinutes(receivedAt, SLA_WORKING_MINUTES[zone]);
}

export type SlaState = 'on-track' | 'at-risk' | 'breached' | 'met' | 'missed' | 'cancelled' | 'not-applicable';

export interface SlaStatus {
  callId: string;
  zone?: Zone;
  slaDueAt?: Date;
  state: SlaState;
  /** Working minutes left before the due time while nobody has arrived (0 once passed). */
  workingMinutesLeft?: number;
  workingMinutesToArrival?: number;
  atRiskRaised: boolean;
  breachedRaised: boolean;
}

/**
 * SLA of one job at `now`. A job awaiting arrival is `at-risk` once at most `atRiskMinutes` working minutes
 * are left and `breached` from the due time on; after arrival the SLA was `met` or `missed`. A job whose
 * visit ended without an arrival record (impossible here) or was cancelled before arrival is `cancelled`.
 */
export function slaStatus(job: Job, now: Date, cal: WorkingCalendar, atRiskMinutes: number): SlaStatus {
  const base = {
    callId: job.callId,
    zone: job.zone,
    slaDueAt: job.slaDueAt,
    atRiskRaised: job.slaAtRiskRaised,
    breachedRaised: job.slaBreachedRaised,
  };
  if (!job.call || !job.slaDueAt)
    return { ...base, state: job.status === 'cancelled' ? 'cancelled' : 'not-applicable' };
  if (job.arrival) {
    return {
      ...base,
      state: job.arrival.slaMet ? 'met' : 'missed',
      workingMinutesToArrival: job.arrival.workingMinutesToArrival,
    };
  }
  if (job.status === 'cancelled') return { ...base, state: 'cancelled' };
  const left = cal.workingMinutesBetween(now, job.slaDueAt);
  const state = now.getTime() >= job.slaDueAt.getTime() ? 'breached' : left <= atRiskMinutes ? 'at-risk' : 'on-track';
  return { ...base, state, workingMinutesLeft: left };
}

/**
 * [19] What the SLA scheduler must raise for a job at `now`, at most once each: `dispatch.sla.at-risk.v1`
 * when at most `atRiskMinutes` working minutes are left (60 by default), `dispatch.sla.breached.v1` at the
 * due time — only for jobs nobody has arrived at yet. A breach found first (scheduler down through the
 * at-risk window) raises only the breach. The flags on the job stop a second raise; across replicas the
 * scheduler also claims each (kind, call) with a unique document (see SlaScheduler).
 */
export function checkSla(
  job: Job,
  now: Date,
  cal: WorkingCalendar,
  atRiskMinutes: number,
): { job: Job; events: DomainEvent[] } | null {
  if (!job.call || !job.slaDueAt || !job.zone || job.arrival) return null;
  if (job.status !== 'open' && job.status !== 'assigned') return null;
  const technician = job.technicianId ? { technicianId: job.technicianId } : {};
  const common = { branchId: job.branchId, callId: job.callId, slaDueAt: job.slaDueAt.toISOString(), zone: job.zone };
  if (now.getTime() >= job.slaDueAt.getTime()) {
    if (job.slaBreachedRaised) return null;
    return {
      job: { ...job, slaBreachedRaised: true },
      events: [{ type: 'sla-breached', data: { ...common, ...technician } }],
    };
  }
  if (job.slaAtRiskRaised) return null;
  const left = cal.workingMinutesBetween(now, job.slaDueAt);
  if (left > atRiskMinutes) return null;
  return {
    job: { ...job, slaAtRiskRaised: true },
    events: [{ type: 'sla-at-risk', data: { ...common, workingMinutesLeft: left, ...technician } }],
  };
}
