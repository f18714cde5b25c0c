import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import request from 'supertest';
import {
  ProductReturnedV1,
  ProductTakenToShopV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
  type CloudEvent,
} from '@aftersales/contracts';
import { grpcOptions } from '@aftersales/contracts/grpc';
import { EventPublisher } from '@aftersales/messaging';
import type { TestApp } from '@aftersales/service-kit';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';
import { CoverageRetry } from '../src/calls/application/coverage-retry.service';
import { bootApp, FakeCoverage, FixedClock, rawQueue, sleep, token, until } from './helpers';

// Monday 2 March 2026, 10:00 in Madrid (UTC+1).
const MON_10 = '2026-03-02T09:00:00Z';
const TYPES = ['registered', 'reclassified', 'closed', 'cancelled'].map((f) => `intake.call.${f}.v1.br-north`);

let broker: TestBroker;
let store: TestStore;
let t: TestApp;
let billing: FakeCoverage;
let events: Awaited<ReturnType<typeof rawQueue>>;
const clock = new FixedClock(new Date(MON_10));

beforeAll(async () => {
  broker = await testBroker();
  store = testStore();
  billing = new FakeCoverage();
  await billing.start();
  t = await bootApp(broker, store, clock, { BILLING_GRPC_URL: billing.url });
  events = await rawQueue(broker.url, TYPES);
});
afterAll(async () => {
  await events?.close();
  await t?.close();
  billing?.stop();
  await store?.connect('call-intake').then((c) => c.dropDatabase());
  await store?.dispose();
  await broker?.dispose();
});

const clerk = () => token('clerk');
const newCustomer = (name = 'Ana García') => ({
  name,
  phone: '+34 600 111 222',
  address: 'Calle Mayor 1, Madrid',
  postalCode: '28013',
});

async function register(body: Record<string, unknown>, bearer?: string) {
  return request(t.url)
    .post('/branches/br-north/calls')
    .set('authorization', `Bearer ${bearer ?? (await clerk())}`)
    .send(body);
}

async function registerNew(product: Record<string, unknown>, customer = newCustomer()) {
  const res = await register({ channel: 'phone', customer, product, problem: 'does not spin' });
  expect(res.status).toBe(201);
  return res.body;
}

async function getCall(id: string, bearer?: string) {
  return request(t.url)
    .get(`/branches/br-north/calls/${id}`)
    .set('authorization', `Bearer ${bearer ?? (await clerk())}`);
}

const publish = (...e: CloudEvent<any>[]) => t.app.get(EventPublisher).publish(e);
const meta = (callId: string, id?: string) => ({
  source: '/aftersales/dispatch',
  subject: callId,
  ...(id ? { id } : {}),
});

const assigned = (callId: string, at = '2026-03-02T09:30:00Z', technicianId = 'tech-7') =>
  TechnicianAssignedV1.create(
    {
      branchId: 'br-north',
      callId,
      technicianId,
      technicianName: 'Tomás',
      assignedBy: 'u-dir-north',
      assignedAt: at,
      slaDueAt: '2026-03-02T15:00:00Z',
    },
    meta(callId),
  );
const arrived = (callId: string) =>
  TechnicianArrivedV1.create(
    {
      branchId: 'br-north',
      callId,
      technicianId: 'tech-7',
      arrivedAt: '2026-03-02T11:00:00Z',
      zone: 'urban',
      slaMet: true,
      workingMinutesToArrival: 120,
    },
    meta(callId),
  );
const visitCompleted = (callId: string) =>
  VisitCompletedV1.create(
    {
      branchId: 'br-north',
      callId,
      technicianId: 'tech-7',
      labourMinutes: 45,
      parts: [{ partNo: 'BELT-9', qty: 1 }],
      cashCollected: 4500,
      customerSignedAt: '2026-03-02T11:50:00Z',
    },
    meta(callId),
  );

async function statusBecomes(id: string, wanted: string) {
  return until(async () => {
    const res = await getCall(id);
    return res.body.status === wanted && res.body;
  }, `call ${id} to be ${wanted}`);
}

describe('registering a call: numbers, vouchers, zone', () => {
  it('numbers calls and vouchers per branch without gaps, and derives the zone from the postal code', async () => {
    const a = await registerNew({ model: 'WM-1', serial: 'N-1' });
    const b = await registerNew({ model: 'WM-1', serial: 'N-2' }, { ...newCustomer('Luis'), postalCode: '28 100' });
    expect(b.seq).toBe(a.seq + 1);
    expect(a.callNumber).toMatch(/^BR-NORTH-\d{6}$/);
    expect(a.voucherNo).toBe(`V-${a.callNumber}`);
    expect(a.customer.zone).toBe('urban');
    expect(b.customer.zone).toBe('suburban'); // br-north: 281xx is suburban
    const south = await request(t.url)
      .post('/branches/br-south/calls')
      .set('authorization', `Bearer ${await token('clerk', 'br-south')}`)
      .send({ channel: 'document', customer: newCustomer(), product: { model: 'X', serial: 'S-1' }, problem: 'noise' });
    expect(south.status).toBe(201);
    expect(south.body.seq).toBe(1); // its own series
    const reg = await until(async () => events.of('intake.call.registered.v1', a.id)[0], 'registered event');
    expect(reg.data).toMatchObject({
      callId: a.id,
      callNumber: a.callNumber,
      voucherNo: a.voucherNo,
      customer: { id: a.customer.id, name: 'Ana García', zone: 'urban' },
      product: { model: 'WM-1', serial: 'N-1' },
      category: 'A',
    });
  });

  it('registers a call for an existing customer and product', async () => {
    const first = await registerNew({ model: 'WM-2', serial: 'N-3' });
    const res = await register({
      channel: 'phone',
      customerId: first.customer.id,
      productId: first.product.id,
      problem: 'leaks again',
    });
    expect(res.status).toBe(201);
    expect(res.body.customer.id).toBe(first.customer.id);
    const customer = await request(t.url)
      .get(`/branches/br-north/customers/${first.customer.id}`)
      .set('authorization', `Bearer ${await clerk()}`)
      .expect(200);
    expect(customer.body.products).toHaveLength(1);
    const found = await request(t.url)
      .get('/branches/br-north/customers?name=ana&pageSize=1')
      .set('authorization', `Bearer ${await clerk()}`)
      .expect(200);
    expect(found.body).toMatchObject({
      page: 1,
      pageSize: 1,
      items: [expect.objectContaining({ name: 'Ana García' })],
    });
    expect(found.body.total).toBeGreaterThan(1);
  });
});

describe('[8][19] a call registered after it came in', () => {
  it('keeps the time it came in (SLA, day in the log, warranty date); never in the future nor over 7 days back', async () => {
    clock.set(MON_10);
    // A letter that came in on Friday 27 February at 16:30 in Madrid, read on Monday: the warranty ended that Friday.
    const cameIn = '2026-02-27T15:30:00.000Z';
    const registeredAt = new Date(MON_10).toISOString();
    const res = await register({
      channel: 'document',
      customer: newCustomer('Marta Ruiz'),
      product: { model: 'F', serial: 'LATE-1', warrantyEndsOn: '2026-02-27' },
      problem: 'letter: the freezer thaws',
      receivedAt: cameIn,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ receivedAt: cameIn, businessDate: '2026-02-27', category: 'C' });
    expect(res.body.timeline[0]).toMatchObject({
      at: registeredAt,
      to: 'registered',
      note: expect.stringContaining(cameIn),
    });
    const reg = await until(async () => events.of('intake.call.registered.v1', res.body.id)[0], 'registered event');
    expect(reg.data.receivedAt).toBe(cameIn);
    expect(new Date(reg.time).toISOString()).toBe(registeredAt); // the event happened at registration
    // Not part of the day's log the later tests count: cancel it.
    await request(t.url)
      .post(`/branches/br-north/calls/${res.body.id}/cancel`)
      .set('authorization', `Bearer ${await clerk()}`)
      .send({ reason: 'test done' })
      .expect(200);

    const cases: Array<[string, RegExp]> = [
      ['2026-03-02T09:00:01Z', /future/],
      ['2026-02-23T08:59:59Z', /7 days/],
      ['2026-02-27 15:30', /./],
    ];
    for (const [receivedAt, message] of cases) {
      const bad = await register({
        channel: 'document',
        customer: newCustomer(),
        product: { model: 'F', serial: 'LATE-2' },
        problem: 'x',
        receivedAt,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([
        expect.objectContaining({ field: 'receivedAt', message: expect.stringMatching(message) }),
      ]);
    }
  });
});

describe('[6] classification at the warranty and contract boundaries', () => {
  it('is C on the last day of warranty and not on the day after (branch-local date)', async () => {
    clock.set(MON_10);
    const lastDay = await registerNew({
      model: 'F',
      serial: 'W-1',
      purchaseDate: '2024-03-02',
      warrantyEndsOn: '2026-03-02',
    });
    expect(lastDay).toMatchObject({ category: 'C', provisional: false });
    // 23:30 UTC on the 2nd is already 00:30 on the 3rd in Madrid: the day after the warranty ended.
    clock.set('2026-03-02T23:30:00Z');
    const dayAfter = await registerNew({
      model: 'F',
      serial: 'W-1b',
      purchaseDate: '2024-03-02',
      warrantyEndsOn: '2026-03-02',
    });
    expect(dayAfter).toMatchObject({ category: 'A', provisional: false, businessDate: '2026-03-03' });
    expect(billing.requests.at(-1)!.req).toEqual({
      customerId: dayAfter.customer.id,
      serial: 'W-1b',
      date: '2026-03-03',
    });
    expect(billing.requests.at(-1)!.authorization).toMatch(/^Bearer /);
    clock.set(MON_10);
  });

  it('is B when billing says a contract covers the product on the call date (last day counts), else A', async () => {
    billing.contracts.push({ serial: 'K-1', contractId: 'CT-1', endsOn: '2026-03-02' });
    const covered = await registerNew({ model: 'F', serial: 'K-1' });
    expect(covered).toMatchObject({ category: 'B', provisional: false, coverage: { contractId: 'CT-1' } });
    clock.set('2026-03-03T09:00:00Z');
    const after = await registerNew({ model: 'F', serial: 'K-1' });
    expect(after).toMatchObject({ category: 'A', provisional: false });
    clock.set(MON_10);
  });

  it('prefers warranty over a contract without asking billing', async () => {
    billing.contracts.push({ serial: 'KW-1', contractId: 'CT-2', endsOn: '2027-01-01' });
    const asked = billing.requests.length;
    const call = await registerNew({ model: 'F', serial: 'KW-1', warrantyEndsOn: '2026-12-31' });
    expect(call.category).toBe('C');
    expect(billing.requests.length).toBe(asked);
  });

  it('billing too slow → provisional A, never refused', async () => {
    billing.delayMs = 1500;
    try {
      const started = Date.now();
      const call = await registerNew({ model: 'F', serial: 'SLOW-1' });
      expect(Date.now() - started).toBeLessThan(1400);
      expect(call).toMatchObject({ category: 'A', provisional: true, coverage: { state: 'pending' } });
    } finally {
      billing.delayMs = 0;
    }
  });

  it('billing down → provisional A; when it comes back the call is reclassified once', async () => {
    billing.contracts.push({ serial: 'DOWN-1', contractId: 'CT-3', endsOn: '2026-12-31' });
    const port = billing.port;
    billing.stop();
    const call = await registerNew({ model: 'F', serial: 'DOWN-1' });
    expect(call).toMatchObject({ category: 'A', provisional: true });
    const reg = await until(async () => events.of('intake.call.registered.v1', call.id)[0], 'registered event');
    expect(reg.data).toMatchObject({ category: 'A', provisional: true });

    const retry = t.app.get(CoverageRetry);
    const stillDown = await retry.runOnce(new Date('2026-03-02T09:05:00Z'));
    expect(stillDown.asked).toBeGreaterThanOrEqual(1);
    expect((await getCall(call.id)).body).toMatchObject({
      provisional: true,
      coverage: { state: 'pending', attempts: 2 },
    });

    await billing.start(port); // billing is back on the same address
    await retry.runOnce(new Date('2026-03-03T09:00:00Z'));
    const after = (await getCall(call.id)).body;
    expect(after).toMatchObject({
      category: 'B',
      provisional: false,
      coverage: { state: 'known', contractId: 'CT-3' },
    });
    expect(billing.requests.at(-1)!.req.date).toBe('2026-03-02'); // asked about the call date, not today
    await retry.runOnce(new Date('2026-03-04T09:00:00Z'));
    const re = await until(async () => events.of('intake.call.reclassified.v1', call.id)[0], 'reclassified event');
    expect(re.data).toMatchObject({ callId: call.id, from: 'A', to: 'B', reason: expect.stringContaining('CT-3') });
    await sleep(500);
    expect(events.of('intake.call.reclassified.v1', call.id)).toHaveLength(1);
  });
});

describe('life of a call, from the events of dispatch and the repair shop', () => {
  it('registered → dispatched → on site → completed → closed, with the full service summary', async () => {
    const call = await registerNew({ model: 'WM-9', serial: 'LIFE-1' });
    await publish(assigned(call.id));
    await statusBecomes(call.id, 'dispatched');
    await publish(arrived(call.id));
    await statusBecomes(call.id, 'on-site');
    await publish(visitCompleted(call.id));
    const completed = await statusBecomes(call.id, 'completed');
    expect(completed.completion).toMatchObject({
      kind: 'on-site',
      technicianId: 'tech-7',
      labourMinutes: 45,
      cashCollected: 4500,
    });

    clock.set('2026-03-02T16:00:00Z');
    const closed = await request(t.url)
      .post(`/branches/br-north/calls/${call.id}/close`)
      .set('authorization', `Bearer ${await clerk()}`)
      .expect(200);
    expect(closed.body.status).toBe('closed');
    const ev = await until(async () => events.of('intake.call.closed.v1', call.id)[0], 'closed event');
    expect(ev.data).toEqual({
      branchId: 'br-north',
      callId: call.id,
      voucherNo: call.voucherNo,
      category: 'A',
      customer: {
        id: call.customer.id,
        name: 'Ana García',
        phone: '+34 600 111 222',
        address: 'Calle Mayor 1, Madrid',
        zone: 'urban',
      },
      product: { model: 'WM-9', serial: 'LIFE-1' },
      technicianId: 'tech-7',
      completion: 'on-site',
      labourMinutes: 45,
      parts: [{ partNo: 'BELT-9', qty: 1 }],
      cashCollected: 4500,
      closedAt: '2026-03-02T16:00:00.000Z',
    });
    expect(ev.subject).toBe(call.id);
    expect(ev.source).toBe('/aftersales/call-intake');
    const timeline = (await getCall(call.id)).body.timeline;
    expect(timeline.map((e: any) => [e.to, e.cause])).toEqual([
      ['registered', 'clerk.register'],
      ['dispatched', 'dispatch.technician.assigned.v1'],
      ['on-site', 'dispatch.technician.arrived.v1'],
      ['completed', 'dispatch.visit.completed.v1'],
      ['closed', 'clerk.close'],
    ]);
    expect(timeline[2].at).toBe('2026-03-02T11:00:00Z');
    clock.set(MON_10);
  });

  it('through the shop: in shop → completed with the shop work → closed', async () => {
    const call = await registerNew({ model: 'TV-1', serial: 'SHOP-1' });
    await publish(
      assigned(call.id),
      ProductTakenToShopV1.create(
        {
          branchId: 'br-north',
          callId: call.id,
          technicianId: 'tech-7',
          receiptNo: 'PR-1',
          product: { model: 'TV-1', serial: 'SHOP-1' },
          fault: 'board',
          customerSignedAt: '2026-03-02T12:00:00Z',
        },
        meta(call.id),
      ),
    );
    await statusBecomes(call.id, 'in-shop');
    await publish(
      ProductReturnedV1.create(
        {
          branchId: 'br-north',
          callId: call.id,
          receiptNo: 'PR-1',
          technicianId: 'tech-8',
          returnedAt: '2026-03-04T10:00:00Z',
          labourMinutes: 180,
          parts: [{ partNo: 'BOARD-1', qty: 1 }],
          customerSignedAt: '2026-03-04T10:30:00Z',
        },
        { source: '/aftersales/repair-shop', subject: call.id },
      ),
    );
    await statusBecomes(call.id, 'completed');
    await request(t.url)
      .post(`/branches/br-north/calls/${call.id}/close`)
      .set('authorization', `Bearer ${await clerk()}`)
      .expect(200);
    const ev = await until(async () => events.of('intake.call.closed.v1', call.id)[0], 'closed event');
    expect(ev.data).toMatchObject({
      completion: 'shop',
      technicianId: 'tech-8',
      labourMinutes: 180,
      parts: [{ partNo: 'BOARD-1', qty: 1 }],
    });
    expect(ev.data.cashCollected).toBeUndefined();
  });

  it('applies a redelivered event once and never moves back on out-of-order events', async () => {
    const call = await registerNew({ model: 'WM-9', serial: 'OOO-1' });
    const arrival = arrived(call.id);
    await publish(arrival);
    await statusBecomes(call.id, 'on-site');
    await publish(arrival, assigned(call.id)); // the same arrival again, then the (late) assignment
    const body = await until(async () => {
      const b = (await getCall(call.id)).body;
      return b.technicianName === 'Tomás' && b;
    }, 'late assignment recorded');
    expect(body.status).toBe('on-site');
    await sleep(500);
    const timeline = (await getCall(call.id)).body.timeline;
    expect(timeline.filter((e: any) => e.cause === 'dispatch.technician.arrived.v1')).toHaveLength(1);
    expect(timeline.at(-1)).toMatchObject({ cause: 'dispatch.technician.assigned.v1', from: 'on-site', to: 'on-site' });
  });

  it('cancels an open call once; a closed or cancelled call cannot be cancelled (409)', async () => {
    const call = await registerNew({ model: 'WM-9', serial: 'CAN-1' });
    const bearer = await clerk();
    await request(t.url)
      .post(`/branches/br-north/calls/${call.id}/cancel`)
      .set('authorization', `Bearer ${bearer}`)
      .send({ reason: 'customer fixed it' })
      .expect(200);
    const again = await request(t.url)
      .post(`/branches/br-north/calls/${call.id}/cancel`)
      .set('authorization', `Bearer ${bearer}`)
      .send({ reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    const ev = await until(async () => events.of('intake.call.cancelled.v1', call.id)[0], 'cancelled event');
    expect(ev.data).toEqual({ branchId: 'br-north', callId: call.id, reason: 'customer fixed it' });
  });
});

describe('errors and access', () => {
  it('bad input → 400 problem+json naming the field, and nothing written', async () => {
    const log = async () =>
      (
        await request(t.url)
          .get('/branches/br-north/calls?date=2026-03-02&pageSize=1')
          .set('authorization', `Bearer ${await token('service-dept', 'head-office')}`)
      ).body.total;
    const before = await log();
    expect(before).toBeGreaterThan(0);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channel: 'phone', product: { model: 'M', serial: 'S' }, problem: 'x' }, 'customer'],
      [{ channel: 'fax', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 'x' }, 'channel'],
      [
        {
          channel: 'phone',
          customer: { ...newCustomer(), name: { $gt: '' } },
          product: { model: 'M', serial: 'S' },
          problem: 'x',
        },
        'customer.name',
      ],
      [{ channel: 'phone', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 42 }, 'problem'],
      [
        {
          channel: 'phone',
          customer: newCustomer(),
          product: { model: 'M', serial: 'S', warrantyEndsOn: '2026-02-30' },
          problem: 'x',
        },
        'product.warrantyEndsOn',
      ],
      [
        {
          channel: 'phone',
          customer: newCustomer(),
          product: { model: 'M', serial: 'S', purchaseDate: '2026-02-01', warrantyEndsOn: '2025-02-01' },
          problem: 'x',
        },
        'product.warrantyEndsOn',
      ],
      [
        { channel: 'phone', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 'x', $where: '1' },
        '',
      ],
    ];
    for (const [body, field] of cases) {
      const res = await register(body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (field) expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
    const unknownBranch = await request(t.url)
      .post('/branches/br-east/calls')
      .set('authorization', `Bearer ${await clerk()}`)
      .send({ channel: 'phone', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 'x' });
    expect(unknownBranch.status).toBe(400);
    expect(unknownBranch.body.errors).toEqual([{ field: 'branchId', message: 'unknown branch "br-east"' }]);
    const unknownForHead = await request(t.url)
      .get('/branches/br-east/calls?date=2026-03-02')
      .set('authorization', `Bearer ${await token('service-dept', 'head-office')}`);
    expect(unknownForHead.status).toBe(400);
    expect(unknownForHead.body.errors).toEqual([{ field: 'branchId', message: 'unknown branch "br-east"' }]);
    expect(await log()).toBe(before);
  });

  it('unknown call → 404; closing a call that is not completed → 409', async () => {
    const missing = await getCall('no-such-call');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 404, type: 'urn:aftersales:problem:not-found' });
    const call = await registerNew({ model: 'WM', serial: 'C409' });
    const res = await request(t.url)
      .post(`/branches/br-north/calls/${call.id}/close`)
      .set('authorization', `Bearer ${await clerk()}`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/only a completed call can be closed/);
    expect((await getCall(call.id)).body.status).toBe('registered');
  });

  it('a clerk of another branch can neither read nor write; head office reads all; roles are enforced', async () => {
    const call = await registerNew({ model: 'WM', serial: 'ACL-1' });
    const south = await token('clerk', 'br-south');
    expect((await getCall(call.id, south)).status).toBe(403);
    expect(
      (
        await register(
          { channel: 'phone', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 'x' },
          south,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await request(t.url)
          .post(`/branches/br-north/calls/${call.id}/cancel`)
          .set('authorization', `Bearer ${south}`)
          .send({ reason: 'x' })
      ).status,
    ).toBe(403);
    // A br-south call id asked under br-south's path is unknown there.
    expect(
      (await request(t.url).get(`/branches/br-south/calls/${call.id}`).set('authorization', `Bearer ${south}`)).status,
    ).toBe(404);
    expect((await getCall(call.id, await token('service-dept', 'head-office'))).status).toBe(200);
    expect(
      (
        await register(
          { channel: 'phone', customer: newCustomer(), product: { model: 'M', serial: 'S' }, problem: 'x' },
          await token('technician'),
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await request(t.url)
          .post(`/branches/br-north/calls/${call.id}/close`)
          .set('authorization', `Bearer ${await token('director')}`)
      ).status,
    ).toBe(403);
    expect((await request(t.url).get(`/branches/br-north/calls/${call.id}`)).status).toBe(401);
  });
});

describe('queries', () => {
  it('call log per day with filters and pagination; open calls', async () => {
    const head = await token('service-dept', 'head-office');
    const all = await request(t.url)
      .get('/branches/br-north/calls?date=2026-03-02&pageSize=200')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    expect(all.body.items.length).toBe(all.body.total);
    expect(all.body.items.every((c: any) => c.businessDate === '2026-03-02')).toBe(true);
    const seqs = all.body.items.map((c: any) => c.callNumber);
    expect([...seqs].sort()).toEqual(seqs);
    const page2 = await request(t.url)
      .get('/branches/br-north/calls?date=2026-03-02&page=2&pageSize=2')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    expect(page2.body.items.map((c: any) => c.id)).toEqual(all.body.items.slice(2, 4).map((c: any) => c.id));
    const closed = await request(t.url)
      .get('/branches/br-north/calls?date=2026-03-02&status=closed')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    expect(closed.body.total).toBeGreaterThanOrEqual(2);
    expect(closed.body.items.every((c: any) => c.status === 'closed')).toBe(true);
    const catC = await request(t.url)
      .get('/branches/br-north/calls?date=2026-03-02&category=C')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    expect(catC.body.items.length).toBeGreaterThanOrEqual(2);
    expect(catC.body.items.every((c: any) => c.category === 'C')).toBe(true);
    const open = await request(t.url)
      .get('/branches/br-north/calls/open?pageSize=200')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    expect(open.body.items.every((c: any) => !['closed', 'cancelled'].includes(c.status))).toBe(true);
    const next = await request(t.url)
      .get('/branches/br-north/calls?date=2026-03-03')
      .set('authorization', `Bearer ${head}`)
      .expect(200);
    const isOpen = (c: any) => !['closed', 'cancelled'].includes(c.status);
    expect(next.body.total).toBe(2);
    expect(open.body.total).toBe([...all.body.items, ...next.body.items].filter(isOpen).length);
    const bad = await request(t.url)
      .get('/branches/br-north/calls?date=yesterday&status=lost')
      .set('authorization', `Bearer ${head}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['date', 'status']);
  });

  it('serves GetCall over gRPC to the branch and head office, NOT_FOUND to others', async () => {
    const call = await registerNew({ model: 'WM', serial: 'GRPC-1' });
    const opts = grpcOptions('aftersales.intake.v1');
    const pkg = loadPackageDefinition(loadSync(opts.protoPath, opts.loader)) as any;
    const client = new pkg.aftersales.intake.v1.Calls(t.grpcUrl, credentials.createInsecure());
    const get = async (callId: string, bearer: string) => {
      const md = new Metadata();
      md.set('authorization', `Bearer ${bearer}`);
      return new Promise<any>((resolve, reject) =>
        client.getCall({ callId }, md, (err: ServiceError | null, res: any) => (err ? reject(err) : resolve(res))),
      );
    };
    try {
      const res = await get(call.id, await token('integrator', 'head-office'));
      expect(res.call).toMatchObject({
        callId: call.id,
        branchId: 'br-north',
        callNumber: call.callNumber,
        voucherNo: call.voucherNo,
        category: 1, // CATEGORY_A
        status: 1, // CALL_STATUS_REGISTERED
        customer: { id: call.customer.id, zone: 1 },
        product: { model: 'WM', serial: 'GRPC-1' },
        closedAt: '',
      });
      await expect(get(call.id, await clerk())).resolves.toBeTruthy();
      await expect(get(call.id, await token('clerk', 'br-south'))).rejects.toMatchObject({ code: status.NOT_FOUND });
      await expect(get('nope', await clerk())).rejects.toMatchObject({ code: status.NOT_FOUND });
    } finally {
      client.close();
    }
  });
});
