import { BranchCalendar } from '@aftersales/calendar';
import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';
import { assertCanOpenRepair, assertUsableForCheckIn, issueReceipt, voidReceipt } from './pickup-receipt';
import {
  cardTotals,
  checkIn,
  complete,
  escalate,
  flagReturnWithoutRepair,
  logPart,
  logWork,
  markOverdue,
  openRepair,
  reschedule,
  returnToCustomer,
  scheduleDeadline,
  verify,
  type Repair,
} from './repair';

const day = [{ from: '09:00', to: '18:00' }];
// Madrid, weekdays 09:00–18:00; 2026-03-09 is a Monday (UTC+1 until 29 March).
const calendar = new BranchCalendar({
  timezone: 'Europe/Madrid',
  businessHours: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
  holidays: ['2026-03-11'],
});
const at = (iso: string) => new Date(iso);
const MON_10 = at('2026-03-09T09:00:00Z'); // 10:00 local

const opened = (): Repair =>
  openRepair(
    {
      callId: 'c1',
      branchId: 'br-north',
      technicianId: 't1',
      receiptNo: 'R-1',
      product: { model: 'WM-1', serial: 'S1' },
      fault: 'drum does not turn',
      pickupSignedAt: at('2026-03-09T08:00:00Z'),
    },
    at('2026-03-09T08:30:00Z'),
  );

const checkedIn = (scheduledFor = '2026-03-10'): Repair =>
  checkIn(opened(), { condition: 'scratched lid', scheduledFor, by: 'clerk1' }, calendar, MON_10).repair;

const repaired = (): Repair => {
  let r = checkedIn();
  r = logWork(r, { minutes: 45, note: 'motor brushes' }, 't1', MON_10).repair;
  r = logWork(r, { minutes: 30 }, 't2', MON_10).repair;
  r = logPart(r, { partNo: 'BR-9', qty: 2 }, 't1', MON_10).repair;
  r = logPart(r, { partNo: 'BR-9', qty: 1 }, 't2', MON_10).repair;
  r = logPart(r, { partNo: 'BELT', qty: 1 }, 't1', MON_10).repair;
  return complete(r, 't1', at('2026-03-09T12:00:00Z')).repair;
};

describe('shop repair state machine', () => {
  it('checks in: in-repair, deadline = end of the scheduled business day in the branch zone, checked-in fact', () => {
    const { repair, facts } = checkIn(
      opened(),
      { condition: 'scratched lid', scheduledFor: '2026-03-10', by: 'clerk1' },
      calendar,
      MON_10,
    );
    expect(repair.status).toBe('in-repair');
    expect(repair.dueAt).toEqual(at('2026-03-10T17:00:00Z')); // 18:00 Madrid
    expect(repair.checkIn).toEqual({
      checkedInAt: MON_10,
      checkInDate: '2026-03-09',
      condition: 'scratched lid',
      by: 'clerk1',
    });
    expect(repair.overdueArmed).toBe(true);
    expect(facts).toEqual([
      {
        kind: 'checked-in',
        callId: 'c1',
        receiptNo: 'R-1',
        technicianId: 't1',
        checkedInAt: MON_10,
        scheduledFor: '2026-03-10',
      },
    ]);
    expect(() => checkIn(repair, { condition: 'x', scheduledFor: '2026-03-10', by: 'c' }, calendar, MON_10)).toThrow(
      ConflictError,
    );
  });

  it('refuses a scheduled date in the past, on a holiday or a weekend, naming the field', () => {
    for (const date of ['2026-03-06', '2026-03-11', '2026-03-14']) {
      try {
        scheduleDeadline(calendar, date, MON_10);
        throw new Error('expected a ValidationError');
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        expect((err as ValidationError).errors[0].field).toBe('scheduledFor');
      }
    }
    expect(scheduleDeadline(calendar, '2026-03-09', MON_10)).toEqual(at('2026-03-09T17:00:00Z'));
    // After DST (29 March) 18:00 Madrid is 16:00Z.
    expect(scheduleDeadline(calendar, '2026-03-30', MON_10)).toEqual(at('2026-03-30T16:00:00Z'));
  });

  it('needs a check-in before any work, and logged time before completion', () => {
    expect(() => logWork(opened(), { minutes: 10 }, 't1', MON_10)).toThrow(ConflictError);
    expect(() => complete(checkedIn(), 't1', MON_10)).toThrow(/log the actual repair time/);
  });

  it('totals the card: minutes, and quantity per part number', () => {
    expect(cardTotals(repaired())).toEqual({
      labourMinutes: 75,
      parts: [
        { partNo: 'BR-9', qty: 3 },
        { partNo: 'BELT', qty: 1 },
      ],
    });
  });

  it('verifies only after completion (same or another technician), raising the completed fact with the totals', () => {
    expect(() => verify(checkedIn(), { works: true }, 't2', MON_10)).toThrow(ConflictError);
    const done = repaired();
    expect(done.status).toBe('completed');
    expect(done.overdueArmed).toBe(false);
    expect(() => logWork(done, { minutes: 5 }, 't1', MON_10)).toThrow(ConflictError);
    const { repair, facts } = verify(done, { works: true }, 't2', at('2026-03-09T13:00:00Z'));
    expect(repair.status).toBe('verified');
    expect(facts).toEqual([
      {
        kind: 'completed',
        callId: 'c1',
        technicianId: 't1',
        labourMinutes: 75,
        parts: [
          { partNo: 'BR-9', qty: 3 },
          { partNo: 'BELT', qty: 1 },
        ],
        verifiedBy: 't2',
        completedAt: at('2026-03-09T12:00:00Z'),
      },
    ]);
    // The same technician may verify too.
    expect(verify(done, { works: true }, 't1', MON_10).repair.verifiedBy).toBe('t1');
  });

  it('sends a repair that fails verification back to repair, re-arming the overdue check', () => {
    const { repair, facts } = verify(repaired(), { works: false, note: 'still noisy' }, 't2', MON_10);
    expect(repair.status).toBe('in-repair');
    expect(repair.completedBy).toBeUndefined();
    expect(repair.overdueArmed).toBe(true);
    expect(facts).toEqual([]);
  });

  it('returns only a verified repair, with the totals and the receipt, and only once', () => {
    const signed = { customerSignature: 'Ana', customerSignedAt: at('2026-03-10T10:00:00Z'), by: 'clerk1' };
    expect(() => returnToCustomer(repaired(), signed, calendar, MON_10)).toThrow(/only a verified repair/);
    expect(() => returnToCustomer(checkedIn(), signed, calendar, MON_10)).toThrow(ConflictError);
    const verified = verify(repaired(), { works: true }, 't2', MON_10).repair;
    const now = at('2026-03-10T10:05:00Z');
    const { repair, facts } = returnToCustomer(verified, signed, calendar, now);
    expect(repair.status).toBe('returned');
    expect(repair.returned).toMatchObject({ returnedAt: now, returnDate: '2026-03-10', withoutRepair: false });
    expect(facts).toEqual([
      {
        kind: 'returned',
        callId: 'c1',
        receiptNo: 'R-1',
        technicianId: 't1',
        returnedAt: now,
        labourMinutes: 75,
        parts: [
          { partNo: 'BR-9', qty: 3 },
          { partNo: 'BELT', qty: 1 },
        ],
        customerSignedAt: signed.customerSignedAt,
      },
    ]);
    expect(() => returnToCustomer(repair, signed, calendar, now)).toThrow(/already returned/);
  });

  it('raises overdue once, only at the end of the scheduled business day and only while not completed', () => {
    const r = checkedIn('2026-03-10');
    expect(markOverdue(r, at('2026-03-10T16:59:59Z'))).toBeUndefined();
    const change = markOverdue(r, at('2026-03-10T17:00:00Z'))!;
    expect(change.facts).toEqual([{ kind: 'overdue', callId: 'c1', technicianId: 't1', scheduledFor: '2026-03-10' }]);
    expect(change.repair).toMatchObject({ overdue: true, overdueArmed: false, overdueRaisedFor: ['2026-03-10'] });
    expect(markOverdue(change.repair, at('2026-03-12T17:00:00Z'))).toBeUndefined();
    const done = complete(logWork(r, { minutes: 5 }, 't1', MON_10).repair, 't1', MON_10).repair;
    expect(markOverdue(done, at('2026-03-20T00:00:00Z'))).toBeUndefined();
  });

  it('[14] lets the technician escalate at once, before the deadline: the same overdue fact, once per date', () => {
    expect(() => escalate(opened(), { reason: 'x', by: 't1' }, MON_10)).toThrow(ConflictError); // not checked in
    const change = escalate(checkedIn('2026-03-10'), { reason: 'pump on back order', by: 't2' }, MON_10);
    expect(change.facts).toEqual([{ kind: 'overdue', callId: 'c1', technicianId: 't1', scheduledFor: '2026-03-10' }]);
    expect(change.repair).toMatchObject({ overdue: true, overdueArmed: false, overdueRaisedFor: ['2026-03-10'] });
    expect(change.repair.history.at(-1)).toEqual({
      at: MON_10,
      action: 'escalated',
      by: 't2',
      detail: { scheduledFor: '2026-03-10', reason: 'pump on back order' },
    });
    expect(() => escalate(change.repair, { reason: 'again', by: 't2' }, MON_10)).toThrow(/already escalated/);
    expect(markOverdue(change.repair, at('2026-03-10T17:00:00Z'))).toBeUndefined(); // nothing more at the deadline
    const moved = reschedule(
      change.repair,
      { scheduledFor: '2026-03-12', reason: 'part arrives Thursday', by: 'd1' },
      calendar,
      MON_10,
    ).repair;
    expect(escalate(moved, { reason: 'still missing', by: 't2' }, MON_10).facts[0]).toMatchObject({
      scheduledFor: '2026-03-12',
    });
    const gone = flagReturnWithoutRepair(checkedIn(), 'call cancelled', MON_10)!.repair;
    expect(() => escalate(gone, { reason: 'x', by: 't1' }, MON_10)).toThrow(ConflictError);
  });

  it('reschedules with a reason in the history and re-arms the overdue check for the new date', () => {
    const late = markOverdue(checkedIn('2026-03-10'), at('2026-03-10T17:00:00Z'))!.repair;
    const now = at('2026-03-12T09:00:00Z');
    expect(() => reschedule(late, { scheduledFor: '2026-03-10', reason: 'x', by: 'd1' }, calendar, now)).toThrow(
      ValidationError,
    );
    const moved = reschedule(
      late,
      { scheduledFor: '2026-03-13', reason: 'part on order', by: 'd1' },
      calendar,
      now,
    ).repair;
    expect(moved).toMatchObject({ scheduledFor: '2026-03-13', overdue: false, overdueArmed: true });
    expect(moved.dueAt).toEqual(at('2026-03-13T17:00:00Z'));
    expect(moved.history.at(-1)).toEqual({
      at: now,
      action: 'rescheduled',
      by: 'd1',
      detail: { from: '2026-03-10', to: '2026-03-13', reason: 'part on order' },
    });
    expect(markOverdue(moved, at('2026-03-13T16:00:00Z'))).toBeUndefined();
    expect(markOverdue(moved, at('2026-03-13T17:00:00Z'))!.facts[0]).toMatchObject({ scheduledFor: '2026-03-13' });
  });

  it('flags a cancelled call for return without repair: no more work, no overdue, return skips verification', () => {
    const flagged = flagReturnWithoutRepair(checkedIn(), 'customer withdrew', MON_10)!.repair;
    expect(flagged.returnWithoutRepair).toEqual({ reason: 'customer withdrew', flaggedAt: MON_10 });
    expect(flagReturnWithoutRepair(flagged, 'again', MON_10)).toBeUndefined();
    expect(() => logWork(flagged, { minutes: 5 }, 't1', MON_10)).toThrow(/cancelled/);
    expect(markOverdue(flagged, at('2026-04-01T00:00:00Z'))).toBeUndefined();
    const { repair, facts } = returnToCustomer(
      flagged,
      { customerSignature: 'Ana', customerSignedAt: MON_10, by: 'clerk1' },
      calendar,
      MON_10,
    );
    expect(repair.returned?.withoutRepair).toBe(true);
    expect(facts[0]).toMatchObject({ kind: 'returned', labourMinutes: 0, parts: [] });
  });
});

describe('pickup receipt', () => {
  const now = at('2026-03-09T08:00:00Z');
  const receipt = issueReceipt({ receiptNo: 'R-1', branchId: 'br-north', callId: 'c1' }, now);

  it('is issued for one call and voided once; voiding again for that call changes nothing', () => {
    expect(receipt.status).toBe('issued');
    expect(() => assertCanOpenRepair(receipt, 'c1')).not.toThrow();
    expect(() => assertCanOpenRepair(receipt, 'c2')).toThrow(/another call/);
    const voided = voidReceipt(receipt, 'c1', now)!;
    expect(voided).toMatchObject({ status: 'voided', voidedAt: now });
    expect(voidReceipt(voided, 'c1', now)).toBeUndefined();
    expect(() => voidReceipt(receipt, 'c2', now)).toThrow(ConflictError);
  });

  it('once void can never be used again', () => {
    const voided = voidReceipt(receipt, 'c1', now)!;
    expect(() => assertUsableForCheckIn(voided)).toThrow(/never be used again/);
    expect(() => assertCanOpenRepair(voided, 'c1')).toThrow(/never be used again/);
    expect(() => assertUsableForCheckIn(receipt)).not.toThrow();
  });
});
