import amqplib from 'amqplib';
import {
  CallCancelledV1,
  CallCarriedOverV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  CloudEvent,
  EVENTS_EXCHANGE,
  routingKey,
} from '@aftersales/contracts';
import { declareExchange, EventPublisher } from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import type { TestBroker, TestStore } from '@aftersales/testing';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/shared/clock';
import { SlaScheduler } from '../src/jobs/application/sla-scheduler';

export const SECRET = 'dispatch-test-secret-of-at-least-32-chars';
const INTAKE = '/aftersales/call-intake';

/** A clock the test moves by hand. */
export class TestClock extends Clock {
  constructor(public current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface Dispatch extends TestApp {
  clock: TestClock;
  sla: SlaScheduler;
  publish(...events: CloudEvent[]): Promise<void>;
}

/** The real AppModule on the test's broker vhost and database, with a hand-moved clock and no SLA timer. */
export async function startDispatch(
  broker: TestBroker,
  store: TestStore,
  env: Record<string, string> = {},
  clock = new TestClock(new Date('2026-11-27T15:30:00Z')),
): Promise<Dispatch> {
  const t = await createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName('dispatch'),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: '100,200',
      MONGO_MAX_POOL_SIZE: '4',
      SLA_SCHEDULER_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      ...env,
    },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
  });
  await until(async () => (await fetch(`${t.url}/health/ready`)).status === 200, 'dispatch ready');
  const publisher = t.app.get(EventPublisher);
  return { ...t, clock, sla: t.app.get(SlaScheduler), publish: (...events) => publisher.publish(events) };
}

export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const token = (role: Role, branchId = 'br-north', sub = `u-${role}-${branchId}`) =>
  mintDevToken({ roles: [role], branchId, sub, name: sub, secret: SECRET });

export interface Res {
  status: number;
  type: string;
  body: any;
}

/** JSON over HTTP as `role` (of `branchId`, with user id `sub`). */
export async function http(
  t: TestApp,
  method: string,
  path: string,
  as?: { role: Role; branchId?: string; sub?: string },
  body?: unknown,
): Promise<Res> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as) headers.authorization = `Bearer ${await token(as.role, as.branchId, as.sub)}`;
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text ? JSON.parse(text) : null };
}

export const director = (branchId = 'br-north') => ({ role: 'director' as const, branchId, sub: `dir-${branchId}` });
export const technician = (sub: string, branchId = 'br-north') => ({ role: 'technician' as const, branchId, sub });

/** A raw amqplib queue bound to the exact routing keys, declared before acting: what an integrator sees. */
export async function observe(broker: TestBroker, keys: string[]) {
  const conn = await amqplib.connect(broker.url);
  const ch = await conn.createChannel();
  await declareExchange(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  for (const key of keys) await ch.bindQueue(queue, EVENTS_EXCHANGE, key);
  const got: Array<CloudEvent<any> & { routingKey: string }> = [];
  await ch.consume(
    queue,
    (m) => {
      if (!m) return;
      const event = { ...JSON.parse(m.content.toString()), routingKey: m.fields.routingKey };
      // At-least-once: the relay may publish an event again; consumers (and this sink) de-duplicate by id.
      if (!got.some((e) => e.id === event.id)) got.push(event);
    },
    {
      noAck: true,
    },
  );
  return {
    got,
    of: (type: string, callId?: string) => got.filter((e) => e.type === type && (!callId || e.data.callId === callId)),
    close: () => conn.close(),
  };
}

export const keyOf = (type: string, branchId = 'br-north') => routingKey(type, branchId);

// ---- incoming events as call-intake publishes them ----

export function registered(
  callId: string,
  over: { receivedAt?: string; zone?: 'urban' | 'suburban'; category?: 'A' | 'B' | 'C'; branchId?: string } = {},
) {
  return CallRegisteredV1.create(
    {
      branchId: over.branchId ?? 'br-north',
      callId,
      callNumber: `N-${callId}`,
      voucherNo: `V-${callId}`,
      customer: {
        id: 'cu-1',
        name: 'Ana Ruiz',
        phone: '600111222',
        address: 'Calle Mayor 1',
        zone: over.zone ?? 'urban',
      },
      product: { model: 'WM-200', serial: `S-${callId}` },
      problem: 'drum does not spin, noisy motor',
      category: over.category ?? 'A',
      receivedAt: over.receivedAt ?? '2026-11-27T15:30:00.000Z',
    },
    { source: INTAKE, subject: callId },
  );
}

export const cancelled = (callId: string, time?: Date) =>
  CallCancelledV1.create(
    { branchId: 'br-north', callId, reason: 'customer withdrew' },
    { source: INTAKE, subject: callId, time },
  );

export const carriedOver = (callId: string, businessDate: string) =>
  CallCarriedOverV1.create(
    { branchId: 'br-north', callId, businessDate, priority: 'high' },
    { source: INTAKE, subject: callId },
  );

export const reclassified = (callId: string, from: 'A' | 'B' | 'C', to: 'A' | 'B' | 'C', time: Date) =>
  CallReclassifiedV1.create(
    { branchId: 'br-north', callId, from, to, reason: 'coverage known' },
    { source: INTAKE, subject: callId, time },
  );

/** How many events of `type` the app's consumer handled (its metrics): a barrier for "processed, changed nothing". */
export async function handledCount(t: TestApp, type: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const m = new RegExp(
    `dispatch_events_consumed_total\\{type="${type.replace(/\./g, '\\.')}",outcome="handled"\\} (\\d+)`,
  ).exec(text);
  return m ? Number(m[1]) : 0;
}
