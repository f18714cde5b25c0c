import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';

/**
 * A shop repair, one per call (id = callId), opened when dispatch takes the product to the shop [11].
 *
 *   awaiting-check-in → in-repair → completed → verified → returned
 *                          ↑            │ (verification failed)
 *                          └────────────┘
 *
 * A call cancelled while its product is in the shop is flagged "return without repair": from any state
 * but `returned` it may go straight to `returned`, skipping completion and verification (there is nothing
 * to verify: the product goes back as it came, with whatever time and parts were already logged).
 */
export type RepairStatus = 'awaiting-check-in' | 'in-repair' | 'completed' | 'verified' | 'returned';

export interface Product {
  model: string;
  serial: string;
}

export interface PartUsed {
  partNo: string;
  qty: number;
}

/** [12] Actual repair time, as logged on the repair card. */
export interface WorkEntry {
  technicianId: string;
  minutes: number;
  note?: string;
  loggedAt: Date;
}

/** [12] A spare part used, as logged on the repair card. */
export interface PartEntry extends PartUsed {
  technicianId: string;
  loggedAt: Date;
}

export interface HistoryEntry {
  at: Date;
  action:
    | 'opened'
    | 'checked-in'
    | 'work-logged'
    | 'part-logged'
    | 'completed'
    | 'verified'
    | 'verification-failed'
    | 'overdue'
    | 'escalated'
    | 'rescheduled'
    | 'flagged-return-without-repair'
    | 'returned';
  by: string;
  detail?: Record<string, string>;
}

/** [11][12] The IN line of the product in/out register. */
export interface CheckIn {
  checkedInAt: Date;
  /** Branch-local date of the check-in: the register is listed by it. */
  checkInDate: string;
  condition: string;
  by: string;
}

/** [12] The OUT line of the register: returned with the voucher for the customer's signature. */
export interface Return {
  returnedAt: Date;
  returnDate: string;
  /** Name of the customer who signed the voucher on return. */
  customerSignature: string;
  customerSignedAt: Date;
  by: string;
  withoutRepair: boolean;
}

export interface Repair {
  callId: string;
  branchId: string;
  /** The technician who took the product to the shop (responsible for it). */
  technicianId: string;
  receiptNo: string;
  product: Product;
  fault: string;
  /** When the customer signed the voucher as the product was taken [11]. */
  pickupSignedAt: Date;
  openedAt: Date;
  status: RepairStatus;
  checkIn?: CheckIn;
  /** Branch-local date the repair is scheduled to be done by. */
  scheduledFor?: string;
  /** [14] End of the scheduled business day in the branch's zone: not completed by then = overdue. */
  dueAt?: Date;
  /** The overdue check is waiting for `dueAt` (equality key for the scheduler). */
  overdueArmed: boolean;
  /** Currently overdue (director's list): raised for the current scheduled date and not completed. */
  overdue: boolean;
  /** Scheduled dates for which overdue was already raised: once per repair per scheduled date. */
  overdueRaisedFor: string[];
  work: WorkEntry[];
  parts: PartEntry[];
  completedBy?: string;
  completedAt?: Date;
  verifiedBy?: string;
  verifiedAt?: Date;
  returned?: Return;
  returnWithoutRepair?: { reason: string; flaggedAt: Date };
  history: HistoryEntry[];
}

/** Facts a change raises; the application turns them into the catalogue's events. */
export type RepairFact =
  | {
      kind: 'checked-in';
      callId: string;
      receiptNo: string;
      technicianId: string;
      checkedInAt: Date;
      scheduledFor: string;
    }
  | { kind: 'overdue'; callId: string; technicianId: string; scheduledFor: string }
  | {
      kind: 'completed';
      callId: string;
      technicianId: string;
      labourMinutes: number;
      parts: PartUsed[];
      verifiedBy: string;
      completedAt: Date;
    }
  | {
      kind: 'returned';
      callId: string;
      receiptNo: string;
      technicianId: string;
      returnedAt: Date;
      labourMinutes: number;
      parts: PartUsed[];
      customerSignedAt: Date;
    };

/** What the domain needs of a branch's working calendar (BranchCalendar from @aftersales/calendar fits). */
export interface ShopCalendar {
  businessDate(at: Date): string;
  isWorkingDay(date: string): boolean;
  endOfBusinessDay(date: string): Date | undefined;
}

export interface OpenRepair {
  callId: string;
  branchId: string;
  technicianId: string;
  receiptNo: string;
  product: Product;
  fault: string;
  pickupSignedAt: Date;
}

/** A change: the new state and the facts it raised. */
export interface Change {
  repair: Repair;
  facts: RepairFact[];
}

// ---- rules -------------------------------------------------------------------------------------------

export function openRepair(input: OpenRepair, now: Date): Repair {
  return {
    ...input,
    openedAt: now,
    status: 'awaiting-check-in',
    overdueArmed: false,
    overdue: false,
    overdueRaisedFor: [],
    work: [],
    parts: [],
    history: [{ at: now, action: 'opened', by: input.technicianId, detail: { receiptNo: input.receiptNo } }],
  };
}

/** [12] Totals of the repair card: minutes, and quantity per part number (in first-logged order). */
export function cardTotals(repair: Pick<Repair, 'work' | 'parts'>): { labourMinutes: number; parts: PartUsed[] } {
  const labourMinutes = repair.work.reduce((sum, w) => sum + w.minutes, 0);
  const byPart = new Map<string, number>();
  for (const p of repair.parts) byPart.set(p.partNo, (byPart.get(p.partNo) ?? 0) + p.qty);
  return { labourMinutes, parts: [...byPart].map(([partNo, qty]) => ({ partNo, qty })) };
}

/**
 * [14] The repair must be done by the end of its scheduled business day, in the branch's zone. Only a
 * working day of the branch can be scheduled (a closed day has no end of business to be late by), and
 * never a day already past.
 */
export function scheduleDeadline(calendar: ShopCalendar, scheduledFor: string, now: Date): Date {
  const today = calendar.businessDate(now);
  if (scheduledFor < today) {
    throw new ValidationError('The scheduled date is in the past.', [
      { field: 'scheduledFor', message: `must be ${today} or later (branch-local date)` },
    ]);
  }
  const end = calendar.isWorkingDay(scheduledFor) ? calendar.endOfBusinessDay(scheduledFor) : undefined;
  if (!end) {
    throw new ValidationError('The scheduled date is not a working day of the branch.', [
      { field: 'scheduledFor', message: `${scheduledFor} is a closed day or holiday of the branch` },
    ]);
  }
  return end;
}

function assertNotCancelled(repair: Repair, what: string): void {
  if (repair.returnWithoutRepair) {
    throw new ConflictError(`Cannot ${what}: the call was cancelled, the product is to be returned without repair.`);
  }
}

function assertStatus(repair: Repair, allowed: RepairStatus[], what: string): void {
  if (!allowed.includes(repair.status)) {
    throw new ConflictError(`Cannot ${what}: repair ${repair.callId} is ${repair.status}.`);
  }
}

/** [11][12] Logged IN in the register: condition and scheduled completion date; the card hangs on it. */
export function checkIn(
  repair: Repair,
  input: { condition: string; scheduledFor: string; by: string },
  calendar: ShopCalendar,
  now: Date,
): Change {
  assertStatus(repair, ['awaiting-check-in'], 'check in');
  assertNotCancelled(repair, 'check in');
  const dueAt = scheduleDeadline(calendar, input.scheduledFor, now);
  const next: Repair = {
    ...repair,
    status: 'in-repair',
    checkIn: { checkedInAt: now, checkInDate: calendar.businessDate(now), condition: input.condition, by: input.by },
    scheduledFor: input.scheduledFor,
    dueAt,
    overdueArmed: true,
    overdue: false,
    history: [
      ...repair.history,
      { at: now, action: 'checked-in', by: input.by, detail: { scheduledFor: input.scheduledFor } },
    ],
  };
  return {
    repair: next,
    facts: [
      {
        kind: 'checked-in',
        callId: repair.callId,
        receiptNo: repair.receiptNo,
        technicianId: repair.technicianId,
        checkedInAt: now,
        scheduledFor: input.scheduledFor,
      },
    ],
  };
}

/** [12] Actual repair time on the card. */
export function logWork(
  repair: Repair,
  input: { minutes: number; note?: string },
  technicianId: string,
  now: Date,
): Change {
  assertStatus(repair, ['in-repair'], 'log repair time');
  assertNotCancelled(repair, 'log repair time');
  const entry: WorkEntry = {
    technicianId,
    minutes: input.minutes,
    loggedAt: now,
    ...(input.note ? { note: input.note } : {}),
  };
  return {
    repair: {
      ...repair,
      work: [...repair.work, entry],
      history: [
        ...repair.history,
        { at: now, action: 'work-logged', by: technicianId, detail: { minutes: String(input.minutes) } },
      ],
    },
    facts: [],
  };
}

/** [12] A spare part used, on the card. */
export function logPart(repair: Repair, input: PartUsed, technicianId: string, now: Date): Change {
  assertStatus(repair, ['in-repair'], 'log a spare part');
  assertNotCancelled(repair, 'log a spare part');
  return {
    repair: {
      ...repair,
      parts: [...repair.parts, { partNo: input.partNo, qty: input.qty, technicianId, loggedAt: now }],
      history: [
        ...repair.history,
        { at: now, action: 'part-logged', by: technicianId, detail: { partNo: input.partNo, qty: String(input.qty) } },
      ],
    },
    facts: [],
  };
}

/**
 * [12] The technician declares the repair done. The card must show the actual time spent. Completion
 * stops the overdue check [14] (verification is a check of the result, not part of the repair time).
 */
export function complete(repair: Repair, technicianId: string, now: Date): Change {
  assertStatus(repair, ['in-repair'], 'complete');
  assertNotCancelled(repair, 'complete');
  if (cardTotals(repair).labourMinutes === 0) {
    throw new ConflictError('Cannot complete: log the actual repair time on the repair card first [12].');
  }
  return {
    repair: {
      ...repair,
      status: 'completed',
      completedBy: technicianId,
      completedAt: now,
      overdueArmed: false,
      overdue: false,
      history: [...repair.history, { at: now, action: 'completed', by: technicianId }],
    },
    facts: [],
  };
}

/**
 * [12] A technician (the same or another) checks that the product works. Passing raises
 * repairshop.repair.completed.v1; failing sends it back to repair (the overdue check re-arms unless it
 * already fired for the current scheduled date).
 */
export function verify(
  repair: Repair,
  input: { works: boolean; note?: string },
  technicianId: string,
  now: Date,
): Change {
  assertStatus(repair, ['completed'], 'verify');
  assertNotCancelled(repair, 'verify');
  if (!input.works) {
    const raised = repair.overdueRaisedFor.includes(repair.scheduledFor ?? '');
    return {
      repair: {
        ...repair,
        status: 'in-repair',
        completedBy: undefined,
        completedAt: undefined,
        overdueArmed: !raised,
        overdue: raised,
        history: [
          ...repair.history,
          {
            at: now,
            action: 'verification-failed',
            by: technicianId,
            ...(input.note ? { detail: { note: input.note } } : {}),
          },
        ],
      },
      facts: [],
    };
  }
  const totals = cardTotals(repair);
  return {
    repair: {
      ...repair,
      status: 'verified',
      verifiedBy: technicianId,
      verifiedAt: now,
      history: [...repair.history, { at: now, action: 'verified', by: technicianId }],
    },
    facts: [
      {
        kind: 'completed',
        callId: repair.callId,
        technicianId: repair.completedBy!,
        labourMinutes: totals.labourMinutes,
        parts: totals.parts,
        verifiedBy: technicianId,
        completedAt: repair.completedAt!,
      },
    ],
  };
}

/**
 * [12][13] Logged OUT: the product goes back with the voucher for the customer's signature. Only a
 * verified repair, or one flagged "return without repair" (cancelled call). The event carries the card's
 * totals so the close and the invoice need nothing else [13].
 */
export function returnToCustomer(
  repair: Repair,
  input: { customerSignature: string; customerSignedAt: Date; by: string },
  calendar: Pick<ShopCalendar, 'businessDate'>,
  now: Date,
): Change {
  if (repair.status === 'returned') throw new ConflictError(`Repair ${repair.callId} was already returned.`);
  const withoutRepair = !!repair.returnWithoutRepair;
  if (!withoutRepair && repair.status !== 'verified') {
    throw new ConflictError(
      `Cannot return: repair ${repair.callId} is ${repair.status}; only a verified repair goes back [12].`,
    );
  }
  const totals = cardTotals(repair);
  return {
    repair: {
      ...repair,
      status: 'returned',
      overdueArmed: false,
      overdue: false,
      returned: {
        returnedAt: now,
        returnDate: calendar.businessDate(now),
        customerSignature: input.customerSignature,
        customerSignedAt: input.customerSignedAt,
        by: input.by,
        withoutRepair,
      },
      history: [
        ...repair.history,
        { at: now, action: 'returned', by: input.by, ...(withoutRepair ? { detail: { withoutRepair: 'true' } } : {}) },
      ],
    },
    facts: [
      {
        kind: 'returned',
        callId: repair.callId,
        receiptNo: repair.receiptNo,
        technicianId: repair.completedBy ?? repair.technicianId,
        returnedAt: now,
        labourMinutes: totals.labourMinutes,
        parts: totals.parts,
        customerSignedAt: input.customerSignedAt,
      },
    ],
  };
}

/** [14] Due and not completed: escalate to the director, once per scheduled date. Undefined = nothing to do. */
export function markOverdue(repair: Repair, now: Date): Change | undefined {
  if (!repair.overdueArmed || repair.status !== 'in-repair' || repair.returnWithoutRepair) return undefined;
  if (!repair.dueAt || !repair.scheduledFor || now.getTime() < repair.dueAt.getTime()) return undefined;
  if (repair.overdueRaisedFor.includes(repair.scheduledFor)) return undefined;
  return {
    repair: {
      ...repair,
      overdueArmed: false,
      overdue: true,
      overdueRaisedFor: [...repair.overdueRaisedFor, repair.scheduledFor],
      history: [
        ...repair.history,
        { at: now, action: 'overdue', by: 'system', detail: { scheduledFor: repair.scheduledFor } },
      ],
    },
    facts: [
      { kind: 'overdue', callId: repair.callId, technicianId: repair.technicianId, scheduledFor: repair.scheduledFor },
    ],
  };
}

/**
 * [14] "If the product cannot be repaired as scheduled, the technician informs the service director at once":
 * the technician escalates as soon as they know (e.g. a part that will not arrive in time), before the end of
 * the scheduled day. It is the same escalation the end-of-day check raises (overdue, once per scheduled date:
 * the check then finds it already raised), by the technician and with the reason in the history.
 */
export function escalate(repair: Repair, input: { reason: string; by: string }, now: Date): Change {
  assertStatus(repair, ['in-repair'], 'escalate');
  assertNotCancelled(repair, 'escalate');
  const scheduledFor = repair.scheduledFor!;
  if (repair.overdueRaisedFor.includes(scheduledFor)) {
    throw new ConflictError(`Repair ${repair.callId} was already escalated for ${scheduledFor}.`);
  }
  return {
    repair: {
      ...repair,
      overdueArmed: false,
      overdue: true,
      overdueRaisedFor: [...repair.overdueRaisedFor, scheduledFor],
      history: [
        ...repair.history,
        { at: now, action: 'escalated', by: input.by, detail: { scheduledFor, reason: input.reason } },
      ],
    },
    facts: [{ kind: 'overdue', callId: repair.callId, technicianId: repair.technicianId, scheduledFor }],
  };
}

/** [14] A new scheduled date with its reason, kept in the history; the overdue check re-arms for it. */
export function reschedule(
  repair: Repair,
  input: { scheduledFor: string; reason: string; by: string },
  calendar: ShopCalendar,
  now: Date,
): Change {
  assertStatus(repair, ['in-repair'], 'reschedule');
  assertNotCancelled(repair, 'reschedule');
  if (input.scheduledFor === repair.scheduledFor) {
    throw new ValidationError('The repair is already scheduled for that date.', [
      { field: 'scheduledFor', message: 'must differ from the current scheduled date' },
    ]);
  }
  const dueAt = scheduleDeadline(calendar, input.scheduledFor, now);
  const raised = repair.overdueRaisedFor.includes(input.scheduledFor);
  return {
    repair: {
      ...repair,
      scheduledFor: input.scheduledFor,
      dueAt,
      overdueArmed: !raised,
      overdue: false,
      history: [
        ...repair.history,
        {
          at: now,
          action: 'rescheduled',
          by: input.by,
          detail: { from: repair.scheduledFor ?? '', to: input.scheduledFor, reason: input.reason },
        },
      ],
    },
    facts: [],
  };
}

/**
 * The call was cancelled: if the product is in the shop it is flagged to go back without repair; the
 * overdue check stops. Undefined when there is nothing to change (already returned or already flagged).
 */
export function flagReturnWithoutRepair(repair: Repair, reason: string, now: Date): Change | undefined {
  if (repair.status === 'returned' || repair.returnWithoutRepair) return undefined;
  return {
    repair: {
      ...repair,
      returnWithoutRepair: { reason, flaggedAt: now },
      overdueArmed: false,
      overdue: false,
      history: [
        ...repair.history,
        { at: now, action: 'flagged-return-without-repair', by: 'system', detail: { reason } },
      ],
    },
    facts: [],
  };
}
