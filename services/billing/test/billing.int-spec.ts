import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import amqplib from 'amqplib';
import { CallClosedV1, EVENTS_EXCHANGE, type CloudEvent } from '@aftersales/contracts';
import { GRPC_LOADER_OPTIONS } from '@aftersales/contracts/grpc';
import { declareExchange, EventPublisher } from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';
import { AppModule } from '../src/app.module';
import { billingGrpcOptions } from '../src/grpc';
import { ContractsService } from '../src/maintenance/application/contracts.service';
import { Clock } from '../src/shared/clock';

const SECRET = 'billing-test-secret-of-at-least-32-chars';
const DEFAULT_PARTS = [
  { partNo: 'BELT-1', description: 'Drive belt', priceMinor: 1250 },
  { partNo: 'PUMP-2', description: 'Drain pump', priceMinor: 4599 },
];

/** A clock the tests move: every instant the service reads is exact. */
const clock = {
  current: new Date('2026-06-01T10:00:00Z'),
  now() {
    return this.current;
  },
};

let broker: TestBroker;
let store: TestStore;
let t: TestApp;
let amqp: amqplib.ChannelModel;
const seen: CloudEvent[] = [];

const until = async <T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 15_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function api(method: string, path: string, role: Role | null, body?: unknown, branchId = 'br-north') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (role)
    headers.authorization = `Bearer ${await mintDevToken({ roles: [role], branchId, sub: `${role}-1`, name: role, secret: SECRET })}`;
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.includes('json') ? JSON.parse(text) : text };
}

const customer = {
  id: 'cu-1',
  name: 'Ana <Ruiz>',
  phone: '600100200',
  address: 'Calle Mayor 1',
  zone: 'urban' as const,
};
function closed(callId: string, extra: Partial<Parameters<typeof CallClosedV1.create>[0]> = {}) {
  return CallClosedV1.create(
    {
      branchId: 'br-north',
      callId,
      voucherNo: `V-${callId}`,
      category: 'A',
      customer,
      product: { model: 'WM-7', serial: 'SN-100' },
      technicianId: 'tech-7',
      completion: 'on-site',
      labourMinutes: 50,
      parts: [{ partNo: 'BELT-1', qty: 2 }],
      closedAt: '2026-06-01T09:30:00Z',
      ...extra,
    },
    { source: '/aftersales/call-intake', subject: callId },
  );
}

const publish = (...events: CloudEvent[]) => t.app.get(EventPublisher).publish(events);
const invoiceOf = (callId: string) =>
  until(async () => {
    const res = await api('GET', `/branches/br-north/invoices/inv-${callId}`, 'accountant');
    return res.status === 200 ? res.body : undefined;
  }, `invoice of ${callId}`);
const eventsOf = (type: string, subject?: string) =>
  seen.filter((e) => e.type === type && (!subject || e.subject === subject));
async function handledCloses(): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const m = /billing_events_consumed_total\{type="intake\.call\.closed\.v1",outcome="handled"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

beforeAll(async () => {
  broker = await testBroker();
  store = testStore();
  // Observe what billing publishes: a queue of our own bound to billing.#, declared before anything happens.
  amqp = await amqplib.connect(broker.url);
  const ch = await amqp.createChannel();
  await declareExchange(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EVENTS_EXCHANGE, 'billing.#');
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const event = JSON.parse(msg.content.toString());
      // At-least-once: the relay may publish an event again; consumers (and this sink) de-duplicate by id.
      if (!seen.some((e) => e.id === event.id)) seen.push(event);
    },
    { noAck: true },
  );

  t = await createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName('billing'),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: '100,200',
      MONGO_MAX_POOL_SIZE: '4',
      BILLING_EXPIRY_INTERVAL_MS: '0',
      BILLING_DEFAULT_PARTS: JSON.stringify(DEFAULT_PARTS),
    },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
    grpc: billingGrpcOptions(),
  });
  await until(async () => (await fetch(`${t.url}/health/ready`)).status === 200, 'readiness');
});

afterAll(async () => {
  await t?.close();
  await amqp?.close();
  const conn = await store.connect('billing');
  await conn.dropDatabase();
  await store.dispose();
  await broker.dispose();
});

describe('price lists', () => {
  it('seeds a default per branch from config and the branch directory', async () => {
    const res = await api('GET', '/branches/br-north/price-list', 'accountant');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      branchId: 'br-north',
      currency: 'EUR',
      labourRatePerHourMinor: 4000,
      callOutFeeMinor: 2500,
      cashLimitMinor: 15000,
      parts: DEFAULT_PARTS,
      source: 'default',
    });
  });

  it('bad input → 400 problem+json naming the fields, and nothing written', async () => {
    const res = await api('PUT', '/branches/br-north/price-list', 'accountant', {
      currency: 'euro',
      labourRatePerHourMinor: 40.5,
      callOutFeeMinor: -1,
      cashLimitMinor: 15000,
      parts: [],
    });
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'callOutFeeMinor',
      'currency',
      'labourRatePerHourMinor',
    ]);
    expect((await api('GET', '/branches/br-north/price-list', 'accountant')).body.source).toBe('default');
  });

  it('only an accountant of the branch may change it', async () => {
    const body = {
      currency: 'EUR',
      labourRatePerHourMinor: 4000,
      callOutFeeMinor: 2500,
      cashLimitMinor: 15000,
      parts: DEFAULT_PARTS,
    };
    expect((await api('PUT', '/branches/br-north/price-list', 'accountant', body, 'br-south')).status).toBe(403);
    expect((await api('PUT', '/branches/br-north/price-list', 'clerk', body)).status).toBe(403);
    expect((await api('GET', '/branches/br-north/price-list', null)).status).toBe(401);
    const saved = await api('PUT', '/branches/br-north/price-list', 'accountant', body);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ source: 'saved', updatedBy: 'accountant-1' });
    expect((await api('GET', '/branches/br-east/price-list', 'service-dept', undefined, 'head-office')).status).toBe(
      404,
    );
  });
});

describe('invoices from intake.call.closed.v1', () => {
  let contractId: string;

  it('A: call-out + labour + parts, numbered, invoice.issued published', async () => {
    await publish(closed('call-a'));
    const inv = await invoiceOf('call-a');
    // 2500 call-out + 40.00/h × 50 min = 3333.33 → 3333 + 2 × 1250
    expect(inv).toMatchObject({
      category: 'A',
      total: 8333,
      currency: 'EUR',
      invoiceNo: 'BR-NORTH-000001',
      status: 'open',
      balanceMinor: 8333,
    });
    const event = await until(() => eventsOf('billing.invoice.issued.v1', 'inv-call-a')[0], 'invoice.issued');
    expect(event.data).toMatchObject({
      invoiceId: 'inv-call-a',
      invoiceNo: 'BR-NORTH-000001',
      callId: 'call-a',
      total: 8333,
      customerId: 'cu-1',
    });
  });

  it('the same close delivered three times gives one invoice and one event; numbers stay gap-free', async () => {
    const before = await handledCloses();
    const event = closed('call-dup');
    await publish(event, event, event);
    await until(async () => (await handledCloses()) >= before + 3, 'three deliveries handled');
    // and a re-sent close for the same call with a new event id (e.g. call-intake replaying its outbox)
    await publish(closed('call-dup'));
    await until(async () => (await handledCloses()) >= before + 4, 'fourth delivery handled');
    const list = await api('GET', '/branches/br-north/invoices?pageSize=100', 'accountant');
    expect(list.body.items.filter((i: { callId: string }) => i.callId === 'call-dup')).toHaveLength(1);
    expect(list.body.items.map((i: { seq: number }) => i.seq)).toEqual([2, 1]);
    await new Promise((r) => setTimeout(r, 300)); // let the relay publish anything it (wrongly) would
    expect(eventsOf('billing.invoice.issued.v1', 'inv-call-dup')).toHaveLength(1);
  });

  it('gap-free numbers under concurrent closes, duplicates, and a counter left behind by a crash', async () => {
    const before = await handledCloses();
    const batch = Array.from({ length: 12 }, (_, i) => closed(`call-burst-${i}`));
    await publish(...batch, ...batch.slice(0, 6)); // handled 8 at a time (prefetch), with redeliveries mixed in
    await until(async () => (await handledCloses()) >= before + 18, 'burst handled');
    // a crash between an invoice insert and the counter update leaves the counter behind: simulate it
    const conn = await store.connect('billing');
    await conn
      .db!.collection<{ _id: string; last: number }>('invoice_counters')
      .updateOne({ _id: 'br-north:INV' }, { $set: { last: 3 } });
    await publish(closed('call-after-crash'));
    const after = await invoiceOf('call-after-crash');
    const seqs = (await api('GET', '/branches/br-north/invoices?pageSize=200', 'accountant')).body.items.map(
      (i: { seq: number }) => i.seq,
    );
    expect(seqs).toEqual(Array.from({ length: 15 }, (_, i) => 15 - i)); // 15..1: unique, no gaps
    expect(after.seq).toBe(15);
  });

  it('B: priced by the contract terms (labour and call-out covered, parts charged)', async () => {
    const created = await api('POST', '/branches/br-north/contracts', 'accountant', {
      customerId: 'cu-1',
      serials: ['SN-100'],
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      coversLabour: true,
      coversParts: false,
      feeMinor: 12000,
    });
    expect(created.status).toBe(201);
    contractId = created.body.id;
    await publish(closed('call-b', { category: 'B' }));
    const inv = await invoiceOf('call-b');
    expect(inv.total).toBe(2500);
    expect(inv.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['call-out', 0],
      ['labour', 0],
      ['part', 2500],
    ]);
    expect(inv.coverageNote).toBe(`covered by maintenance contract ${contractId}`);
  });

  it('C: a zero-value service record for audit', async () => {
    await publish(closed('call-c', { category: 'C', parts: [{ partNo: 'PUMP-2', qty: 1 }] }));
    const inv = await invoiceOf('call-c');
    expect(inv).toMatchObject({ total: 0, status: 'no-charge', category: 'C' });
    expect(inv.lines).toHaveLength(3);
    expect(
      inv.lines.every(
        (l: { amount: number; noCharge: string }) => l.amount === 0 && l.noCharge === 'warranty (free service)',
      ),
    ).toBe(true);
  });

  it('[10] cash on site: paid, to hand over per technician, then handed over with payment.recorded', async () => {
    await publish(closed('call-cash', { labourMinutes: 30, parts: [], cashCollected: 4500 }));
    const inv = await invoiceOf('call-cash');
    expect(inv).toMatchObject({ total: 4500, paidMinor: 4500, status: 'paid', cashPending: true });
    const report = await api('GET', '/branches/br-north/outstanding-cash', 'accountant');
    expect(report.body.technicians).toEqual([
      {
        technicianId: 'tech-7',
        amountMinor: 4500,
        invoices: [expect.objectContaining({ invoiceId: 'inv-call-cash', amountMinor: 4500 })],
      },
    ]);
    expect(
      (await api('POST', '/branches/br-north/invoices/inv-call-cash/cash-handover', 'accountant', {}, 'br-south'))
        .status,
    ).toBe(403);

    clock.current = new Date('2026-06-01T17:00:00Z');
    const handed = await api('POST', '/branches/br-north/invoices/inv-call-cash/cash-handover', 'accountant', {});
    expect(handed.status).toBe(200);
    expect(handed.body.cashPending).toBe(false);
    const payment = await until(() => eventsOf('billing.payment.recorded.v1', 'inv-call-cash')[0], 'payment.recorded');
    expect(payment.data).toMatchObject({
      amount: 4500,
      method: 'cash-on-site',
      handedOverAt: '2026-06-01T17:00:00.000Z',
      currency: 'EUR',
    });
    expect((await api('GET', '/branches/br-north/outstanding-cash', 'accountant')).body.technicians).toEqual([]);
    const again = await api('POST', '/branches/br-north/invoices/inv-call-cash/cash-handover', 'accountant', {});
    expect(again.status).toBe(409);
    expect(again.type).toContain('application/problem+json');
  });

  it('payments, credit notes (the invoice is never edited), printable HTML, 404s', async () => {
    const paid = await api('POST', '/branches/br-north/invoices/inv-call-a/payments', 'accountant', {
      amountMinor: 3333,
      method: 'transfer',
    });
    expect(paid.body).toMatchObject({ paidMinor: 3333, balanceMinor: 5000, status: 'open' });
    expect(
      (
        await api('POST', '/branches/br-north/invoices/inv-call-a/payments', 'accountant', {
          amountMinor: 0,
          method: 'transfer',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/branches/br-north/invoices/inv-call-a/payments', 'accountant', {
          amountMinor: 9999,
          method: 'card',
        })
      ).status,
    ).toBe(409);

    const cn = await api('POST', '/branches/br-north/invoices/inv-call-a/credit-notes', 'accountant', {
      reason: 'belt not fitted',
      amountMinor: 2500,
    });
    expect(cn.status).toBe(201);
    expect(cn.body).toMatchObject({
      kind: 'credit-note',
      invoiceNo: 'BR-NORTH-CN-000001',
      total: -2500,
      creditsInvoiceId: 'inv-call-a',
    });
    const inv = (await api('GET', '/branches/br-north/invoices/inv-call-a', 'accountant')).body;
    expect(inv).toMatchObject({ total: 8333, creditedMinor: 2500, balanceMinor: 2500, invoiceNo: 'BR-NORTH-000001' });
    expect(inv.lines).toHaveLength(3); // unchanged
    const notes = await api('GET', '/branches/br-north/invoices?kind=credit-note', 'accountant');
    expect(notes.body).toMatchObject({ total: 1, items: [expect.objectContaining({ seq: 1 })] });

    const html = await api('GET', '/branches/br-north/invoices/inv-call-a/print', 'accountant');
    expect(html.type).toContain('text/html');
    expect(html.body).toContain('Invoice BR-NORTH-000001');
    expect(html.body).toContain('Ana &lt;Ruiz&gt;'); // escaped
    expect(html.body).toContain('83.33 EUR');

    const missing = await api('GET', '/branches/br-north/invoices/inv-nope', 'accountant');
    expect(missing.status).toBe(404);
    expect(missing.type).toContain('application/problem+json');
    expect(
      (await api('GET', '/branches/br-south/invoices/inv-call-a', 'accountant', undefined, 'br-south')).status,
    ).toBe(404);
    expect((await api('GET', '/branches/br-north/invoices?page=0', 'accountant')).status).toBe(400);
  });
});

describe('[20] maintenance contracts: expiry notice once at one month, renewal follow-up, expiry', () => {
  const create = async (endsOn: string, serial: string) => {
    const res = await api('POST', '/branches/br-north/contracts', 'accountant', {
      customerId: 'cu-9',
      serials: [serial],
      startsOn: '2026-04-01',
      endsOn,
      coversLabour: true,
      coversParts: true,
      feeMinor: 9900,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const run = (date: string) => api('POST', '/branches/br-north/contracts/expiry-runs', 'accountant', { date });

  it('bad contract input → 400 and nothing written; unknown → 404', async () => {
    const bad = await api('POST', '/branches/br-north/contracts', 'accountant', {
      customerId: 'cu-x',
      serials: [],
      startsOn: '2026-02-30',
      endsOn: '2026-01-01',
      coversLabour: 'yes',
      coversParts: true,
      feeMinor: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'coversLabour',
      'serials',
      'startsOn',
    ]);
    const ends = await api('POST', '/branches/br-north/contracts', 'accountant', {
      customerId: 'cu-x',
      serials: ['S'],
      startsOn: '2026-02-01',
      endsOn: '2026-01-01',
      coversLabour: true,
      coversParts: true,
      feeMinor: 1,
    });
    expect(ends.status).toBe(400);
    expect((await api('GET', '/branches/br-north/contracts?customerId=cu-x', 'accountant')).body).toEqual([]);
    expect((await api('GET', '/branches/br-north/contracts/ct-nope', 'accountant')).status).toBe(404);
  });

  let march: string;
  let june: string;

  it('ending 31 March: noticed on the last day of February, once, even with two runs and two replicas', async () => {
    clock.current = new Date('2027-02-28T07:00:00Z');
    march = await create('2027-03-31', 'SN-MAR');
    june = await create('2027-06-15', 'SN-JUN');
    expect((await run('2027-02-27')).body.noticed).toEqual([]);
    const first = await run('2027-02-28');
    expect(first.body.noticed).toEqual([march]);
    // the same day again, and two "replicas" at once, and the next day
    const contracts = t.app.get(ContractsService);
    const [a, b] = await Promise.all([
      contracts.runExpiry('2027-02-28', 'br-north'),
      contracts.runExpiry('2027-02-28', 'br-north'),
    ]);
    expect([...a.noticed, ...b.noticed, ...(await run('2027-03-01')).body.noticed]).toEqual([]);

    await until(() => eventsOf('billing.contract.expiring.v1', march).length === 1, 'expiring event');
    await new Promise((r) => setTimeout(r, 300)); // anything published twice would have arrived by now
    expect(eventsOf('billing.contract.expiring.v1', march)).toHaveLength(1);
    expect(eventsOf('billing.contract.expiring.v1', march)[0]!.data).toMatchObject({
      endsOn: '2027-03-31',
      serials: ['SN-MAR'],
      noticeSentAt: '2027-02-28T07:00:00.000Z',
    });
    const c = (await api('GET', `/branches/br-north/contracts/${march}`, 'accountant')).body;
    expect(c.notice).toEqual({ forEndsOn: '2027-03-31', noticeDate: '2027-02-28', sentAt: '2027-02-28T07:00:00.000Z' });
    expect(c.followUp).toMatchObject({ forEndsOn: '2027-03-31', attempts: [] });
  });

  it('renewal attempts, then lapsed: contract.expired the day after the end, not on it', async () => {
    expect(
      (
        await api('POST', `/branches/br-north/contracts/${march}/renewal-attempts`, 'accountant', {
          note: 'visited, customer thinking',
        })
      ).status,
    ).toBe(200);
    expect((await run('2027-03-31')).body.expired).toEqual([]);
    expect((await run('2027-04-01')).body.expired).toEqual([march]);
    expect((await run('2027-04-02')).body.expired).toEqual([]);
    const expired = await until(() => eventsOf('billing.contract.expired.v1', march)[0], 'expired event');
    expect(expired.data).toMatchObject({ renewalAttempts: 1, endsOn: '2027-03-31' });
    const c = (await api('GET', `/branches/br-north/contracts/${march}`, 'accountant')).body;
    expect(c).toMatchObject({
      status: 'expired',
      followUp: { outcome: 'lapsed', attempts: [{ note: 'visited, customer thinking', by: 'accountant-1' }] },
    });
    expect(
      (await api('POST', `/branches/br-north/contracts/${march}/renew`, 'accountant', { endsOn: '2028-03-31' })).status,
    ).toBe(409);
  });

  it('ending 15 June: noticed on 15 May exactly; renewed, so not expired', async () => {
    expect((await run('2027-05-14')).body.noticed).toEqual([]);
    expect((await run('2027-05-15')).body.noticed).toEqual([june]);
    expect((await run('2027-05-15')).body.noticed).toEqual([]);
    const renewed = await api('POST', `/branches/br-north/contracts/${june}/renew`, 'accountant', {
      endsOn: '2028-06-15',
      feeMinor: 10500,
    });
    expect(renewed.body).toMatchObject({
      startsOn: '2027-06-16',
      endsOn: '2028-06-15',
      feeMinor: 10500,
      followUp: { outcome: 'renewed' },
    });
    expect((await run('2027-06-16')).body).toEqual({ noticed: [], expired: [] });
    const ev = await until(() => eventsOf('billing.contract.renewed.v1', june)[0], 'renewed event');
    expect(ev.data).toMatchObject({ previousEndsOn: '2027-06-15', endsOn: '2028-06-15' });
    expect(eventsOf('billing.contract.created.v1', june)).toHaveLength(1);
    expect(eventsOf('billing.contract.expiring.v1', june)).toHaveLength(1);
  });
});

describe('gRPC: Coverage, Pricing and health on the app’s real gRPC server', () => {
  type Unary<Req, Res> = (req: Req, md: Metadata, cb: (err: ServiceError | null, res?: Res) => void) => void;
  let clients: { coverage: any; pricing: any; health: any };

  beforeAll(() => {
    const opts = billingGrpcOptions();
    const pkg = loadPackageDefinition(loadSync(opts.protoPath as string[], GRPC_LOADER_OPTIONS)) as any;
    const creds = credentials.createInsecure();
    clients = {
      coverage: new pkg.aftersales.billing.v1.Coverage(t.grpcUrl, creds),
      pricing: new pkg.aftersales.billing.v1.Pricing(t.grpcUrl, creds),
      health: new pkg.grpc.health.v1.Health(t.grpcUrl, creds),
    };
  });
  afterAll(() => Object.values(clients).forEach((c) => c.close()));

  async function call<Res>(
    client: any,
    method: string,
    req: unknown,
    role: Role | null = 'clerk',
    branchId = 'br-north',
  ): Promise<Res> {
    const md = new Metadata();
    if (role) md.set('authorization', `Bearer ${await mintDevToken({ roles: [role], branchId, secret: SECRET })}`);
    return new Promise((resolve, reject) =>
      (client[method] as Unary<unknown, Res>).call(client, req, md, (err, res) => (err ? reject(err) : resolve(res!))),
    );
  }

  it('Coverage.GetCoverage answers from the contracts, by date', async () => {
    await expect(
      call(clients.coverage, 'getCoverage', { customerId: 'cu-1', serial: 'SN-100', date: '2026-06-01' }),
    ).resolves.toEqual({
      covered: true,
      contractId: expect.stringMatching(/^ct-/),
      coversLabour: true,
      coversParts: false,
      endsOn: '2026-12-31',
    });
    await expect(
      call(clients.coverage, 'getCoverage', { customerId: 'cu-1', serial: 'SN-100', date: '2027-01-01' }),
    ).resolves.toMatchObject({ covered: false, contractId: '' });
    await expect(
      call(clients.coverage, 'getCoverage', { customerId: 'cu-2', serial: 'SN-100', date: '2026-06-01' }),
    ).resolves.toMatchObject({ covered: false });
    await expect(
      call(clients.coverage, 'getCoverage', { customerId: 'cu-1', serial: 'SN-100', date: '1 June' }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      call(clients.coverage, 'getCoverage', { customerId: 'cu-1', serial: 'SN-100', date: '2026-06-01' }, null),
    ).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('Pricing.Quote prices from the price list and says whether cash may be collected [10]', async () => {
    const quote = await call<any>(
      clients.pricing,
      'quote',
      { branchId: 'br-north', category: 1, labourMinutes: 50, parts: [{ partNo: 'PUMP-2', qty: 1 }] },
      'technician',
    );
    expect(quote).toMatchObject({
      amountMinor: 2500 + 3333 + 4599,
      currency: 'EUR',
      cashLimitMinor: 15000,
      withinCashLimit: true,
    });
    expect(quote.lines.map((l: any) => [l.qty, l.unitPriceMinor, l.amountMinor])).toEqual([
      [1, 2500, 2500],
      [1, 3333, 3333],
      [1, 4599, 4599],
    ]);
    const big = await call<any>(
      clients.pricing,
      'quote',
      { branchId: 'br-north', category: 1, labourMinutes: 60, parts: [{ partNo: 'PUMP-2', qty: 3 }] },
      'technician',
    );
    expect(big).toMatchObject({ amountMinor: 2500 + 4000 + 13797, withinCashLimit: false });
    const free = await call<any>(
      clients.pricing,
      'quote',
      { branchId: 'br-north', category: 3, labourMinutes: 60, parts: [] },
      'technician',
    );
    expect(free).toMatchObject({ amountMinor: 0, withinCashLimit: false });
    await expect(
      call(clients.pricing, 'quote', { branchId: 'br-north', category: 0, labourMinutes: 1, parts: [] }, 'technician'),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(
      call(
        clients.pricing,
        'quote',
        { branchId: 'br-north', category: 1, labourMinutes: 1, parts: [{ partNo: 'NOPE', qty: 1 }] },
        'technician',
      ),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('NOPE') });
    await expect(
      call(
        clients.pricing,
        'quote',
        { branchId: 'br-north', category: 1, labourMinutes: 1, parts: [] },
        'technician',
        'br-south',
      ),
    ).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    await expect(
      call(
        clients.pricing,
        'quote',
        { branchId: 'br-east', category: 1, labourMinutes: 1, parts: [] },
        'integrator',
        'head-office',
      ),
    ).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it('grpc.health.v1 Check: SERVING without a token, NOT_FOUND for an unknown service', async () => {
    await expect(call(clients.health, 'check', { service: '' }, null)).resolves.toEqual({ status: 1 });
    await expect(call(clients.health, 'check', { service: 'aftersales.billing.v1.Pricing' }, null)).resolves.toEqual({
      status: 1,
    });
    await expect(call(clients.health, 'check', { service: 'nope.v1.Nope' }, null)).rejects.toMatchObject({
      code: status.NOT_FOUND,
    });
  });
});
