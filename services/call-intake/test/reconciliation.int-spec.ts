import request from 'supertest';
import { TechnicianAssignedV1 } from '@aftersales/contracts';
import { EventPublisher } from '@aftersales/messaging';
import type { TestApp } from '@aftersales/service-kit';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';
import { ReconciliationService } from '../src/reconciliation/application/reconciliation.service';
import { bootApp, FakeCoverage, FixedClock, rawQueue, sleep, token, until } from './helpers';

// br-north: Europe/Madrid, 09:00–18:00 Mon–Fri; Fri 2026-12-25 is a holiday.
const THU_24_10H = '2026-12-24T09:00:00Z'; // 10:00 local (UTC+1)
const THU_24_1830 = '2026-12-24T17:30:00Z'; // 18:30 local, after closing

let broker: TestBroker;
let store: TestStore;
let t: TestApp;
let billing: FakeCoverage;
let events: Awaited<ReturnType<typeof rawQueue>>;
const clock = new FixedClock(new Date(THU_24_10H));

beforeAll(async () => {
  broker = await testBroker();
  store = testStore();
  billing = new FakeCoverage();
  await billing.start();
  t = await bootApp(broker, store, clock, { BILLING_GRPC_URL: billing.url });
  events = await rawQueue(broker.url, ['intake.call.carried-over.v1.br-north']);
});
afterAll(async () => {
  await events?.close();
  await t?.close();
  billing?.stop();
  await store?.connect('call-intake').then((c) => c.dropDatabase());
  await store?.dispose();
  await broker?.dispose();
});

async function registerAt(at: string, serial: string): Promise<any> {
  clock.set(at);
  const res = await request(t.url)
    .post('/branches/br-north/calls')
    .set('authorization', `Bearer ${await token('clerk')}`)
    .send({
      channel: 'phone',
      customer: { name: 'Eva', phone: '600123123', address: 'Calle 2', postalCode: '28001' },
      product: { model: 'WM', serial },
      problem: 'noise',
    });
  expect(res.status).toBe(201);
  return res.body;
}

async function reconcile(
  date: string,
  role: 'clerk' | 'director' | 'service-dept' | 'technician' = 'clerk',
  branch = 'br-north',
) {
  return request(t.url)
    .post(`/branches/br-north/reconciliations/${date}`)
    .set('authorization', `Bearer ${await token(role, role === 'service-dept' ? 'head-office' : branch)}`);
}

const carried = (callId: string, date?: string) =>
  events.of('intake.call.carried-over.v1', callId).filter((e) => !date || e.data.businessDate === date);

describe('[18] daily reconciliation', () => {
  let waiting: any;
  let dispatched: any;
  let late: any;

  it('carries over, once, every call not dispatched by the end of the day, to the next working day', async () => {
    waiting = await registerAt(THU_24_10H, 'R-1');
    dispatched = await registerAt('2026-12-24T10:00:00Z', 'R-2');
    late = await registerAt('2026-12-24T17:10:00Z', 'R-3'); // 18:10 local: after closing, tomorrow's work
    await t.app.get(EventPublisher).publish([
      TechnicianAssignedV1.create(
        {
          branchId: 'br-north',
          callId: dispatched.id,
          technicianId: 'tech-1',
          technicianName: 'Tina',
          assignedBy: 'u-dir-north',
          assignedAt: '2026-12-24T11:00:00Z',
          slaDueAt: '2026-12-24T16:00:00Z',
        },
        { source: '/aftersales/dispatch', subject: dispatched.id },
      ),
    ]);
    await until(async () => {
      const res = await request(t.url)
        .get(`/branches/br-north/calls/${dispatched.id}`)
        .set('authorization', `Bearer ${await token('clerk')}`);
      return res.body.status === 'dispatched';
    }, 'dispatched');

    clock.set(THU_24_1830);
    const first = await reconcile('2026-12-24');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: 'br-north:2026-12-24',
      businessDate: '2026-12-24',
      cutoff: '2026-12-24T17:00:00.000Z',
      dueFor: '2026-12-28', // Fri 25 is a holiday, then the weekend
      carriedOver: [{ callId: waiting.id, callNumber: waiting.callNumber }],
      runs: 1,
    });
    expect(first.body.outstandingVouchers.map((v: any) => v.voucherNo)).toEqual([
      waiting.voucherNo,
      dispatched.voucherNo,
    ]);

    const second = await reconcile('2026-12-24', 'director');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ runs: 2, carriedOver: [{ callId: waiting.id }] });

    const ev = await until(async () => carried(waiting.id)[0], 'carried-over event');
    expect(ev.data).toEqual({ branchId: 'br-north', callId: waiting.id, businessDate: '2026-12-24', priority: 'high' });
    await sleep(800);
    expect(events.events).toHaveLength(1); // twice run, once raised; nothing for the dispatched or the late call

    const call = await request(t.url)
      .get(`/branches/br-north/calls/${waiting.id}`)
      .set('authorization', `Bearer ${await token('director')}`)
      .expect(200);
    expect(call.body).toMatchObject({
      priority: 'high',
      carriedOver: [{ businessDate: '2026-12-24', dueFor: '2026-12-28' }],
    });
    expect(call.body.timeline.at(-1)).toMatchObject({ cause: 'reconciliation.carry-over' });
  });

  it('refuses holidays, weekends and a day not yet ended (409), and checks role and branch', async () => {
    clock.set('2026-12-28T11:00:00Z');
    expect((await reconcile('2026-12-25')).status).toBe(409); // holiday
    expect((await reconcile('2026-12-26')).status).toBe(409); // Saturday
    const early = await reconcile('2026-12-28');
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/ends at 2026-12-28T17:00:00.000Z/);
    expect((await reconcile('2026-12-24', 'technician')).status).toBe(403);
    expect((await reconcile('2026-12-24', 'clerk', 'br-south')).status).toBe(403);
    expect((await reconcile('2026-12-24', 'service-dept')).status).toBe(200);
    const bad = await reconcile('2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('businessDate');
  });

  it('the scheduler runs at the end of the next working day and carries again what is still waiting', async () => {
    const weekend = await registerAt('2026-12-26T10:00:00Z', 'R-4'); // Saturday: the branch is closed
    const svc = t.app.get(ReconciliationService);

    expect(await svc.runDue(new Date('2026-12-28T16:59:00Z'))).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ businessDate: '2026-12-28' })]),
    );
    const reports = await svc.runDue(new Date('2026-12-28T17:05:00Z')); // Mon 18:05 local
    const monday = reports.find((r) => r.branchId === 'br-north' && r.businessDate === '2026-12-28');
    expect(monday).toMatchObject({ dueFor: '2026-12-29' });
    expect(monday!.carriedOver.map((c) => c.callId).sort()).toEqual([waiting.id, late.id, weekend.id].sort());
    expect(await svc.runDue(new Date('2026-12-28T17:30:00Z'))).toEqual([]); // already done for the day

    await until(
      async () => carried(weekend.id, '2026-12-28').length > 0 && carried(waiting.id, '2026-12-28').length > 0,
      'carried again',
    );
    await sleep(800);
    expect(carried(waiting.id).map((e) => e.data.businessDate)).toEqual(['2026-12-24', '2026-12-28']);
    expect(carried(late.id).map((e) => e.data.businessDate)).toEqual(['2026-12-28']);
    expect(carried(weekend.id)).toHaveLength(1);
    expect(carried(dispatched.id)).toHaveLength(0);
    const report = await request(t.url)
      .get('/branches/br-north/reconciliations/2026-12-28')
      .set('authorization', `Bearer ${await token('director')}`)
      .expect(200);
    expect(report.body.outstandingVouchers).toHaveLength(4);
  });

  it('two replicas on the same queue and store: each effect once', async () => {
    const replica = await bootApp(broker, store, clock, { BILLING_GRPC_URL: billing.url });
    try {
      const a = await registerAt('2026-12-29T09:00:00Z', 'R-5');
      const b = await registerAt('2026-12-29T09:01:00Z', 'R-6');
      // The same assignment delivered twice, consumed by whichever replica takes it.
      const assignment = TechnicianAssignedV1.create(
        {
          branchId: 'br-north',
          callId: b.id,
          technicianId: 'tech-2',
          technicianName: 'Toni',
          assignedBy: 'u-dir-north',
          assignedAt: '2026-12-29T10:00:00Z',
          slaDueAt: '2026-12-29T15:00:00Z',
        },
        { source: '/aftersales/dispatch', subject: b.id },
      );
      await replica.app.get(EventPublisher).publish([assignment, assignment]);
      await t.app.get(EventPublisher).publish([assignment]);
      await until(async () => {
        const res = await request(replica.url)
          .get(`/branches/br-north/calls/${b.id}`)
          .set('authorization', `Bearer ${await token('clerk')}`);
        return res.body.status === 'dispatched';
      }, 'dispatched on a replica');

      const now = new Date('2026-12-29T17:10:00Z');
      await Promise.all([
        t.app.get(ReconciliationService).run('br-north', '2026-12-29', 'ops-1', now),
        replica.app.get(ReconciliationService).run('br-north', '2026-12-29', 'ops-2', now),
        replica.app.get(ReconciliationService).runDue(now),
      ]);
      await until(async () => carried(a.id, '2026-12-29').length > 0, 'carried on the 29th');
      await sleep(1000);
      // One event per call: the two relays may both publish it (at-least-once), always with the same id,
      // which consumers de-duplicate on.
      for (const id of [a.id, waiting.id, late.id]) {
        expect(new Set(carried(id, '2026-12-29').map((e) => e.id)).size).toBe(1);
      }
      expect(carried(b.id)).toHaveLength(0);
      const call = await request(t.url)
        .get(`/branches/br-north/calls/${b.id}`)
        .set('authorization', `Bearer ${await token('clerk')}`);
      expect(call.body.timeline.filter((e: any) => e.cause === 'dispatch.technician.assigned.v1')).toHaveLength(1);
    } finally {
      await replica.close();
    }
  });
});
