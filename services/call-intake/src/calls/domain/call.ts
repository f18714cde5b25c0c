import { ConflictError } from '@aftersales/service-kit/domain-errors';
import type { Category, Classification, CoverageAnswer } from './classification';

/**
 * Life of a repair call [8][9][11][12]: registered → dispatched → on site → (in shop) → completed → closed,
 * or cancelled before it is closed. Dispatch and the repair shop report facts as events, which may arrive
 * twice, late or out of order: a fact never moves a call backwards (the rank below decides), it is only
 * recorded in the timeline. Closed and cancelled are final.
 */
export type CallStatus = 'registered' | 'dispatched' | 'on-site' | 'in-shop' | 'completed' | 'closed' | 'cancelled';

export const STATUS_RANK: Record<CallStatus, number> = {
  registered: 0,
  dispatched: 1,
  'on-site': 2,
  'in-shop': 3,
  completed: 4,
  closed: 5,
  cancelled: 5,
};

export const OPEN_STATUSES: readonly CallStatus[] = ['registered', 'dispatched', 'on-site', 'in-shop', 'completed'];
const isFinal = (s: CallStatus) => s === 'closed' || s === 'cancelled';

export type Zone = 'urban' | 'suburban';
export type Channel = 'phone' | 'document';

export interface CallCustomer {
  id: string;
  name: string;
  phone: string;
  address: string;
  postalCode: string;
  zone: Zone;
}

export interface CallProduct {
  id: string;
  model: string;
  serial: string;
  purchaseDate?: string;
  warrantyEndsOn?: string;
}

export interface PartUsed {
  partNo: string;
  qty: number;
}

/** What the technician or the shop reported when the work was done; the close event carries it. */
export interface Completion {
  kind: 'on-site' | 'shop';
  technicianId: string;
  labourMinutes: number;
  parts: PartUsed[];
  cashCollected?: number;
  receiptNo?: string;
  completedAt: string;
  customerSignedAt: string;
}

export interface TimelineEntry {
  at: string;
  from: CallStatus | null;
  to: CallStatus;
  /** Event type or command, e.g. `dispatch.technician.arrived.v1`, `clerk.close`. */
  cause: string;
  by?: string;
  note?: string;
}

export interface CoverageState {
  /** `warranty`: decided locally (C); `known`: billing answered; `pending`: waiting for billing. */
  state: 'warranty' | 'known' | 'pending';
  contractId?: string;
  attempts: number;
  nextAttemptAt?: string;
  lastError?: string;
}

export interface CarryOver {
  businessDate: string;
  /** [18] The next working day, when the call goes to the director first thing for priority dispatch. */
  dueFor: string;
  at: string;
}

export interface CallProps {
  id: string;
  branchId: string;
  seq: number;
  callNumber: string;
  voucherNo: string;
  channel: Channel;
  customer: CallCustomer;
  product: CallProduct;
  problem: string;
  category: Category;
  provisional: boolean;
  coverage: CoverageState;
  status: CallStatus;
  priority: 'normal' | 'high';
  technicianId?: string;
  technicianName?: string;
  assignedAt?: string;
  completion?: Completion;
  receivedAt: string;
  /** Branch-local date the call was received: its day in the repair-call log. */
  businessDate: string;
  registeredBy: string;
  carriedOver: CarryOver[];
  closedAt?: string;
  closedBy?: string;
  cancelledAt?: string;
  cancelReason?: string;
  timeline: TimelineEntry[];
}

/** Facts the aggregate raised in the last operation; the application turns them into catalogue events. */
export type CallFact =
  | { kind: 'registered' }
  | { kind: 'reclassified'; from: Category; to: Category; reason: string }
  | { kind: 'carried-over'; businessDate: string }
  | { kind: 'closed' }
  | { kind: 'cancelled'; reason: string };

export interface RegisterInput {
  id: string;
  branchId: string;
  seq: number;
  callNumber: string;
  voucherNo: string;
  channel: Channel;
  customer: CallCustomer;
  product: CallProduct;
  problem: string;
  classification: Classification;
  receivedAt: Date;
  /** When the clerk registered it, if later than `receivedAt` (a letter read later); default `receivedAt`. */
  registeredAt?: Date;
  businessDate: string;
  registeredBy: string;
}

export class RepairCall {
  private facts: CallFact[] = [];

  private constructor(private s: CallProps) {}

  static restore(props: CallProps): RepairCall {
    return new RepairCall(structuredClone(props));
  }

  /** [8] A new entry in the repair-call log, with its service voucher. */
  static register(input: RegisterInput): RepairCall {
    const received = input.receivedAt.toISOString();
    const at = (input.registeredAt ?? input.receivedAt).toISOString();
    const late = at !== received ? `; came in at ${received}` : '';
    const { classification: c } = input;
    const call = new RepairCall({
      id: input.id,
      branchId: input.branchId,
      seq: input.seq,
      callNumber: input.callNumber,
      voucherNo: input.voucherNo,
      channel: input.channel,
      customer: input.customer,
      product: input.product,
      problem: input.problem,
      category: c.category,
      provisional: c.provisional,
      coverage: c.provisional
        ? { state: 'pending', attempts: 1, nextAttemptAt: at }
        : { state: c.category === 'C' ? 'warranty' : 'known', attempts: 0, contractId: c.contractId },
      status: 'registered',
      priority: 'normal',
      receivedAt: received,
      businessDate: input.businessDate,
      registeredBy: input.registeredBy,
      carriedOver: [],
      timeline: [
        {
          at,
          from: null,
          to: 'registered',
          cause: 'clerk.register',
          by: input.registeredBy,
          note: `${c.reason}${late}`,
        },
      ],
    });
    call.facts.push({ kind: 'registered' });
    return call;
  }

  get props(): Readonly<CallProps> {
    return this.s;
  }

  get id(): string {
    return this.s.id;
  }

  /** Facts raised since the last call of this method. */
  pullFacts(): CallFact[] {
    const facts = this.facts;
    this.facts = [];
    return facts;
  }

  /** [8] Assigned (or reassigned) by the director. The latest assignment names the technician. */
  assign(f: { technicianId: string; technicianName: string; assignedAt: string; assignedBy: string; cause: string }) {
    if (!isFinal(this.s.status) && (!this.s.assignedAt || f.assignedAt >= this.s.assignedAt)) {
      this.s.technicianId = f.technicianId;
      this.s.technicianName = f.technicianName;
      this.s.assignedAt = f.assignedAt;
    }
    this.advance('dispatched', f.assignedAt, f.cause, f.assignedBy, `technician ${f.technicianId}`);
  }

  /** [9] The technician arrived on site with the voucher. */
  arrive(f: { technicianId: string; arrivedAt: string; cause: string }) {
    this.noteTechnician(f.technicianId);
    this.advance('on-site', f.arrivedAt, f.cause, f.technicianId);
  }

  /** [10] Done on site; the customer signed the voucher. */
  completeOnSite(f: Omit<Completion, 'kind'> & { cause: string }) {
    const { cause, ...completion } = f;
    this.complete({ kind: 'on-site', ...completion }, cause);
  }

  /** [11] Not repairable on site: the product went to the shop with a pickup receipt. */
  takeToShop(f: { technicianId: string; receiptNo: string; at: string; cause: string }) {
    this.noteTechnician(f.technicianId);
    this.advance('in-shop', f.at, f.cause, f.technicianId, `pickup receipt ${f.receiptNo}`);
  }

  /** [12] Back from the shop, receipt voided, voucher signed: the shop's time and parts are the work done. */
  returnFromShop(f: Omit<Completion, 'kind'> & { cause: string }) {
    const { cause, ...completion } = f;
    this.complete({ kind: 'shop', ...completion }, cause);
  }

  /** [9][12] The clerk checked the signed voucher against the log and logged it out. Only a completed call. */
  close(at: Date, by: string) {
    if (this.s.status !== 'completed' || !this.s.completion) {
      throw new ConflictError(`call ${this.s.callNumber} is ${this.s.status}: only a completed call can be closed`);
    }
    this.s.closedAt = at.toISOString();
    this.s.closedBy = by;
    this.move('closed', this.s.closedAt, 'clerk.close', by, `voucher ${this.s.voucherNo} logged out`);
    this.facts.push({ kind: 'closed' });
  }

  cancel(reason: string, at: Date, by: string) {
    if (isFinal(this.s.status)) {
      throw new ConflictError(`call ${this.s.callNumber} is already ${this.s.status}: it cannot be cancelled`);
    }
    this.s.cancelledAt = at.toISOString();
    this.s.cancelReason = reason;
    this.move('cancelled', this.s.cancelledAt, 'clerk.cancel', by, reason);
    this.facts.push({ kind: 'cancelled', reason });
  }

  /** Billing answered for a provisional call: settle the category, and say so when it changed. */
  resolveCoverage(answer: Exclude<CoverageAnswer, 'unknown'>, at: Date): void {
    if (this.s.coverage.state !== 'pending') return;
    const from = this.s.category;
    const to: Category = answer.covered ? 'B' : 'A';
    const reason = answer.covered
      ? `coverage known: maintenance contract ${answer.contractId}`
      : 'coverage known: no contract on the call date';
    this.s.category = to;
    this.s.provisional = false;
    this.s.coverage = {
      state: 'known',
      attempts: this.s.coverage.attempts + 1,
      ...(answer.covered ? { contractId: answer.contractId } : {}),
    };
    this.s.timeline.push({
      at: at.toISOString(),
      from: this.s.status,
      to: this.s.status,
      cause: 'billing.coverage',
      note: `${reason}; category ${from} → ${to}`,
    });
    if (from !== to && this.s.status !== 'cancelled') this.facts.push({ kind: 'reclassified', from, to, reason });
  }

  /** Billing still did not answer: try again later, waiting longer each time. */
  coverageStillUnknown(at: Date, error: string, retry: { baseMs: number; maxMs: number }): void {
    if (this.s.coverage.state !== 'pending') return;
    const attempts = this.s.coverage.attempts + 1;
    const wait = Math.min(retry.baseMs * 2 ** Math.max(0, attempts - 2), retry.maxMs);
    this.s.coverage = {
      state: 'pending',
      attempts,
      nextAttemptAt: new Date(at.getTime() + wait).toISOString(),
      lastError: error,
    };
  }

  /**
   * [18] Not dispatched by the end of `businessDate`: carried over with high priority to the director the
   * next working day. Once per call per date; a call dispatched meanwhile is not carried.
   */
  carryOver(businessDate: string, dueFor: string, at: Date): boolean {
    if (this.s.status !== 'registered') return false;
    if (this.s.carriedOver.some((c) => c.businessDate === businessDate)) return false;
    const when = at.toISOString();
    this.s.carriedOver.push({ businessDate, dueFor, at: when });
    this.s.priority = 'high';
    this.s.timeline.push({
      at: when,
      from: this.s.status,
      to: this.s.status,
      cause: 'reconciliation.carry-over',
      note: `not dispatched on ${businessDate}: priority dispatch on ${dueFor}`,
    });
    this.facts.push({ kind: 'carried-over', businessDate });
    return true;
  }

  private complete(completion: Completion, cause: string) {
    if (!isFinal(this.s.status)) {
      this.s.completion = completion;
      this.noteTechnician(completion.technicianId);
    }
    this.advance('completed', completion.completedAt, cause, completion.technicianId);
  }

  private noteTechnician(technicianId: string) {
    if (!this.s.technicianId && !isFinal(this.s.status)) this.s.technicianId = technicianId;
  }

  /** Moves forward only; a late or out-of-order fact is kept in the timeline without changing the state. */
  private advance(to: CallStatus, at: string, cause: string, by?: string, note?: string) {
    const from = this.s.status;
    if (isFinal(from) || STATUS_RANK[to] <= STATUS_RANK[from]) {
      const why = isFinal(from) ? `call already ${from}` : `arrived after ${from}: state kept`;
      this.s.timeline.push({ at, from, to: from, cause, ...(by ? { by } : {}), note: note ? `${note}; ${why}` : why });
      return;
    }
    this.move(to, at, cause, by, note);
  }

  private move(to: CallStatus, at: string, cause: string, by?: string, note?: string) {
    this.s.timeline.push({ at, from: this.s.status, to, cause, ...(by ? { by } : {}), ...(note ? { note } : {}) });
    this.s.status = to;
  }
}
