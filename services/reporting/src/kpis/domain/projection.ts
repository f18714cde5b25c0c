import type {
  CallCancelledV1,
  CallCarriedOverV1,
  CallClosedV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  CloudEvent,
  ComplaintCustomerNotifiedV1,
  ComplaintEscalatedV1,
  ComplaintReceivedV1,
  ComplaintResolvedV1,
  ContractCreatedV1,
  ContractExpiredV1,
  ContractExpiringV1,
  ContractRenewedV1,
  EventData,
  InvoiceIssuedV1,
  PaymentRecordedV1,
  ProductCheckedInV1,
  ProductReturnedV1,
  ProductTakenToShopV1,
  RepairCompletedV1,
  RepairOverdueV1,
  SlaAtRiskV1,
  SlaBreachedV1,
  SurveyAnsweredV1,
  SurveySentV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  TechnicianEvaluatedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import type { DayCounters } from './day-counters';

/**
 * The projection as a pure function: an event plus what reporting already knows about its call,
 * complaint or invoice → the counter increments and small lookup-map updates to write. The application
 * layer loads the lookups, calls `project` and applies the effects idempotently (each write carries the
 * event key), the same code live and during a rebuild.
 */
export type Category = 'A' | 'B' | 'C';
export type Zone = 'urban' | 'suburban';

/** What reporting keeps about a call, from intake/dispatch/repair-shop events. */
export interface CallInfo {
  branchId: string;
  /** Business date the call was registered on: its registration counter lives there. */
  registeredOn: string;
  category: Category;
  zone: Zone;
  checkedInAt?: string;
  /** [14] Business date it went overdue on (its overdue counter lives there), and whether that was settled. */
  overdueOn?: string;
  overdueSettled?: boolean;
  /** [10] Business date cash was collected on site for it (hand-overs are booked there). */
  cashOn?: string;
  /** Business date it was cancelled on. */
  cancelledOn?: string;
}
export interface ComplaintInfo {
  branchId: string;
  kind: 'suggestion' | 'complaint';
  receivedOn: string;
  open: boolean;
}
export interface InvoiceInfo {
  branchId: string;
  callId?: string;
}
export interface TechnicianInfo {
  branchId: string;
  name: string;
}
export type TechnicianMinutes = { minutesA: number; minutesB: number; minutesC: number };
export interface RatingAverages {
  attitude: number;
  skill: number;
  arrivalTime: number;
  promiseKeeping: number;
}
/**
 * [23][25] A technician's monthly evaluation as customer-feedback last published it (one per technician
 * and month: a re-evaluation replaces it; `evaluatedAt` keeps a late, older one from overwriting it).
 */
export interface TechnicianEvaluation {
  branchId: string;
  technicianId: string;
  month: string;
  surveys: number;
  /** Absent when no survey was answered that month. */
  averages?: RatingAverages;
  evaluatedAt: string;
}

export type Effect =
  | { kind: 'day'; branchId: string; date: string; inc: Partial<DayCounters> }
  | { kind: 'technician-day'; branchId: string; date: string; technicianId: string; inc: Partial<TechnicianMinutes> }
  | { kind: 'call'; callId: string; set: Partial<CallInfo> }
  | { kind: 'complaint'; complaintId: string; set: Partial<ComplaintInfo> }
  | { kind: 'invoice'; invoiceId: string; set: InvoiceInfo }
  | { kind: 'technician'; technicianId: string; set: TechnicianInfo }
  | { kind: 'technician-month'; id: string; set: TechnicianEvaluation };

/** `t-1|2026-03`: one evaluation per technician and month. */
export const technicianMonthId = (technicianId: string, month: string): string => `${technicianId}|${month}`;

export interface Known {
  call?: CallInfo;
  complaint?: ComplaintInfo;
  /** For a payment: the call its invoice was for, when there is one. */
  invoice?: InvoiceInfo;
  invoiceCall?: CallInfo;
  /** For a technician evaluation: the one already stored for that technician and month. */
  evaluation?: TechnicianEvaluation;
}

/** Branch-local business date of an instant (BranchCalendar.businessDate). */
export type BusinessDateOf = (branchId: string, at: string) => string;

/**
 * The event refers to something reporting has not seen yet (events can arrive out of order): thrown so
 * the consumer retries it later, when the earlier event has arrived.
 */
export class NotYetKnownError extends Error {}

type E<C> = CloudEvent<EventData<C>>;
export type ProjectedEvent =
  | E<typeof CallRegisteredV1>
  | E<typeof CallReclassifiedV1>
  | E<typeof CallCarriedOverV1>
  | E<typeof CallClosedV1>
  | E<typeof TechnicianAssignedV1>
  | E<typeof TechnicianArrivedV1>
  | E<typeof VisitCompletedV1>
  | E<typeof ProductCheckedInV1>
  | E<typeof RepairOverdueV1>
  | E<typeof RepairCompletedV1>
  | E<typeof ProductReturnedV1>
  | E<typeof InvoiceIssuedV1>
  | E<typeof PaymentRecordedV1>
  | E<typeof SurveyAnsweredV1>
  | E<typeof ComplaintReceivedV1>
  | E<typeof ComplaintResolvedV1>
  | E<typeof CallCancelledV1>
  | E<typeof SlaAtRiskV1>
  | E<typeof SlaBreachedV1>
  | E<typeof ProductTakenToShopV1>
  | E<typeof ContractCreatedV1>
  | E<typeof ContractRenewedV1>
  | E<typeof ContractExpiringV1>
  | E<typeof ContractExpiredV1>
  | E<typeof SurveySentV1>
  | E<typeof ComplaintEscalatedV1>
  | E<typeof ComplaintCustomerNotifiedV1>
  | E<typeof TechnicianEvaluatedV1>;

const callsKey = (c: Category) => `calls${c}` as const;
const minutesKey = (c: Category) => `minutes${c}` as const;
const zoneKey = (z: Zone) => (z === 'urban' ? 'Urban' : 'Suburban');

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotYetKnownError(`${what} is not known to reporting yet`);
  return value;
}

export function project(event: ProjectedEvent, lookups: Known, dateOf: BusinessDateOf): Effect[] {
  const branchId = event.data.branchId;
  // A call document may exist with only a check-in time (shop events can overtake the registration):
  // the call counts as known once its registration was projected.
  const known: Known = { ...lookups, call: lookups.call?.registeredOn ? lookups.call : undefined };
  const day = (at: string, inc: Partial<DayCounters>): Effect => ({
    kind: 'day',
    branchId,
    date: dateOf(branchId, at),
    inc,
  });

  switch (event.type) {
    case 'intake.call.registered.v1': {
      const d = event.data as EventData<typeof CallRegisteredV1>;
      if (known.call) return []; // registered once; a second registration event changes nothing
      return [
        day(d.receivedAt, { [callsKey(d.category)]: 1 }),
        {
          kind: 'call',
          callId: d.callId,
          set: { branchId, registeredOn: dateOf(branchId, d.receivedAt), category: d.category, zone: d.customer.zone },
        },
      ];
    }
    case 'intake.call.reclassified.v1': {
      const d = event.data as EventData<typeof CallReclassifiedV1>;
      const call = need(known.call, `call ${d.callId}`);
      if (call.category === d.to) return [];
      // [6] the call moves category on the day it was registered, so calls by category always add up
      return [
        { kind: 'day', branchId, date: call.registeredOn, inc: { [callsKey(call.category)]: -1, [callsKey(d.to)]: 1 } },
        { kind: 'call', callId: d.callId, set: { category: d.to } },
      ];
    }
    case 'intake.call.carried-over.v1': {
      const d = event.data as EventData<typeof CallCarriedOverV1>;
      // [18] counted on the business day it was not dispatched
      return [{ kind: 'day', branchId, date: d.businessDate, inc: { carriedOver: 1 } }];
    }
    case 'intake.call.closed.v1': {
      const d = event.data as EventData<typeof CallClosedV1>;
      return [day(d.closedAt, d.completion === 'on-site' ? { closedOnSite: 1 } : { closedShop: 1 })];
    }
    case 'dispatch.technician.assigned.v1': {
      const d = event.data as EventData<typeof TechnicianAssignedV1>;
      return [{ kind: 'technician', technicianId: d.technicianId, set: { branchId, name: d.technicianName } }];
    }
    case 'dispatch.technician.arrived.v1': {
      const d = event.data as EventData<typeof TechnicianArrivedV1>;
      const z = zoneKey(d.zone);
      return [
        day(d.arrivedAt, {
          [`arrivals${z}`]: 1,
          [`slaMet${z}`]: d.slaMet ? 1 : 0,
          minutesToArrivalSum: d.workingMinutesToArrival,
        }),
      ];
    }
    case 'dispatch.visit.completed.v1': {
      const d = event.data as EventData<typeof VisitCompletedV1>;
      const call = need(known.call, `call ${d.callId}`);
      const date = dateOf(branchId, d.customerSignedAt);
      const effects: Effect[] = [
        // [15] A/B/C time of the technician's day comes from the work recorded
        {
          kind: 'technician-day',
          branchId,
          date,
          technicianId: d.technicianId,
          inc: { [minutesKey(call.category)]: d.labourMinutes },
        },
      ];
      if (d.cashCollected && d.cashCollected > 0) {
        effects.push({ kind: 'day', branchId, date, inc: { cashCollectedMinor: d.cashCollected } });
        effects.push({ kind: 'call', callId: d.callId, set: { cashOn: date } });
      }
      return effects;
    }
    case 'repairshop.product.checked-in.v1': {
      const d = event.data as EventData<typeof ProductCheckedInV1>;
      return [{ kind: 'call', callId: d.callId, set: { checkedInAt: d.checkedInAt } }];
    }
    case 'repairshop.repair.overdue.v1': {
      const d = event.data as EventData<typeof RepairOverdueV1>;
      const call = need(known.call, `call ${d.callId}`);
      if (call.overdueOn) return []; // [14] one repair is overdue once
      const date = dateOf(branchId, event.time);
      return [
        { kind: 'day', branchId, date, inc: { overdueOpen: 1 } },
        { kind: 'call', callId: d.callId, set: { overdueOn: date } },
      ];
    }
    case 'repairshop.repair.completed.v1': {
      const d = event.data as EventData<typeof RepairCompletedV1>;
      const call = need(known.call, `call ${d.callId}`);
      const effects: Effect[] = [
        {
          kind: 'technician-day',
          branchId,
          date: dateOf(branchId, d.completedAt),
          technicianId: d.technicianId,
          inc: { [minutesKey(call.category)]: d.labourMinutes },
        },
      ];
      if (call.overdueOn && !call.overdueSettled) {
        effects.push({ kind: 'day', branchId, date: call.overdueOn, inc: { overdueOpen: -1 } });
        effects.push({ kind: 'call', callId: d.callId, set: { overdueSettled: true } });
      }
      return effects;
    }
    case 'repairshop.product.returned.v1': {
      const d = event.data as EventData<typeof ProductReturnedV1>;
      const call = need(known.call, `call ${d.callId}`);
      // A cancelled call's product can go back without ever having been logged IN [11][12] (cancelled
      // between the pickup and the check-in): it was never in the shop, so there is no shop return to
      // count. Waiting for a check-in that never comes would dead-letter the event.
      if (!call.checkedInAt && call.cancelledOn) return [];
      const checkedInAt = need(call.checkedInAt, `check-in of call ${d.callId}`);
      const minutes = Math.max(0, Math.round((Date.parse(d.returnedAt) - Date.parse(checkedInAt)) / 60_000));
      return [day(d.returnedAt, { shopReturns: 1, shopTurnaroundMinutesSum: minutes })];
    }
    case 'billing.invoice.issued.v1': {
      const d = event.data as EventData<typeof InvoiceIssuedV1>;
      return [
        day(d.issuedAt, { revenueInvoicedMinor: d.total }),
        { kind: 'invoice', invoiceId: d.invoiceId, set: { branchId, ...(d.callId ? { callId: d.callId } : {}) } },
      ];
    }
    case 'billing.payment.recorded.v1': {
      const d = event.data as EventData<typeof PaymentRecordedV1>;
      if (d.method !== 'cash-on-site') return [];
      need(known.invoice, `invoice ${d.invoiceId}`);
      // [10] the hand-over settles the cash of the day it was collected; cash reporting never saw
      // collected (no visit with cashCollected) has nothing outstanding to settle
      const cashOn = known.invoiceCall?.cashOn;
      return cashOn ? [{ kind: 'day', branchId, date: cashOn, inc: { cashHandedOverMinor: d.amount } }] : [];
    }
    case 'feedback.survey.answered.v1': {
      const d = event.data as EventData<typeof SurveyAnsweredV1>;
      return [
        day(d.answeredAt, {
          surveysAnswered: 1,
          ratingAttitudeSum: d.ratings.attitude,
          ratingSkillSum: d.ratings.skill,
          ratingArrivalTimeSum: d.ratings.arrivalTime,
          ratingPromiseKeepingSum: d.ratings.promiseKeeping,
        }),
      ];
    }
    case 'feedback.complaint.received.v1': {
      const d = event.data as EventData<typeof ComplaintReceivedV1>;
      if (known.complaint) return [];
      const receivedOn = dateOf(branchId, d.receivedAt);
      const info: Effect = {
        kind: 'complaint',
        complaintId: d.complaintId,
        set: { branchId, kind: d.kind, receivedOn, open: true },
      };
      if (d.kind === 'suggestion') return [info];
      const serious = d.severity === 'serious' ? 1 : 0;
      return [
        {
          kind: 'day',
          branchId,
          date: receivedOn,
          inc: { complaintsReceived: 1, complaintsSerious: serious, complaintsOpen: 1 },
        },
        info,
      ];
    }
    case 'feedback.complaint.resolved.v1': {
      const d = event.data as EventData<typeof ComplaintResolvedV1>;
      const complaint = need(known.complaint, `complaint ${d.complaintId}`);
      if (!complaint.open) return [];
      const close: Effect = { kind: 'complaint', complaintId: d.complaintId, set: { open: false } };
      if (complaint.kind === 'suggestion') return [close];
      return [{ kind: 'day', branchId, date: complaint.receivedOn, inc: { complaintsOpen: -1 } }, close];
    }
    // Plain counts below: booked on the business date of the fact's own instant when the event carries
    // one, else of the event's time; a redelivery is recognised by the event key like every increment.
    case 'intake.call.cancelled.v1': {
      const d = event.data as EventData<typeof CallCancelledV1>;
      return [
        day(event.time, { callsCancelled: 1 }),
        { kind: 'call', callId: d.callId, set: { cancelledOn: dateOf(branchId, event.time) } },
      ];
    }
    case 'dispatch.sla.at-risk.v1': {
      const d = event.data as EventData<typeof SlaAtRiskV1>;
      return [day(event.time, { [`slaAtRisk${zoneKey(d.zone)}`]: 1 })];
    }
    case 'dispatch.sla.breached.v1': {
      const d = event.data as EventData<typeof SlaBreachedV1>;
      // [19] the breach happened when the due time passed, whenever dispatch noticed it
      return [day(d.slaDueAt, { [`slaBreached${zoneKey(d.zone)}`]: 1 })];
    }
    case 'dispatch.product.taken-to-shop.v1': {
      const d = event.data as EventData<typeof ProductTakenToShopV1>;
      return [day(d.customerSignedAt, { takenToShop: 1 })];
    }
    case 'billing.contract.created.v1':
      return [day(event.time, { contractsCreated: 1 })];
    case 'billing.contract.renewed.v1':
      return [day(event.time, { contractsRenewed: 1 })];
    case 'billing.contract.expiring.v1': {
      const d = event.data as EventData<typeof ContractExpiringV1>;
      return [day(d.noticeSentAt, { contractsExpiring: 1 })];
    }
    case 'billing.contract.expired.v1':
      return [day(event.time, { contractsExpired: 1 })];
    case 'feedback.survey.sent.v1': {
      const d = event.data as EventData<typeof SurveySentV1>;
      return [day(d.sentAt, { surveysSent: 1 })];
    }
    case 'feedback.complaint.escalated.v1': {
      const d = event.data as EventData<typeof ComplaintEscalatedV1>;
      return [day(d.escalatedAt, { complaintsEscalated: 1 })];
    }
    case 'feedback.complaint.customer-notified.v1': {
      const d = event.data as EventData<typeof ComplaintCustomerNotifiedV1>;
      return [day(d.notifiedAt, { complaintsCustomerNotified: 1 })];
    }
    case 'feedback.technician.evaluated.v1': {
      const d = event.data as EventData<typeof TechnicianEvaluatedV1>;
      // [23] the latest evaluation of a technician's month wins; an older one arriving late changes nothing
      if (known.evaluation && Date.parse(known.evaluation.evaluatedAt) >= Date.parse(event.time)) return [];
      return [
        {
          kind: 'technician-month',
          id: technicianMonthId(d.technicianId, d.month),
          set: {
            branchId,
            technicianId: d.technicianId,
            month: d.month,
            surveys: d.surveys,
            ...(d.averages ? { averages: { ...d.averages } } : {}),
            evaluatedAt: new Date(event.time).toISOString(),
          },
        },
      ];
    }
    default:
      return [];
  }
}
