import amqplib from 'amqplib';
import { CallCancelledV1, CloudEvent, EVENTS_EXCHANGE, ProductTakenToShopV1, routingKey } from '@aftersales/contracts';
import { declareExchange } from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import { TestBroker, TestStore } from '@aftersales/testing';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/shared/clock';

export const SECRET = 'x'.repeat(32);
export const BRANCH = 'br-north';

/** A clock the test moves by hand. */
export class TestClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
}

export const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export async function startApp(broker: TestBroker, store: TestStore, clock: Clock): Promise<TestApp> {
  const t = await createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName('repair-shop'),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: '100,200',
      MONGO_MAX_POOL_SIZE: '4',
      OVERDUE_SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
  });
  await until(async () => (await fetch(`${t.url}/health/ready`)).status === 200, 'app ready');
  return t;
}

export const token = (role: Role, sub: string, branchId = BRANCH): Promise<string> =>
  mintDevToken({ roles: [role], branchId, sub, name: sub, secret: SECRET });

/** A tiny HTTP client acting as one user. */
export function client(t: TestApp, bearer: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text ? JSON.parse(text) : undefined,
    };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown = {}) => call('POST', path, body),
  };
}

/** A raw amqplib queue bound to the exact routing keys, collecting every event it receives. */
export async function eventTap(broker: TestBroker, types: string[], branchId = BRANCH) {
  const connection = await amqplib.connect(broker.url);
  const ch = await connection.createChannel();
  await declareExchange(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  for (const type of types) await ch.bindQueue(queue, EVENTS_EXCHANGE, routingKey(type, branchId));
  const events: Array<CloudEvent & { routingKey: string }> = [];
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      events.push({ ...(JSON.parse(msg.content.toString()) as CloudEvent), routingKey: msg.fields.routingKey });
    },
    { noAck: true },
  );
  return {
    events,
    of: (type: string, callId?: string) =>
      events.filter((e) => e.type === type && (callId === undefined || e.data.callId === callId)),
    close: () => connection.close(),
  };
}

export const takenToShop = (callId: string, receiptNo: string, technicianId = 'tech-1') =>
  ProductTakenToShopV1.create(
    {
      branchId: BRANCH,
      callId,
      technicianId,
      receiptNo,
      product: { model: 'WM-100', serial: `SN-${callId}` },
      fault: 'drum does not turn',
      customerSignedAt: '2026-03-09T08:00:00.000Z',
    },
    { source: '/aftersales/dispatch', subject: callId },
  );

export const cancelled = (callId: string, reason = 'customer withdrew the call') =>
  CallCancelledV1.create({ branchId: BRANCH, callId, reason }, { source: '/aftersales/call-intake', subject: callId });
