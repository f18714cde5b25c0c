import type { Connection } from 'mongoose';
import { RepairOverdueV1 } from '@aftersales/contracts';
import { EventPublisher } from '@aftersales/messaging';
import type { TestApp } from '@aftersales/service-kit';
import { testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import { OverdueScheduler } from '../src/repairs/application/overdue-scheduler';
import { BRANCH, client, eventTap, startApp, takenToShop, TestClock, token, until } from './helpers';

const CALLS = ['od-1', 'od-2', 'od-3', 'od-4', 'od-5'];

describe('repair-shop: overdue escalation [14] with two replicas on one database', () => {
  let broker: TestBroker;
  let store: TestStore;
  let db: Connection;
  let a: TestApp;
  let b: TestApp;
  let tap: Awaited<ReturnType<typeof eventTap>>;
  // Monday 9 March 2026, 10:00 in Madrid (UTC+1).
  const clock = new TestClock(new Date('2026-03-09T09:00:00Z'));
  /** The events received, one per CloudEvent id, in arrival order. */
  const distinct = () => [...new Map(tap.events.map((e) => [e.id, e])).values()];
  const outboxEmpty = async () =>
    (await db.db!.collection('repair_events').countDocuments({ outboxPending: true })) === 0;

  beforeAll(async () => {
    broker = await testBroker();
    store = testStore();
    // Two replicas of the real AppModule: same database, same broker, same queue.
    a = await startApp(broker, store, clock);
    b = await startApp(broker, store, clock);
    db = await store.connect('repair-shop');
    tap = await eventTap(broker, [RepairOverdueV1.type]);

    await a.app.get(EventPublisher).publish(CALLS.map((id, i) => takenToShop(id, `R-${id}`, `tech-${i}`)));
    await until(async () => (await db.db!.collection('repairs').countDocuments()) === CALLS.length, 'repairs opened');
    const clerk = client(a, await token('clerk', 'clerk-1'));
    for (const id of CALLS) {
      const res = await clerk.post('/register/check-ins', {
        receiptNo: `R-${id}`,
        condition: 'ok',
        scheduledFor: '2026-03-10',
      });
      expect(res.status).toBe(201);
    }
    // od-5 is completed in time: never overdue.
    const tech = client(b, await token('technician', 'tech-4'));
    expect((await tech.post('/repairs/od-5/work-entries', { minutes: 30 })).status).toBe(201);
    expect((await tech.post('/repairs/od-5/complete')).status).toBe(200);
  });
  afterAll(async () => {
    await tap?.close();
    await a?.close();
    await b?.close();
    await store?.dispose();
    await broker?.dispose();
  });

  it('raises nothing before the end of the scheduled business day (18:00 Madrid = 17:00Z)', async () => {
    const before = new Date('2026-03-10T16:59:59Z');
    const results = await Promise.all([a, b].map((t) => t.app.get(OverdueScheduler).runOnce(before)));
    expect(results).toEqual([{ raised: 0 }, { raised: 0 }]);
  });

  it('raises each escalation exactly once when both replicas run the check at the same time, again and again', async () => {
    const due = new Date('2026-03-10T17:00:00Z');
    const schedulers = [a, b].map((t) => t.app.get(OverdueScheduler));
    // Both replicas, concurrently, three rounds each.
    const results = await Promise.all([...schedulers, ...schedulers, ...schedulers].map((s) => s.runOnce(due)));
    expect(results.reduce((sum, r) => sum + r.raised, 0)).toBe(4);

    await until(() => distinct().length >= 4, 'overdue events');
    await until(outboxEmpty, 'outbox relayed');
    await new Promise((r) => setTimeout(r, 1000)); // a second copy, if any, would arrive by now
    // One event per repair. Both replicas' outbox relays may publish the same pending event (the relay
    // is at-least-once across replicas); copies carry the same CloudEvent id and consumers de-duplicate
    // on (source, id), so what counts is the number of distinct events.
    expect(
      distinct()
        .map((e) => e.data.callId)
        .sort(),
    ).toEqual(['od-1', 'od-2', 'od-3', 'od-4']);
    expect(tap.of(RepairOverdueV1.type, 'od-2')[0]).toMatchObject({
      routingKey: `${RepairOverdueV1.type}.${BRANCH}`,
      data: { branchId: BRANCH, callId: 'od-2', technicianId: 'tech-1', scheduledFor: '2026-03-10' },
    });

    expect(await db.db!.collection('repair_events').countDocuments({ type: RepairOverdueV1.type })).toBe(4);
    // A later pass (e.g. the next interval) raises nothing more.
    expect((await schedulers[1].runOnce(new Date('2026-03-11T09:00:00Z'))).raised).toBe(0);
  });

  it('shows the overdue repairs to the director', async () => {
    const director = client(b, await token('director', 'dir-1'));
    const res = await director.get('/repairs/overdue');
    expect(res.status).toBe(200);
    expect(res.body.map((r: { callId: string }) => r.callId).sort()).toEqual(['od-1', 'od-2', 'od-3', 'od-4']);
    expect((await client(b, await token('clerk', 'clerk-1')).get('/repairs/overdue')).status).toBe(403);
  });

  it('records a reschedule with its reason and re-arms the check for the new date, once again', async () => {
    clock.current = new Date('2026-03-11T08:00:00Z');
    const director = client(a, await token('director', 'dir-1'));
    const noReason = await director.post('/repairs/od-1/reschedule', { scheduledFor: '2026-03-12' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('reason');
    const res = await director.post('/repairs/od-1/reschedule', {
      scheduledFor: '2026-03-12',
      reason: 'part on order',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scheduledFor: '2026-03-12', overdue: false });
    expect(res.body.history.at(-1)).toMatchObject({
      action: 'rescheduled',
      by: 'dir-1',
      detail: { from: '2026-03-10', to: '2026-03-12', reason: 'part on order' },
    });
    expect((await director.get('/repairs/overdue')).body.map((r: { callId: string }) => r.callId)).not.toContain(
      'od-1',
    );

    const schedulers = [a, b].map((t) => t.app.get(OverdueScheduler));
    const early = await Promise.all(schedulers.map((s) => s.runOnce(new Date('2026-03-12T16:59:00Z'))));
    expect(early.reduce((sum, r) => sum + r.raised, 0)).toBe(0);
    const late = await Promise.all(schedulers.map((s) => s.runOnce(new Date('2026-03-12T17:00:00Z'))));
    expect(late.reduce((sum, r) => sum + r.raised, 0)).toBe(1);
    await until(() => distinct().filter((e) => e.data.callId === 'od-1').length === 2, 'second escalation for od-1');
    await until(outboxEmpty, 'outbox relayed');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      distinct()
        .filter((e) => e.data.callId === 'od-1')
        .map((e) => e.data.scheduledFor),
    ).toEqual(['2026-03-10', '2026-03-12']);
    expect(distinct()).toHaveLength(5);
  });

  it('lets an operator run the check over HTTP, never for the future', async () => {
    const operator = client(a, await token('service-dept', 'ops-1', 'head-office'));
    const future = await operator.post('/overdue/run', { at: '2026-04-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('at');
    const now = await operator.post('/overdue/run', {});
    expect(now.status).toBe(200);
    expect(now.body).toEqual({ raised: 0 });
  });

  it('[14] lets the technician escalate at once over HTTP: the same event, once, and the director sees it', async () => {
    await a.app.get(EventPublisher).publish([takenToShop('od-6', 'R-od-6', 'tech-6')]);
    await until(
      async () => (await db.db!.collection('repairs').countDocuments({ _id: 'od-6' as never })) === 1,
      'od-6',
    );
    const clerk = client(a, await token('clerk', 'clerk-1'));
    const checkedIn = await clerk.post('/register/check-ins', {
      receiptNo: 'R-od-6',
      condition: 'ok',
      scheduledFor: '2026-03-12',
    });
    expect(checkedIn.status).toBe(201);
    const tech = client(b, await token('technician', 'tech-7'));
    expect((await tech.post('/repairs/od-6/escalation', {})).status).toBe(400);
    expect(
      (await client(a, await token('clerk', 'clerk-1')).post('/repairs/od-6/escalation', { reason: 'x' })).status,
    ).toBe(403);
    const res = await tech.post('/repairs/od-6/escalation', { reason: 'pump on back order until next week' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ overdue: true, overdueRaisedFor: ['2026-03-12'] });
    expect(res.body.history.at(-1)).toMatchObject({ action: 'escalated', by: 'tech-7' });
    expect((await tech.post('/repairs/od-6/escalation', { reason: 'again' })).status).toBe(409);
    await until(() => distinct().some((e) => e.data.callId === 'od-6'), 'escalation event');
    expect(tap.of(RepairOverdueV1.type, 'od-6')[0].data).toEqual({
      branchId: BRANCH,
      callId: 'od-6',
      technicianId: 'tech-6',
      scheduledFor: '2026-03-12',
    });
    const director = client(a, await token('director', 'dir-1'));
    expect((await director.get('/repairs/overdue')).body.map((r: { callId: string }) => r.callId)).toContain('od-6');
    // The end-of-day check finds it already raised.
    const late = await a.app.get(OverdueScheduler).runOnce(new Date('2026-03-12T17:00:00Z'));
    expect(late.raised).toBe(0);
  });
});
