import {
  ProductTakenToShopV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import { BillingV1 } from '@aftersales/contracts/grpc';
import { testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import { FakeBilling } from './fake-billing';
import {
  cancelled,
  carriedOver,
  director,
  Dispatch,
  http,
  keyOf,
  observe,
  registered,
  sleep,
  startDispatch,
  technician,
  until,
} from './support';

let broker: TestBroker;
let store: TestStore;
let billing: FakeBilling;
let t: Dispatch;
let events: Awaited<ReturnType<typeof observe>>;

const TYPES = [TechnicianAssignedV1, TechnicianArrivedV1, VisitCompletedV1, ProductTakenToShopV1].map((c) => c.type);

beforeAll(async () => {
  broker = await testBroker();
  store = testStore();
  billing = await new FakeBilling().start();
  t = await startDispatch(broker, store, { BILLING_GRPC_URL: billing.url, BILLING_GRPC_DEADLINE_MS: '800' });
  events = await observe(
    broker,
    TYPES.map((type) => keyOf(type)),
  );
  for (const [id, name, skills] of [
    ['t-ana', 'Ana Gil', ['refrigeration']],
    ['t-ben', 'Ben Soto', ['motor', 'drum']],
    ['t-cruz', 'Cruz Paz', ['motor']],
  ] as const) {
    expect((await http(t, 'POST', '/branches/br-north/technicians', director(), { id, name, skills })).status).toBe(
      201,
    );
  }
  const south = { id: 't-sur', name: 'Sur Díaz', skills: [] };
  expect((await http(t, 'POST', '/branches/br-south/technicians', director('br-south'), south)).status).toBe(201);
});

afterAll(async () => {
  await events?.close();
  await t?.close();
  billing?.stop();
  await (await store.connect('dispatch')).dropDatabase();
  await store?.dispose();
  await broker?.dispose();
});

/** Publishes a registration as call-intake would and waits for the job. */
async function registerCall(callId: string, over: Parameters<typeof registered>[1] = {}) {
  await t.publish(registered(callId, over));
  await until(async () => (await http(t, 'GET', `/jobs/${callId}`, director())).status === 200, `job ${callId}`);
}

const signature = (signedAt: string) => ({ signedBy: 'Ana Ruiz', signedAt });

describe('technicians roster', () => {
  it('directors create, list and deactivate; duplicates 409; other roles and branches 403', async () => {
    const list = await http(t, 'GET', '/branches/br-north/technicians', technician('t-ana'));
    expect(list.status).toBe(200);
    expect(list.body.map((x: { id: string }) => x.id)).toEqual(['t-ana', 't-ben', 't-cruz']); // by name
    expect(list.body[1]).toMatchObject({ branchId: 'br-north', skills: ['motor', 'drum'], active: true });

    const dup = await http(t, 'POST', '/branches/br-north/technicians', director(), { id: 't-ana', name: 'X' });
    expect(dup.status).toBe(409);
    expect(
      (await http(t, 'POST', '/branches/br-north/technicians', technician('t-ana'), { id: 'x', name: 'X' })).status,
    ).toBe(403);
    expect(
      (await http(t, 'POST', '/branches/br-north/technicians', director('br-south'), { id: 'x', name: 'X' })).status,
    ).toBe(403);
    const bad = await http(t, 'POST', '/branches/br-north/technicians', director(), {
      id: 'x y',
      name: '',
      skills: ['a b'],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['id', 'name', 'skills.0']);

    await http(t, 'POST', '/branches/br-north/technicians', director(), {
      id: 't-old',
      name: 'Old Timer',
      skills: ['motor'],
    });
    const off = await http(t, 'POST', '/branches/br-north/technicians/t-old/deactivate', director());
    expect(off).toMatchObject({ status: 200, body: { id: 't-old', active: false } });
    const active = await http(t, 'GET', '/branches/br-north/technicians?active=true', director());
    expect(active.body.map((x: { id: string }) => x.id)).not.toContain('t-old');
    expect((await http(t, 'POST', '/branches/br-north/technicians/t-nobody/deactivate', director())).status).toBe(404);
  });
});

describe('a call from registration to the end of the visit', () => {
  it('registered → assigned → arrived → completed on site, cash within the limit, each catalogue event published', async () => {
    // Friday 27 Nov 2026 16:30 Madrid, urban: due Monday 13:30 local [19]
    await registerCall('c-site', { receivedAt: '2026-11-27T15:30:00.000Z', category: 'A' });
    const job = await http(t, 'GET', '/jobs/c-site', technician('t-ben'));
    expect(job.body).toMatchObject({
      status: 'open',
      zone: 'urban',
      slaDueAt: '2026-11-30T12:30:00.000Z',
      category: 'A',
    });

    t.clock.set('2026-11-27T16:00:00Z');
    const assigned = await http(t, 'POST', '/jobs/c-site/assignment', director(), { technicianId: 't-ben' });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', technicianId: 't-ben' } });

    t.clock.set('2026-11-30T10:00:00Z'); // Monday 11:00 local: 90 min on Friday + 120 on Monday
    const arrived = await http(t, 'POST', '/jobs/c-site/arrival', technician('t-ben'));
    expect(arrived.body).toMatchObject({ status: 'on-site', arrival: { slaMet: true, workingMinutesToArrival: 210 } });

    t.clock.set('2026-11-30T10:45:00Z');
    const body = {
      labourMinutes: 40,
      parts: [{ partNo: 'P-100', qty: 2 }],
      signature: signature('2026-11-30T10:40:00Z'),
    };
    const done = await http(t, 'POST', '/jobs/c-site/completion', technician('t-ben'), body);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      visit: { outcome: 'on-site', fee: { settlement: 'cash', amountMinor: 4500, currency: 'EUR' } },
    });
    // billing was asked over gRPC with the technician's credentials and what was done
    expect(billing.requests.at(-1)).toMatchObject({
      request: { branchId: 'br-north', category: BillingV1.Category.CATEGORY_A, labourMinutes: 40, parts: body.parts },
      authorization: expect.stringMatching(/^Bearer ey/),
    });

    await until(() => events.got.filter((e) => e.data.callId === 'c-site').length === 3, 'three events');
    const [a, b, c] = events.got.filter((e) => e.data.callId === 'c-site');
    expect(a).toMatchObject({
      type: 'dispatch.technician.assigned.v1',
      routingKey: 'dispatch.technician.assigned.v1.br-north',
      source: '/aftersales/dispatch',
      subject: 'c-site',
      data: {
        technicianId: 't-ben',
        technicianName: 'Ben Soto',
        assignedBy: 'dir-br-north',
        assignedAt: '2026-11-27T16:00:00.000Z',
        slaDueAt: '2026-11-30T12:30:00.000Z',
      },
    });
    expect(a.data).not.toHaveProperty('previousTechnicianId');
    expect(b).toMatchObject({
      type: 'dispatch.technician.arrived.v1',
      data: { arrivedAt: '2026-11-30T10:00:00.000Z', zone: 'urban', slaMet: true, workingMinutesToArrival: 210 },
    });
    expect(c).toMatchObject({
      type: 'dispatch.visit.completed.v1',
      data: {
        technicianId: 't-ben',
        labourMinutes: 40,
        parts: [{ partNo: 'P-100', qty: 2 }],
        cashCollected: 4500,
        customerSignedAt: '2026-11-30T10:40:00.000Z',
      },
    });
  });

  it('over the cash limit: completed, no cash taken, the fee goes to the accountant to invoice', async () => {
    await registerCall('c-dear', { receivedAt: '2026-11-30T08:00:00.000Z' });
    t.clock.set('2026-11-30T08:10:00Z');
    await http(t, 'POST', '/jobs/c-dear/assignment', director(), { technicianId: 't-ana' });
    await http(t, 'POST', '/jobs/c-dear/arrival', technician('t-ana'));
    billing.amountMinor = 15001;
    const done = await http(t, 'POST', '/jobs/c-dear/completion', technician('t-ana'), {
      labourMinutes: 300,
      signature: signature('2026-11-30T08:10:00Z'),
    });
    billing.amountMinor = 4500;
    expect(done.body.visit.fee).toEqual({
      settlement: 'invoice',
      reason: 'over-cash-limit',
      amountMinor: 15001,
      currency: 'EUR',
    });
    await until(() => events.of(VisitCompletedV1.type, 'c-dear').length === 1, 'completed');
    expect(events.of(VisitCompletedV1.type, 'c-dear')[0].data).not.toHaveProperty('cashCollected');
  });

  it('billing too slow: the completion answers after the ~800 ms deadline, with no cash and the fee left to invoice', async () => {
    await registerCall('c-slow', { receivedAt: '2026-11-30T08:00:00.000Z' });
    t.clock.set('2026-11-30T08:30:00Z');
    await http(t, 'POST', '/jobs/c-slow/assignment', director(), { technicianId: 't-ana' });
    await http(t, 'POST', '/jobs/c-slow/arrival', technician('t-ana'));
    billing.mode = 'hang';
    const started = Date.now();
    const done = await http(t, 'POST', '/jobs/c-slow/completion', technician('t-ana'), {
      labourMinutes: 20,
      parts: [],
      signature: signature('2026-11-30T08:30:00Z'),
    });
    const took = Date.now() - started;
    billing.mode = 'quote';
    expect(done.status).toBe(200);
    expect(took).toBeGreaterThanOrEqual(750);
    expect(took).toBeLessThan(5000); // bounded by the deadline, not by billing (which never answers)
    expect(done.body.visit.fee).toEqual({ settlement: 'invoice', reason: 'billing-unavailable' });
    await until(() => events.of(VisitCompletedV1.type, 'c-slow').length === 1, 'completed');
    expect(events.of(VisitCompletedV1.type, 'c-slow')[0].data).not.toHaveProperty('cashCollected');
  });

  it('registered → assigned → reassigned (history kept) → arrived late → taken to shop with a pickup receipt', async () => {
    // Monday 09:00 local, suburban, warranty (C): due 16:00 local = 15:00Z [19]
    await registerCall('c-shop', { receivedAt: '2026-11-30T08:00:00.000Z', zone: 'suburban', category: 'C' });
    t.clock.set('2026-11-30T08:05:00Z');
    await http(t, 'POST', '/jobs/c-shop/assignment', director(), { technicianId: 't-ana' });
    t.clock.set('2026-11-30T09:00:00Z');
    const re = await http(t, 'POST', '/jobs/c-shop/assignment', director(), { technicianId: 't-cruz' });
    expect(re.body.assignments.map((x: { technicianId: string }) => x.technicianId)).toEqual(['t-ana', 't-cruz']);
    expect((await http(t, 'POST', '/jobs/c-shop/arrival', technician('t-ana'))).status).toBe(403); // no longer theirs

    t.clock.set('2026-11-30T16:00:00Z'); // 17:00 local: one working hour late
    const arrived = await http(t, 'POST', '/jobs/c-shop/arrival', technician('t-cruz'));
    expect(arrived.body.arrival).toMatchObject({ slaMet: false, workingMinutesToArrival: 480 });
    const quotes = billing.requests.length;
    const shop = await http(t, 'POST', '/jobs/c-shop/taken-to-shop', technician('t-cruz'), {
      receiptNo: 'PR-0042',
      fault: 'motor winding burnt',
      signature: signature('2026-11-30T16:02:00Z'),
    });
    expect(shop).toMatchObject({
      status: 200,
      body: { status: 'taken-to-shop', visit: { outcome: 'shop', receiptNo: 'PR-0042' } },
    });
    expect(billing.requests.length).toBe(quotes);

    await until(() => events.got.filter((e) => e.data.callId === 'c-shop').length === 4, 'four events');
    const mine = events.got.filter((e) => e.data.callId === 'c-shop');
    expect(mine.map((e) => e.type)).toEqual([
      'dispatch.technician.assigned.v1',
      'dispatch.technician.assigned.v1',
      'dispatch.technician.arrived.v1',
      'dispatch.product.taken-to-shop.v1',
    ]);
    expect(mine[1].data).toMatchObject({ technicianId: 't-cruz', previousTechnicianId: 't-ana' });
    expect(mine[2].data).toMatchObject({ zone: 'suburban', slaMet: false, workingMinutesToArrival: 480 });
    expect(mine[3]).toMatchObject({
      routingKey: 'dispatch.product.taken-to-shop.v1.br-north',
      data: {
        technicianId: 't-cruz',
        receiptNo: 'PR-0042',
        product: { model: 'WM-200', serial: 'S-c-shop' },
        fault: 'motor winding burnt',
        customerSignedAt: '2026-11-30T16:02:00.000Z',
      },
    });
  });
});

describe('queries', () => {
  it("the director's queue: carried-over first, then by SLA due; suggestions; a technician's day; SLA status", async () => {
    await registerCall('q-early', { receivedAt: '2026-12-01T08:00:00.000Z' }); // due 14:00Z
    await registerCall('q-late', { receivedAt: '2026-12-01T09:00:00.000Z' }); // due 15:00Z
    await registerCall('q-sub', { receivedAt: '2026-12-01T08:00:00.000Z', zone: 'suburban' }); // due 15:00Z, then by id
    await t.publish(carriedOver('q-late', '2026-12-01'));
    await until(async () => (await http(t, 'GET', '/jobs/q-late', director())).body.priority === true, 'priority');

    const queue = await http(t, 'GET', '/branches/br-north/dispatch-queue?pageSize=2', director());
    expect(queue.status).toBe(200);
    expect(queue.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(queue.body.items.map((j: { callId: string }) => j.callId)).toEqual(['q-late', 'q-early']);
    const page2 = await http(t, 'GET', '/branches/br-north/dispatch-queue?pageSize=2&page=2', director());
    expect(page2.body.items.map((j: { callId: string }) => j.callId)).toEqual(['q-sub']);

    // load: t-ben has none open (c-site completed), t-cruz none, t-ana none → skills decide, then load, then name
    t.clock.set('2026-12-01T09:30:00Z');
    await http(t, 'POST', '/jobs/q-early/assignment', director(), { technicianId: 't-cruz' });
    const s = await http(t, 'GET', '/jobs/q-late/technician-suggestions', director());
    expect(s.body.skills.sort()).toEqual(['drum', 'motor']); // "drum does not spin, noisy motor"
    expect(
      s.body.technicians.map((x: { technicianId: string; openJobs: number }) => [x.technicianId, x.openJobs]),
    ).toEqual([
      ['t-ben', 0],
      ['t-cruz', 1],
      ['t-ana', 0],
    ]);
    const byRefrigeration = await http(
      t,
      'GET',
      '/jobs/q-late/technician-suggestions?skills=refrigeration',
      director(),
    );
    expect(byRefrigeration.body.technicians[0]).toMatchObject({
      technicianId: 't-ana',
      matchedSkills: ['refrigeration'],
    });

    const open = await http(t, 'GET', '/branches/br-north/jobs', director());
    expect(open.body.items.map((j: { callId: string }) => j.callId)).toEqual(['q-late', 'q-early', 'q-sub']);

    const day = await http(t, 'GET', '/branches/br-north/technicians/t-cruz/day?date=2026-11-30', technician('t-cruz'));
    expect(day.status).toBe(200);
    expect(day.body.open.map((j: { callId: string }) => j.callId)).toEqual(['q-early']);
    expect(day.body.visited.map((j: { callId: string }) => j.callId)).toEqual(['c-shop']);
    expect((await http(t, 'GET', '/branches/br-north/technicians/t-cruz/day', technician('t-ben'))).status).toBe(403);

    t.clock.set('2026-12-01T13:00:00Z'); // 60 working minutes before q-early's due time
    expect((await http(t, 'GET', '/jobs/q-early/sla', director())).body).toMatchObject({
      state: 'at-risk',
      workingMinutesLeft: 60,
      slaDueAt: '2026-12-01T14:00:00.000Z',
    });
    expect((await http(t, 'GET', '/jobs/q-sub/sla', director())).body).toMatchObject({
      state: 'on-track',
      workingMinutesLeft: 120,
    });
    expect((await http(t, 'GET', '/jobs/c-site/sla', director())).body).toMatchObject({
      state: 'met',
      workingMinutesToArrival: 210,
    });
    expect((await http(t, 'GET', '/jobs/c-shop/sla', director())).body).toMatchObject({ state: 'missed' });
  });
});

describe('refusals', () => {
  it('illegal transitions 409, wrong branch or technician 403, unknown 404, bad input 400 — nothing half-written', async () => {
    await registerCall('r-1', { receivedAt: '2026-12-02T08:00:00.000Z' });
    t.clock.set('2026-12-02T08:30:00Z');
    const before = (await http(t, 'GET', '/jobs/r-1', director())).body;

    const early = await http(t, 'POST', '/jobs/r-1/arrival', technician('t-ana'));
    expect(early).toMatchObject({ status: 409, body: { detail: 'job r-1 has no technician assigned yet' } });
    expect(early.type).toMatch(/^application\/problem\+json/);

    const south = await http(t, 'POST', '/jobs/r-1/assignment', director(), { technicianId: 't-sur' });
    expect(south.status).toBe(403);
    expect(south.body.detail).toBe("technician t-sur belongs to branch br-south, not to the job's branch br-north");
    expect((await http(t, 'POST', '/jobs/r-1/assignment', director(), { technicianId: 't-old' })).status).toBe(409);
    expect((await http(t, 'POST', '/jobs/r-1/assignment', director(), { technicianId: 't-none' })).status).toBe(404);
    expect(
      (await http(t, 'POST', '/jobs/r-1/assignment', director('br-south'), { technicianId: 't-sur' })).status,
    ).toBe(403);
    expect((await http(t, 'POST', '/jobs/r-1/assignment', { role: 'clerk' }, { technicianId: 't-ana' })).status).toBe(
      403,
    );
    expect((await http(t, 'POST', '/jobs/r-1/assignment', undefined, { technicianId: 't-ana' })).status).toBe(401);
    expect((await http(t, 'GET', '/jobs/r-1', { role: 'clerk', branchId: 'br-south' })).status).toBe(403);
    expect((await http(t, 'GET', '/jobs/r-1', { role: 'service-dept', branchId: 'head-office' })).status).toBe(200);

    const unknown = await http(t, 'POST', '/jobs/nope/assignment', director(), { technicianId: 't-ana' });
    expect(unknown).toMatchObject({ status: 404, body: { status: 404, detail: 'job nope does not exist' } });
    expect((await http(t, 'GET', '/jobs/nope/sla', director())).status).toBe(404);

    await http(t, 'POST', '/jobs/r-1/assignment', director(), { technicianId: 't-ana' });
    const completeEarly = await http(t, 'POST', '/jobs/r-1/completion', technician('t-ana'), {
      labourMinutes: 10,
      signature: signature('2026-12-02T08:30:00Z'),
    });
    expect(completeEarly.status).toBe(409);
    expect(completeEarly.body.detail).toMatch(/cannot complete on site before the technician has arrived/);

    const bad = await http(t, 'POST', '/jobs/r-1/completion', technician('t-ana'), {
      labourMinutes: -5,
      parts: [{ partNo: '', qty: 0 }],
      signature: { signedAt: 'yesterday' },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toMatch(/^application\/problem\+json/);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'labourMinutes',
      'parts.0.partNo',
      'parts.0.qty',
      'signature.signedAt',
      'signature.signedBy',
    ]);
    expect((await http(t, 'GET', '/branches/br-north/jobs?pageSize=500', director())).status).toBe(400);

    await http(t, 'POST', '/jobs/r-1/arrival', technician('t-ana'));
    const quotes = billing.requests.length;
    const future = await http(t, 'POST', '/jobs/r-1/completion', technician('t-ana'), {
      labourMinutes: 10,
      signature: signature('2026-12-03T08:30:00Z'),
    });
    expect(future).toMatchObject({ status: 400, body: { errors: [{ field: 'signature.signedAt' }] } });
    expect(billing.requests.length).toBe(quotes); // refused before billing was asked
    const notMine = await http(t, 'POST', '/jobs/r-1/taken-to-shop', technician('t-ben'), {
      receiptNo: 'PR-1',
      fault: 'x',
      signature: signature('2026-12-02T08:30:00Z'),
    });
    expect(notMine.status).toBe(403);

    // nothing half-written by the refusals: only the assignment and the arrival changed the job
    const after = (await http(t, 'GET', '/jobs/r-1', director())).body;
    const kept = ['callId', 'branchId', 'call', 'category', 'zone', 'slaDueAt', 'priority'];
    for (const field of kept) expect(after[field]).toEqual(before[field]);
    expect(after).toMatchObject({ status: 'on-site', technicianId: 't-ana', assignments: [{ technicianId: 't-ana' }] });
    expect(after.visit).toBeUndefined();
    const ofR1 = () => events.got.filter((e) => e.data.callId === 'r-1');
    await until(() => ofR1().length === 2, 'assigned and arrived');
    await sleep(500);
    expect(ofR1().map((e) => e.type)).toEqual(['dispatch.technician.assigned.v1', 'dispatch.technician.arrived.v1']);

    await t.publish(cancelled('r-1'));
    await registerCall('r-2', { receivedAt: '2026-12-02T08:00:00.000Z' });
    await t.publish(cancelled('r-2'));
    await until(async () => (await http(t, 'GET', '/jobs/r-2', director())).body.status === 'cancelled', 'cancelled');
    const onCancelled = await http(t, 'POST', '/jobs/r-2/assignment', director(), { technicianId: 't-ana' });
    expect(onCancelled.status).toBe(409);
    expect(onCancelled.body.detail).toBe('job r-2 is cancelled: only an open or assigned job can be (re)assigned');
  });
});

describe('billing down', () => {
  it('completes with no cash taken and the fee left to invoice', async () => {
    await registerCall('c-down', { receivedAt: '2026-12-03T08:00:00.000Z' });
    t.clock.set('2026-12-03T08:30:00Z');
    await http(t, 'POST', '/jobs/c-down/assignment', director(), { technicianId: 't-ben' });
    await http(t, 'POST', '/jobs/c-down/arrival', technician('t-ben'));
    billing.stop();
    const done = await http(t, 'POST', '/jobs/c-down/completion', technician('t-ben'), {
      labourMinutes: 15,
      signature: signature('2026-12-03T08:31:00Z'),
    });
    expect(done).toMatchObject({
      status: 200,
      body: { visit: { fee: { settlement: 'invoice', reason: 'billing-unavailable' } } },
    });
    await until(() => events.of(VisitCompletedV1.type, 'c-down').length === 1, 'completed');
    expect(events.of(VisitCompletedV1.type, 'c-down')[0].data).not.toHaveProperty('cashCollected');
  });
});
