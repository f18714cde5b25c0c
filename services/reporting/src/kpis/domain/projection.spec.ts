import {
  CallCancelledV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  ComplaintResolvedV1,
  PaymentRecordedV1,
  ProductReturnedV1,
  RepairCompletedV1,
  RepairOverdueV1,
  SlaBreachedV1,
  TechnicianEvaluatedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import { branchKpis, kpisCsv, technicianEvaluationKpi } from './branch-kpis';
import { emptyCounters } from './day-counters';
import { CallInfo, Effect, NotYetKnownError, project, ProjectedEvent } from './projection';

// Branch-local date = UTC date + 1 hour (enough for these cases; the service uses BranchCalendar).
const dateOf = (_: string, at: string) => new Date(Date.parse(at) + 3_600_000).toISOString().slice(0, 10);
const meta = (time: string) => ({ source: '/test', subject: 'x', time: new Date(time) });
const b = 'br-north';
const call: CallInfo = { branchId: b, registeredOn: '2026-03-02', category: 'A', zone: 'urban' };
const ev = (e: unknown) => e as ProjectedEvent;

describe('projection', () => {
  it('counts a registration on the branch-local date, and a call known only from its check-in is still new', () => {
    const registered = ev(
      CallRegisteredV1.create(
        {
          branchId: b,
          callId: 'c1',
          callNumber: '1',
          voucherNo: 'V',
          customer: { id: 'c', name: 'n', phone: '1', address: 'a', zone: 'suburban' },
          product: { model: 'm', serial: 's' },
          problem: 'p',
          category: 'C',
          receivedAt: '2026-03-01T23:30:00Z',
        },
        meta('2026-03-01T23:30:00Z'),
      ),
    );
    const effects = project(registered, { call: { checkedInAt: '2026-03-03T10:00:00Z' } as CallInfo }, dateOf);
    expect(effects).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-02', inc: { callsC: 1 } },
      { kind: 'call', callId: 'c1', set: { branchId: b, registeredOn: '2026-03-02', category: 'C', zone: 'suburban' } },
    ]);
    expect(project(registered, { call }, dateOf)).toEqual([]);
  });

  it('moves a reclassified call on its registration day, and waits for an unknown call', () => {
    const e = ev(
      CallReclassifiedV1.create(
        { branchId: b, callId: 'c1', from: 'A', to: 'B', reason: 'r' },
        meta('2026-03-05T10:00:00Z'),
      ),
    );
    expect(project(e, { call }, dateOf)[0]).toEqual({
      kind: 'day',
      branchId: b,
      date: '2026-03-02',
      inc: { callsA: -1, callsB: 1 },
    });
    expect(project(e, { call: { ...call, category: 'B' } }, dateOf)).toEqual([]);
    expect(() => project(e, {}, dateOf)).toThrow(NotYetKnownError);
  });

  it('books visit minutes by the call category and cash on the visit day; the hand-over settles that day', () => {
    const v = ev(
      VisitCompletedV1.create(
        {
          branchId: b,
          callId: 'c1',
          technicianId: 't',
          labourMinutes: 40,
          parts: [],
          cashCollected: 2000,
          customerSignedAt: '2026-03-02T10:00:00Z',
        },
        meta('2026-03-02T10:00:00Z'),
      ),
    );
    expect(project(v, { call }, dateOf)).toEqual([
      { kind: 'technician-day', branchId: b, date: '2026-03-02', technicianId: 't', inc: { minutesA: 40 } },
      { kind: 'day', branchId: b, date: '2026-03-02', inc: { cashCollectedMinor: 2000 } },
      { kind: 'call', callId: 'c1', set: { cashOn: '2026-03-02' } },
    ]);
    const pay = ev(
      PaymentRecordedV1.create(
        {
          branchId: b,
          invoiceId: 'i',
          amount: 2000,
          currency: 'EUR',
          method: 'cash-on-site',
          recordedAt: '2026-03-04T09:00:00Z',
        },
        meta('2026-03-04T09:00:00Z'),
      ),
    );
    expect(
      project(pay, { invoice: { branchId: b, callId: 'c1' }, invoiceCall: { ...call, cashOn: '2026-03-02' } }, dateOf),
    ).toEqual([{ kind: 'day', branchId: b, date: '2026-03-02', inc: { cashHandedOverMinor: 2000 } }]);
    expect(() => project(pay, {}, dateOf)).toThrow(NotYetKnownError);
  });

  it('counts a repair overdue once and settles it on its overdue day when completed', () => {
    const overdue = ev(
      RepairOverdueV1.create(
        { branchId: b, callId: 'c1', technicianId: 't', scheduledFor: '2026-03-03' },
        meta('2026-03-04T07:00:00Z'),
      ),
    );
    expect(project(overdue, { call }, dateOf)).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-04', inc: { overdueOpen: 1 } },
      { kind: 'call', callId: 'c1', set: { overdueOn: '2026-03-04' } },
    ]);
    expect(project(overdue, { call: { ...call, overdueOn: '2026-03-04' } }, dateOf)).toEqual([]);
    const done = ev(
      RepairCompletedV1.create(
        {
          branchId: b,
          callId: 'c1',
          technicianId: 't',
          labourMinutes: 60,
          parts: [],
          verifiedBy: 'v',
          completedAt: '2026-03-05T10:00:00Z',
        },
        meta('2026-03-05T10:00:00Z'),
      ),
    );
    expect(project(done, { call: { ...call, overdueOn: '2026-03-04' } }, dateOf).slice(1)).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-04', inc: { overdueOpen: -1 } },
      { kind: 'call', callId: 'c1', set: { overdueSettled: true } },
    ]);
  });

  it('counts a shop return from its check-in; a cancelled call returned without check-in counts nothing', () => {
    const returned = ev(
      ProductReturnedV1.create(
        {
          branchId: b,
          callId: 'c1',
          receiptNo: 'R-1',
          technicianId: 't',
          returnedAt: '2026-03-04T10:00:00Z',
          labourMinutes: 0,
          parts: [],
          customerSignedAt: '2026-03-04T10:00:00Z',
        },
        meta('2026-03-04T10:00:00Z'),
      ),
    );
    expect(project(returned, { call: { ...call, checkedInAt: '2026-03-04T08:00:00Z' } }, dateOf)).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-04', inc: { shopReturns: 1, shopTurnaroundMinutesSum: 120 } },
    ]);
    // Not checked in yet as far as reporting knows: the check-in may still be on its way.
    expect(() => project(returned, { call }, dateOf)).toThrow(NotYetKnownError);
    // The call was cancelled between the pickup and the check-in: the product goes back without ever
    // having been in the shop, and no check-in will come.
    const cancelled = ev(
      CallCancelledV1.create({ branchId: b, callId: 'c1', reason: 'r' }, meta('2026-03-03T23:30:00Z')),
    );
    expect(project(cancelled, { call }, dateOf)).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-04', inc: { callsCancelled: 1 } },
      { kind: 'call', callId: 'c1', set: { cancelledOn: '2026-03-04' } },
    ]);
    expect(project(returned, { call: { ...call, cancelledOn: '2026-03-04' } }, dateOf)).toEqual([]);
  });

  it('closes a complaint on the day it was received, once', () => {
    const resolved = ev(
      ComplaintResolvedV1.create(
        {
          branchId: b,
          complaintId: 'k',
          severity: 'serious',
          handledBy: 'h',
          outcome: 'o',
          resolvedAt: '2026-03-09T10:00:00Z',
        },
        meta('2026-03-09T10:00:00Z'),
      ),
    );
    const complaint = { branchId: b, kind: 'complaint' as const, receivedOn: '2026-03-02', open: true };
    expect(project(resolved, { complaint }, dateOf)[0]).toEqual({
      kind: 'day',
      branchId: b,
      date: '2026-03-02',
      inc: { complaintsOpen: -1 },
    });
    expect(project(resolved, { complaint: { ...complaint, open: false } }, dateOf)).toEqual([]);
  });
});

describe('projection of the rest of the catalogue', () => {
  it('books an SLA breach on the due date, whenever dispatch noticed it', () => {
    const e = ev(
      SlaBreachedV1.create(
        { branchId: b, callId: 'c1', slaDueAt: '2026-03-02T16:00:00Z', zone: 'suburban' },
        meta('2026-03-02T23:30:00Z'),
      ),
    );
    expect(project(e, {}, dateOf)).toEqual([
      { kind: 'day', branchId: b, date: '2026-03-02', inc: { slaBreachedSuburban: 1 } },
    ]);
  });

  it('keeps the newest evaluation of a technician month: an older one arriving late changes nothing', () => {
    const evaluated = (time: string, surveys: number) =>
      ev(
        TechnicianEvaluatedV1.create(
          {
            branchId: b,
            technicianId: 't1',
            month: '2026-03',
            surveys,
            averages: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 1 },
          },
          meta(time),
        ),
      );
    const effects = project(evaluated('2026-04-01T08:00:00Z', 3), {}, dateOf);
    expect(effects).toEqual([
      {
        kind: 'technician-month',
        id: 't1|2026-03',
        set: {
          branchId: b,
          technicianId: 't1',
          month: '2026-03',
          surveys: 3,
          averages: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 1 },
          evaluatedAt: '2026-04-01T08:00:00.000Z',
        },
      },
    ]);
    const stored = (effects[0] as Extract<Effect, { kind: 'technician-month' }>).set;
    expect(project(evaluated('2026-03-31T08:00:00Z', 9), { evaluation: stored }, dateOf)).toEqual([]);
    expect(project(evaluated('2026-04-01T08:00:00Z', 9), { evaluation: stored }, dateOf)).toEqual([]);
    expect(project(evaluated('2026-04-02T08:00:00Z', 9), { evaluation: stored }, dateOf)).toHaveLength(1);
  });

  it('averages evaluations across technicians weighted by their surveys', () => {
    const e = (surveys: number, x?: number) => ({
      branchId: b,
      technicianId: `t${surveys}`,
      month: '2026-03',
      surveys,
      evaluatedAt: '2026-04-01T08:00:00Z',
      ...(x ? { averages: { attitude: x, skill: x, arrivalTime: x, promiseKeeping: 4 } } : {}),
    });
    expect(technicianEvaluationKpi([e(3, 4), e(1, 1), e(0)])).toEqual({
      evaluations: 3,
      surveys: 4,
      attitude: 3.25, // (3×4 + 1) / 4
      skill: 3.25,
      arrivalTime: 3.25,
      promiseKeeping: 4,
    });
    expect(technicianEvaluationKpi([])).toEqual({
      evaluations: 0,
      surveys: 0,
      attitude: 0,
      skill: 0,
      arrivalTime: 0,
      promiseKeeping: 0,
    });
  });
});

describe('branch KPIs from counters', () => {
  it('gives 0 rates with no data and quotes CSV cells that need it', () => {
    const k = branchKpis('br-x', 'EUR', emptyCounters());
    expect(k).toMatchObject({
      firstTimeFixRate: 0,
      avgShopTurnaroundHours: 0,
      slaUrban: { arrivals: 0, met: 0, rate: 0 },
    });
    const csv = kpisCsv([{ ...k, branchId: 'a,"b"' }]);
    expect(csv.split('\r\n')[1].startsWith('"a,""b""",0,')).toBe(true);
  });
});
