import type { Collection } from 'mongodb';
import { CallReclassifiedV1, CallRegisteredV1, SlaAtRiskV1, SlaBreachedV1 } from '@aftersales/contracts';
import { queueDepth, testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import { JobRepository, SlaAlertRepository } from '../src/jobs/application/ports';
import {
  cancelled,
  carriedOver,
  director,
  Dispatch,
  handledCount,
  http,
  keyOf,
  observe,
  reclassified,
  registered,
  sleep,
  startDispatch,
  technician,
  until,
} from './support';

let broker: TestBroker;
let store: TestStore;
let a: Dispatch;
let b: Dispatch;
let jobs: Collection;
let conn: Awaited<ReturnType<TestStore['connect']>>;
let sla: Awaited<ReturnType<typeof observe>>;

beforeAll(async () => {
  broker = await testBroker();
  store = testStore();
  // Two replicas of the service on the same database and broker vhost, as two pods would run.
  a = await startDispatch(broker, store);
  b = await startDispatch(broker, store);
  conn = await store.connect('dispatch');
  jobs = conn.db!.collection('jobs');
  sla = await observe(broker, [keyOf(SlaAtRiskV1.type), keyOf(SlaBreachedV1.type)]);
  await http(a, 'POST', '/branches/br-north/technicians', director(), { id: 't-ana', name: 'Ana Gil', skills: [] });
});

afterAll(async () => {
  await sla?.close();
  await a?.close();
  await b?.close();
  await conn?.dropDatabase();
  await store?.dispose();
  await broker?.dispose();
});

const exists =
  (callId: string, as: Dispatch = a) =>
  async () =>
    (await http(as, 'GET', `/jobs/${callId}`, director())).status === 200;

describe('[19] SLA scheduler with two replicas', () => {
  const urban = ['s-1', 's-2', 's-3'];

  beforeAll(async () => {
    // Monday 30 Nov 2026 09:00 local: urban due 15:00 local (14:00Z), suburban 16:00 local (15:00Z)
    const receivedAt = '2026-11-30T08:00:00.000Z';
    await a.publish(
      ...urban.map((id) => registered(id, { receivedAt })),
      registered('s-sub', { receivedAt, zone: 'suburban' }),
      registered('s-arrived', { receivedAt }),
      registered('s-cancelled', { receivedAt }),
    );
    for (const id of [...urban, 's-sub', 's-arrived', 's-cancelled']) await until(exists(id, b), id);
    a.clock.set('2026-11-30T09:00:00Z');
    await http(a, 'POST', '/jobs/s-2/assignment', director(), { technicianId: 't-ana' });
    await http(a, 'POST', '/jobs/s-arrived/assignment', director(), { technicianId: 't-ana' });
    a.clock.set('2026-11-30T12:00:00Z');
    expect((await http(a, 'POST', '/jobs/s-arrived/arrival', technician('t-ana'))).status).toBe(200);
    await a.publish(cancelled('s-cancelled'));
    await until(
      async () => (await http(a, 'GET', '/jobs/s-cancelled', director())).body.status === 'cancelled',
      'cancel',
    );
  });

  /** Both replicas run the pass at the same instant; returns what each raised. */
  const both = (iso: string) => Promise.all([a.sla.runOnce(new Date(iso)), b.sla.runOnce(new Date(iso))]);
  const raisedBy = (runs: Awaited<ReturnType<typeof both>>, kind: 'atRisk' | 'breached') =>
    runs.flatMap((r) => r[kind]).sort();

  it('raises at-risk at 60 working minutes left and the breach at the due time, exactly once each', async () => {
    expect(raisedBy(await both('2026-11-30T12:59:00Z'), 'atRisk')).toEqual([]); // 61 minutes left

    const atRisk = await both('2026-11-30T13:00:00Z');
    expect(raisedBy(atRisk, 'atRisk')).toEqual(urban); // each by exactly one replica
    expect(raisedBy(atRisk, 'breached')).toEqual([]);

    const due = await both('2026-11-30T14:00:00Z');
    expect(raisedBy(due, 'breached')).toEqual(urban);
    expect(raisedBy(due, 'atRisk')).toEqual(['s-sub']);

    expect(raisedBy(await both('2026-11-30T15:00:00Z'), 'breached')).toEqual(['s-sub']);
    const later = await both('2026-12-01T15:00:00Z');
    expect([...raisedBy(later, 'atRisk'), ...raisedBy(later, 'breached')]).toEqual([]);

    await until(() => sla.got.length >= 8, 'eight SLA events');
    await sleep(1500); // a duplicate would have been relayed by now
    // Distinct CloudEvent ids: the relays of both replicas may both publish one outbox entry (at-least-once,
    // same id, absorbed by consumers); what must never happen is a second event, i.e. a second id.
    const count = (type: string) =>
      Object.fromEntries(
        ['s-1', 's-2', 's-3', 's-sub', 's-arrived', 's-cancelled'].map((id) => [
          id,
          new Set(sla.of(type, id).map((e) => e.id)).size,
        ]),
      );
    expect(count(SlaAtRiskV1.type)).toEqual({
      's-1': 1,
      's-2': 1,
      's-3': 1,
      's-sub': 1,
      's-arrived': 0,
      's-cancelled': 0,
    });
    expect(count(SlaBreachedV1.type)).toEqual({
      's-1': 1,
      's-2': 1,
      's-3': 1,
      's-sub': 1,
      's-arrived': 0,
      's-cancelled': 0,
    });
    expect(sla.of(SlaBreachedV1.type, 's-2')[0]).toMatchObject({
      routingKey: 'dispatch.sla.breached.v1.br-north',
      source: '/aftersales/dispatch',
      data: { callId: 's-2', slaDueAt: '2026-11-30T14:00:00.000Z', zone: 'urban', technicianId: 't-ana' },
    });
    expect(sla.of(SlaAtRiskV1.type, 's-1')[0].data).toMatchObject({ workingMinutesLeft: 60 });
    expect(sla.of(SlaBreachedV1.type, 's-1')[0].data).not.toHaveProperty('technicianId');
    b.clock.set('2026-11-30T15:00:00Z');
    expect((await http(b, 'GET', '/jobs/s-1/sla', director())).body).toMatchObject({
      state: 'breached',
      atRiskRaised: true,
      breachedRaised: true,
    });
  });

  it('a replica that loaded a job before the other raised the breach finds it claimed and raises nothing', async () => {
    const receivedAt = '2026-12-01T08:00:00.000Z'; // due 14:00Z
    await a.publish(registered('s-race', { receivedAt }));
    await until(exists('s-race'), 's-race');
    const repoB = b.app.get(JobRepository);
    const stale = await repoB.watchedBySla(); // B's view before anything is raised
    expect(stale.map((s) => s.job.callId)).toEqual(['s-race']);
    const claim = jest.spyOn(b.app.get(SlaAlertRepository), 'claim');

    expect((await a.sla.runOnce(new Date('2026-12-01T14:00:00Z'))).breached).toEqual(['s-race']);
    jest.spyOn(repoB, 'watchedBySla').mockResolvedValueOnce(stale);
    expect((await b.sla.runOnce(new Date('2026-12-01T14:00:00Z'))).breached).toEqual([]);
    expect(await Promise.all(claim.mock.results.map((r) => r.value))).toEqual(['duplicate']);
    claim.mockRestore();

    await until(() => sla.of(SlaBreachedV1.type, 's-race').length >= 1, 'breach');
    await sleep(1000);
    expect(new Set(sla.of(SlaBreachedV1.type, 's-race').map((e) => e.id)).size).toBe(1);
    expect((await b.sla.runOnce(new Date('2026-12-02T14:00:00Z'))).checked).toBe(0); // flagged: no longer watched
  });
});

describe('incoming events twice, late or out of order change nothing', () => {
  it('the same registration twice, or republished with a new id, leaves one job at version 1', async () => {
    const before = (await handledCount(a, CallRegisteredV1.type)) + (await handledCount(b, CallRegisteredV1.type));
    const event = registered('d-1', { receivedAt: '2026-12-02T08:00:00.000Z' });
    const handled = async () =>
      (await handledCount(a, CallRegisteredV1.type)) + (await handledCount(b, CallRegisteredV1.type));
    await a.publish(event, event); // a redelivery, possibly to both replicas at once
    await until(async () => (await handled()) === before + 2, 'both copies handled');
    await a.publish(registered('d-1', { receivedAt: '2026-12-02T09:30:00.000Z', category: 'C' })); // republished
    await until(async () => (await handled()) === before + 3, 'the republished one handled');
    const doc = await jobs.findOne({ _id: 'd-1' as never });
    expect(doc).toMatchObject({ version: 1, category: 'A', slaDueAt: new Date('2026-12-02T14:00:00.000Z') });
    expect(doc!.processed).toEqual([`${event.source}|${event.id}`]);
  });

  it('cancelled before registered: the job stays cancelled (with the call details), is never queued nor SLA-watched', async () => {
    await a.publish(cancelled('o-1'));
    await until(async () => (await jobs.countDocuments({ _id: 'o-1' as never })) === 1, 'cancelled stub');
    expect((await http(a, 'GET', '/jobs/o-1', director())).body).toMatchObject({ callId: 'o-1', status: 'cancelled' });

    await a.publish(registered('o-1', { receivedAt: '2026-12-02T08:00:00.000Z' }));
    await until(async () => !!(await jobs.findOne({ _id: 'o-1' as never }))?.call, 'details filled in');
    const job = (await http(a, 'GET', '/jobs/o-1', director())).body;
    expect(job).toMatchObject({
      status: 'cancelled',
      call: { voucherNo: 'V-o-1' },
      cancellation: { reason: 'customer withdrew' },
    });
    const queue = await http(a, 'GET', '/branches/br-north/dispatch-queue?pageSize=100', director());
    expect(queue.body.items.map((j: { callId: string }) => j.callId)).not.toContain('o-1');
    const run = await a.sla.runOnce(new Date('2026-12-09T09:00:00Z'));
    expect([...run.atRisk, ...run.breached]).not.toContain('o-1');
    expect((await http(a, 'POST', '/jobs/o-1/assignment', director(), { technicianId: 't-ana' })).status).toBe(409);
  });

  it('carried over and reclassified before the registration are kept; an older reclassification arriving late loses', async () => {
    await a.publish(carriedOver('o-2', '2026-12-02'), reclassified('o-2', 'A', 'B', new Date('2026-12-02T08:05:00Z')));
    await until(async () => (await jobs.findOne({ _id: 'o-2' as never }))?.processed?.length === 2, 'both applied');
    expect((await http(a, 'GET', '/jobs/o-2', director())).status).toBe(404); // not a call yet
    await a.publish(registered('o-2', { receivedAt: '2026-12-02T08:00:00.000Z', category: 'A' }));
    await until(exists('o-2'), 'o-2 registered');
    expect((await http(a, 'GET', '/jobs/o-2', director())).body).toMatchObject({
      status: 'open',
      priority: true,
      carriedOverOn: '2026-12-02',
      category: 'B',
    });

    const handled = async () =>
      (await handledCount(a, CallReclassifiedV1.type)) + (await handledCount(b, CallReclassifiedV1.type));
    const seen = await handled();
    await a.publish(reclassified('o-2', 'A', 'C', new Date('2026-12-02T08:01:00Z'))); // older than the A→B one
    await until(async () => (await handled()) === seen + 1, 'late one handled');
    expect((await http(a, 'GET', '/jobs/o-2', director())).body.category).toBe('B');
  });

  it('a registration for a branch the directory does not know goes to the dead-letter queue at once', async () => {
    await a.publish(registered('x-1', { branchId: 'br-nowhere' }));
    await until(async () => (await queueDepth(broker.vhost, 'dispatch.dlq')) === 1, 'dead-lettered');
    expect(await jobs.countDocuments({ _id: 'x-1' as never })).toBe(0);
  });
});
