import { ConflictError } from '@aftersales/service-kit/domain-errors';
import { RepairCall } from './call';
import { classify } from './classification';

const T0 = new Date('2026-03-02T09:30:00Z');
const iso = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();

function newCall(provisional = false): RepairCall {
  return RepairCall.register({
    id: 'call-1',
    branchId: 'br-north',
    seq: 7,
    callNumber: 'BR-NORTH-000007',
    voucherNo: 'V-BR-NORTH-000007',
    channel: 'phone',
    customer: { id: 'cu-1', name: 'Ana', phone: '600', address: 'Calle 1', postalCode: '28013', zone: 'urban' },
    product: { id: 'p-1', model: 'WM-1', serial: 'S1' },
    problem: 'does not spin',
    classification: classify({}, '2026-03-02', provisional ? 'unknown' : { covered: false }),
    receivedAt: T0,
    businessDate: '2026-03-02',
    registeredBy: 'clerk-1',
  });
}

const assigned = (at = iso(10), technicianId = 't-1') => ({
  technicianId,
  technicianName: 'Tom',
  assignedAt: at,
  assignedBy: 'dir-1',
  cause: 'dispatch.technician.assigned.v1',
});
const done = (at = iso(120)) => ({
  technicianId: 't-1',
  labourMinutes: 45,
  parts: [{ partNo: 'BELT', qty: 1 }],
  cashCollected: 4000,
  completedAt: at,
  customerSignedAt: at,
  cause: 'dispatch.visit.completed.v1',
});

describe('a repair call through its life', () => {
  it('registers with a registered fact and a first timeline entry', () => {
    const call = newCall();
    expect(call.props.status).toBe('registered');
    expect(call.pullFacts()).toEqual([{ kind: 'registered' }]);
    expect(call.pullFacts()).toEqual([]);
    expect(call.props.timeline).toHaveLength(1);
  });

  it('goes registered → dispatched → on site → completed → closed on site', () => {
    const call = newCall();
    call.assign(assigned());
    call.arrive({ technicianId: 't-1', arrivedAt: iso(60), cause: 'arrived' });
    call.completeOnSite(done());
    expect(call.props.status).toBe('completed');
    expect(call.props.completion).toMatchObject({ kind: 'on-site', labourMinutes: 45, cashCollected: 4000 });
    call.pullFacts();
    call.close(new Date(iso(200)), 'clerk-1');
    expect(call.props.status).toBe('closed');
    expect(call.pullFacts()).toEqual([{ kind: 'closed' }]);
    expect(call.props.timeline.map((e) => e.to)).toEqual([
      'registered',
      'dispatched',
      'on-site',
      'completed',
      'closed',
    ]);
  });

  it('goes through the shop and completes with the shop work', () => {
    const call = newCall();
    call.assign(assigned());
    call.arrive({ technicianId: 't-1', arrivedAt: iso(60), cause: 'arrived' });
    call.takeToShop({ technicianId: 't-1', receiptNo: 'R-1', at: iso(70), cause: 'taken' });
    expect(call.props.status).toBe('in-shop');
    call.returnFromShop({ ...done(iso(3000)), cashCollected: undefined, receiptNo: 'R-1', labourMinutes: 180 });
    expect(call.props.status).toBe('completed');
    expect(call.props.completion).toMatchObject({ kind: 'shop', labourMinutes: 180, receiptNo: 'R-1' });
  });

  it('never moves backwards when facts arrive out of order, but records them', () => {
    const call = newCall();
    call.arrive({ technicianId: 't-1', arrivedAt: iso(60), cause: 'arrived' });
    expect(call.props.status).toBe('on-site');
    call.assign(assigned());
    expect(call.props.status).toBe('on-site');
    expect(call.props.technicianName).toBe('Tom');
    expect(call.props.timeline.at(-1)).toMatchObject({
      from: 'on-site',
      to: 'on-site',
      note: expect.stringMatching(/state kept/),
    });
  });

  it('keeps the latest assignment as the technician, whatever the order of arrival', () => {
    const call = newCall();
    call.assign(assigned(iso(20), 't-2'));
    call.assign(assigned(iso(10), 't-1'));
    expect(call.props.technicianId).toBe('t-2');
  });

  it('closes only a completed call (409 otherwise) and cancels only an open one', () => {
    const call = newCall();
    expect(() => call.close(new Date(iso(5)), 'clerk-1')).toThrow(ConflictError);
    call.cancel('customer fixed it', new Date(iso(6)), 'clerk-1');
    expect(call.pullFacts()).toContainEqual({ kind: 'cancelled', reason: 'customer fixed it' });
    expect(() => call.cancel('again', new Date(iso(7)), 'clerk-1')).toThrow(ConflictError);
    call.completeOnSite(done());
    expect(call.props.status).toBe('cancelled');
    expect(() => call.close(new Date(iso(8)), 'clerk-1')).toThrow(ConflictError);
  });

  it('cannot be cancelled once closed', () => {
    const call = newCall();
    call.completeOnSite(done());
    call.close(new Date(iso(200)), 'clerk-1');
    expect(() => call.cancel('late', new Date(iso(201)), 'clerk-1')).toThrow(/already closed/);
  });
});

describe('provisional coverage', () => {
  it('is resolved once: reclassified when the category changes', () => {
    const call = newCall(true);
    expect(call.props).toMatchObject({ category: 'A', provisional: true, coverage: { state: 'pending' } });
    call.pullFacts();
    call.resolveCoverage({ covered: true, contractId: 'k-1' }, new Date(iso(30)));
    expect(call.props).toMatchObject({
      category: 'B',
      provisional: false,
      coverage: { state: 'known', contractId: 'k-1' },
    });
    expect(call.pullFacts()).toEqual([{ kind: 'reclassified', from: 'A', to: 'B', reason: expect.any(String) }]);
    call.resolveCoverage({ covered: false }, new Date(iso(40)));
    expect(call.props.category).toBe('B');
    expect(call.pullFacts()).toEqual([]);
  });

  it('raises nothing when the answer confirms A', () => {
    const call = newCall(true);
    call.pullFacts();
    call.resolveCoverage({ covered: false }, new Date(iso(30)));
    expect(call.props.provisional).toBe(false);
    expect(call.pullFacts()).toEqual([]);
  });

  it('waits longer after each unanswered attempt, up to a maximum', () => {
    const call = newCall(true);
    const retry = { baseMs: 1000, maxMs: 3000 };
    call.coverageStillUnknown(T0, 'UNAVAILABLE', retry);
    expect(call.props.coverage.nextAttemptAt).toBe(new Date(T0.getTime() + 1000).toISOString());
    call.coverageStillUnknown(T0, 'UNAVAILABLE', retry);
    expect(call.props.coverage.nextAttemptAt).toBe(new Date(T0.getTime() + 2000).toISOString());
    call.coverageStillUnknown(T0, 'UNAVAILABLE', retry);
    expect(call.props.coverage.nextAttemptAt).toBe(new Date(T0.getTime() + 3000).toISOString());
  });
});

describe('[18] carry-over', () => {
  it('carries a call not dispatched once per business date, with high priority', () => {
    const call = newCall();
    call.pullFacts();
    expect(call.carryOver('2026-03-02', '2026-03-03', new Date(iso(500)))).toBe(true);
    expect(call.carryOver('2026-03-02', '2026-03-03', new Date(iso(501)))).toBe(false);
    expect(call.props.priority).toBe('high');
    expect(call.pullFacts()).toEqual([{ kind: 'carried-over', businessDate: '2026-03-02' }]);
    expect(call.carryOver('2026-03-03', '2026-03-04', new Date(iso(1900)))).toBe(true);
  });

  it('does not carry a dispatched call', () => {
    const call = newCall();
    call.assign(assigned());
    expect(call.carryOver('2026-03-02', '2026-03-03', new Date(iso(500)))).toBe(false);
  });
});
