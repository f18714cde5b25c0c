import type { Connection } from 'mongoose';
import { ProductCheckedInV1, ProductReturnedV1, RepairCompletedV1, RepairOverdueV1 } from '@aftersales/contracts';
import { EventPublisher } from '@aftersales/messaging';
import type { TestApp } from '@aftersales/service-kit';
import { queueDepth, testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import { BRANCH, cancelled, client, eventTap, startApp, takenToShop, TestClock, token, until } from './helpers';

const TYPES = [ProductCheckedInV1.type, RepairCompletedV1.type, ProductReturnedV1.type, RepairOverdueV1.type];

describe('repair-shop: the shop path on the real broker and store', () => {
  let broker: TestBroker;
  let store: TestStore;
  let db: Connection;
  let t: TestApp;
  let tap: Awaited<ReturnType<typeof eventTap>>;
  let publisher: EventPublisher;
  let clerk: ReturnType<typeof client>;
  let tech1: ReturnType<typeof client>;
  let tech2: ReturnType<typeof client>;
  let director: ReturnType<typeof client>;
  // Monday 9 March 2026, 10:00 in Madrid.
  const clock = new TestClock(new Date('2026-03-09T09:00:00Z'));

  const count = async (collection: string, filter: Record<string, unknown> = {}) =>
    db.db!.collection(collection).countDocuments(filter);
  const repairOf = (callId: string) => db.db!.collection('repairs').findOne({ _id: callId as never });

  beforeAll(async () => {
    broker = await testBroker();
    store = testStore();
    t = await startApp(broker, store, clock);
    db = await store.connect('repair-shop');
    tap = await eventTap(broker, TYPES);
    publisher = t.app.get(EventPublisher);
    clerk = client(t, await token('clerk', 'clerk-1'));
    tech1 = client(t, await token('technician', 'tech-1'));
    tech2 = client(t, await token('technician', 'tech-2'));
    director = client(t, await token('director', 'dir-1'));
  });
  afterAll(async () => {
    await tap?.close();
    await t?.close();
    await store?.dispose();
    await broker?.dispose();
  });

  it('opens one repair from duplicate taken-to-shop deliveries and goes all the way to returned, voiding the receipt', async () => {
    const first = takenToShop('call-1', 'R-100');
    // The same event delivered twice, plus dispatch re-sending the fact as a new event: one repair, one receipt.
    await publisher.publish([first, first, takenToShop('call-1', 'R-100')]);
    await until(async () => (await repairOf('call-1')) !== null, 'repair opened');
    // All three deliveries handled (none dead-lettered), and still one repair and one receipt.
    await until(
      async () =>
        (await (await fetch(`${t.url}/metrics`)).text()).includes(
          'repair_shop_events_consumed_total{type="dispatch.product.taken-to-shop.v1",outcome="handled"} 3',
        ),
      'three deliveries handled',
    );
    expect(await count('repairs')).toBe(1);
    expect(await count('pickup_receipts')).toBe(1);
    const opened = await clerk.get('/repairs/call-1');
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      callId: 'call-1',
      status: 'awaiting-check-in',
      receiptNo: 'R-100',
      technicianId: 'tech-1',
      branchId: BRANCH,
      product: { model: 'WM-100', serial: 'SN-call-1' },
      fault: 'drum does not turn',
    });
    expect((await clerk.get('/pickup-receipts/R-100')).body).toMatchObject({ status: 'issued', callId: 'call-1' });

    // [11][12] IN the register.
    const checkIn = await clerk.post('/register/check-ins', {
      receiptNo: 'R-100',
      condition: 'scratched lid',
      scheduledFor: '2026-03-10',
    });
    expect(checkIn.status).toBe(201);
    expect(checkIn.body).toMatchObject({ status: 'in-repair', scheduledFor: '2026-03-10' });
    await until(() => tap.of(ProductCheckedInV1.type, 'call-1').length === 1, 'checked-in event');
    expect(tap.of(ProductCheckedInV1.type, 'call-1')[0]).toMatchObject({
      routingKey: `${ProductCheckedInV1.type}.${BRANCH}`,
      source: '/aftersales/repair-shop',
      subject: 'call-1',
      data: {
        branchId: BRANCH,
        callId: 'call-1',
        receiptNo: 'R-100',
        technicianId: 'tech-1',
        checkedInAt: '2026-03-09T09:00:00.000Z',
        scheduledFor: '2026-03-10',
      },
    });

    // [12] The repair card.
    expect((await tech1.post('/repairs/call-1/work-entries', { minutes: 50, note: 'new brushes' })).status).toBe(201);
    expect((await tech2.post('/repairs/call-1/work-entries', { minutes: 25 })).status).toBe(201);
    expect((await tech1.post('/repairs/call-1/parts', { partNo: 'BR-9', qty: 2 })).status).toBe(201);
    const card = await tech1.post('/repairs/call-1/parts', { partNo: 'BR-9', qty: 1 });
    expect(card.body.totals).toEqual({ labourMinutes: 75, parts: [{ partNo: 'BR-9', qty: 3 }] });

    // Verification only after completion.
    expect((await tech2.post('/repairs/call-1/verify', {})).status).toBe(409);
    clock.current = new Date('2026-03-09T15:00:00Z');
    expect((await tech1.post('/repairs/call-1/complete')).body.status).toBe('completed');
    // [12][13] Not verified yet: cannot go back to the customer, and nothing changes.
    const early = await clerk.post('/register/check-outs', { receiptNo: 'R-100', customerSignature: 'Ana Ruiz' });
    expect(early.status).toBe(409);
    expect(early.type).toContain('application/problem+json');
    expect((await clerk.get('/pickup-receipts/R-100')).body.status).toBe('issued');
    expect((await repairOf('call-1'))!.status).toBe('completed');

    clock.current = new Date('2026-03-09T15:30:00Z');
    expect((await tech2.post('/repairs/call-1/verify', { works: true })).body.status).toBe('verified');
    await until(() => tap.of(RepairCompletedV1.type, 'call-1').length === 1, 'completed event');
    expect(tap.of(RepairCompletedV1.type, 'call-1')[0].data).toEqual({
      branchId: BRANCH,
      callId: 'call-1',
      technicianId: 'tech-1',
      labourMinutes: 75,
      parts: [{ partNo: 'BR-9', qty: 3 }],
      verifiedBy: 'tech-2',
      completedAt: '2026-03-09T15:00:00.000Z',
    });

    // [12][13] OUT: returned with the voucher, receipt recovered and voided.
    clock.current = new Date('2026-03-10T08:30:00Z');
    const out = await clerk.post('/register/check-outs', {
      receiptNo: 'R-100',
      customerSignature: 'Ana Ruiz',
      customerSignedAt: '2026-03-10T08:29:00Z',
    });
    expect(out.status).toBe(201);
    expect(out.body).toMatchObject({
      status: 'returned',
      returned: { returnDate: '2026-03-10', withoutRepair: false },
    });
    await until(() => tap.of(ProductReturnedV1.type, 'call-1').length === 1, 'returned event');
    expect(tap.of(ProductReturnedV1.type, 'call-1')[0]).toMatchObject({
      routingKey: `${ProductReturnedV1.type}.${BRANCH}`,
      data: {
        branchId: BRANCH,
        callId: 'call-1',
        receiptNo: 'R-100',
        technicianId: 'tech-1',
        returnedAt: '2026-03-10T08:30:00.000Z',
        labourMinutes: 75,
        parts: [{ partNo: 'BR-9', qty: 3 }],
        customerSignedAt: '2026-03-10T08:29:00.000Z',
      },
    });
    expect((await clerk.get('/pickup-receipts/R-100')).body).toMatchObject({
      status: 'voided',
      voidedAt: '2026-03-10T08:30:00.000Z',
    });

    // The register lists it, with its OUT date.
    const register = await director.get(`/register?branchId=${BRANCH}&from=2026-03-09&to=2026-03-09`);
    expect(register.status).toBe(200);
    expect(register.body).toMatchObject({
      total: 1,
      items: [{ callId: 'call-1', condition: 'scratched lid', returnedAt: '2026-03-10T08:30:00.000Z' }],
    });
  });

  it('refuses to reuse a voided receipt: check-in and check-out → 409, a new repair with it is dead-lettered; nothing written', async () => {
    const before = await repairOf('call-1');
    const checkIn = await clerk.post('/register/check-ins', {
      receiptNo: 'R-100',
      condition: 'again',
      scheduledFor: '2026-03-11',
    });
    expect(checkIn.status).toBe(409);
    expect(checkIn.body.detail).toMatch(/void/);
    const checkOut = await clerk.post('/register/check-outs', { receiptNo: 'R-100', customerSignature: 'Ana' });
    expect(checkOut.status).toBe(409);
    expect(await repairOf('call-1')).toEqual(before);

    // Dispatch (wrongly) hands out the voided number for another call: that repair is never opened.
    await publisher.publish([takenToShop('call-9', 'R-100')]);
    await until(async () => (await queueDepth(broker.vhost, 'repair-shop.dlq')) === 1, 'dead-lettered');
    expect(await repairOf('call-9')).toBeNull();
    expect((await clerk.get('/repairs/call-9')).status).toBe(404);
    expect(await count('pickup_receipts')).toBe(1);
    expect((await clerk.get('/pickup-receipts/R-100')).body).toMatchObject({ status: 'voided', callId: 'call-1' });
  });

  it('checking in an unknown receipt → 404 and nothing written', async () => {
    const before = {
      repairs: await count('repairs'),
      receipts: await count('pickup_receipts'),
      stored: await count('repair_events'),
      events: tap.events.length,
    };
    const res = await clerk.post('/register/check-ins', {
      receiptNo: 'R-NOPE',
      condition: 'fine',
      scheduledFor: '2026-03-11',
    });
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.detail).toContain('R-NOPE');
    expect({
      repairs: await count('repairs'),
      receipts: await count('pickup_receipts'),
      stored: await count('repair_events'),
    }).toEqual({ repairs: before.repairs, receipts: before.receipts, stored: before.stored });
    expect(tap.events.length).toBe(before.events);
  });

  it('bad input → 400 problem+json naming the fields; wrong role → 403', async () => {
    await publisher.publish([takenToShop('call-2', 'R-200')]);
    await until(async () => (await repairOf('call-2')) !== null, 'repair 2 opened');

    const bad = await clerk.post('/register/check-ins', { receiptNo: 'R-200', scheduledFor: 'next tuesday' });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['condition', 'scheduledFor']);

    // A Saturday is not a working day of the branch: refused by the domain, naming the field.
    const saturday = await clerk.post('/register/check-ins', {
      receiptNo: 'R-200',
      condition: 'ok',
      scheduledFor: '2026-03-14',
    });
    expect(saturday.status).toBe(400);
    expect(saturday.body.errors).toEqual([{ field: 'scheduledFor', message: expect.stringContaining('closed day') }]);
    expect((await repairOf('call-2'))!.status).toBe('awaiting-check-in');

    expect(
      (await clerk.post('/register/check-ins', { receiptNo: 'R-200', condition: 'ok', scheduledFor: '2026-03-12' }))
        .status,
    ).toBe(201);
    const qty = await tech1.post('/repairs/call-2/parts', { partNo: 'X', qty: 0 });
    expect(qty.status).toBe(400);
    expect(qty.body.errors[0].field).toBe('qty');
    const minutes = await tech1.post('/repairs/call-2/work-entries', { minutes: 'ten' });
    expect(minutes.body.errors[0].field).toBe('minutes');
    const page = await clerk.get('/register?from=2026-03-10&to=2026-03-09');
    expect(page.status).toBe(400);
    expect(page.body.errors[0].field).toBe('to');

    expect((await clerk.post('/repairs/call-2/work-entries', { minutes: 10 })).status).toBe(403);
    const otherBranch = client(t, await token('clerk', 'clerk-s', 'br-south'));
    expect((await otherBranch.get('/repairs/call-2')).status).toBe(403);
  });

  it('lists the register per branch and period, paginated by check-in date', async () => {
    // call-1 checked in on 9 March, call-2 on 10 March (the clock moved).
    const all = await clerk.get('/register?from=2026-03-01&to=2026-03-31&pageSize=1');
    expect(all.body).toMatchObject({ total: 2, page: 1, pageSize: 1, items: [{ callId: 'call-1' }] });
    const second = await clerk.get('/register?from=2026-03-01&to=2026-03-31&pageSize=1&page=2');
    expect(second.body.items.map((i: { callId: string }) => i.callId)).toEqual(['call-2']);
    const tenth = await clerk.get('/register?from=2026-03-10&to=2026-03-10');
    expect(tenth.body).toMatchObject({ total: 1, items: [{ callId: 'call-2', status: 'in-repair' }] });
    expect((await clerk.get('/register?from=2026-04-01&to=2026-04-30')).body).toMatchObject({ total: 0, items: [] });
  });

  it('flags a product of a cancelled call for return without repair, even when the cancellation comes first', async () => {
    // call-2 is in repair: the call is cancelled.
    await publisher.publish([cancelled('call-2')]);
    await until(async () => !!(await repairOf('call-2'))?.returnWithoutRepair, 'call-2 flagged');
    expect((await tech1.post('/repairs/call-2/work-entries', { minutes: 10 })).status).toBe(409);

    // call-3: the cancellation overtakes the taken-to-shop event.
    await publisher.publish([cancelled('call-3', 'duplicate call')]);
    await until(async () => (await count('cancelled_calls', { _id: 'call-3' })) === 1, 'cancellation recorded');
    await publisher.publish([takenToShop('call-3', 'R-300')]);
    await until(async () => !!(await repairOf('call-3'))?.returnWithoutRepair, 'call-3 flagged');
    expect((await clerk.get('/repairs/call-3')).body.returnWithoutRepair.reason).toBe('duplicate call');

    // Return without repair: no completion or verification needed; the receipt is voided as usual.
    const out = await clerk.post('/register/check-outs', { receiptNo: 'R-200', customerSignature: 'Luis Gil' });
    expect(out.status).toBe(201);
    expect(out.body.returned.withoutRepair).toBe(true);
    await until(() => tap.of(ProductReturnedV1.type, 'call-2').length === 1, 'call-2 returned event');
    expect(tap.of(ProductReturnedV1.type, 'call-2')[0].data).toMatchObject({
      labourMinutes: 0,
      parts: [],
      receiptNo: 'R-200',
    });
    expect((await clerk.get('/pickup-receipts/R-200')).body.status).toBe('voided');
    expect(tap.of(RepairCompletedV1.type, 'call-2')).toEqual([]);
  });
});
