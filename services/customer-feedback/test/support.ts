import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import amqplib from 'amqplib';
import { CallClosedV1, CloudEvent, EVENTS_EXCHANGE, SurveyAnsweredV1 } from '@aftersales/contracts';
import {
  bindingFor,
  declareExchange,
  declareServiceQueues,
  EventPublisher,
  serviceQueues,
} from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import { testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/shared/clock';
import { Notifier } from '../src/surveys/application/notifier';

export const SECRET = 'x'.repeat(32);
const SERVICE = 'customer-feedback';
const RETRIES = [100, 200];

/** A clock the test moves by hand, so day-boundary rules are checked at exact instants. */
export class FakeClock extends Clock {
  constructor(public current = new Date('2026-03-10T12:00:00Z')) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export const until = async <T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 15_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    // An empty list is "not yet" too, so a test can wait for events matching a filter.
    if (value && !(Array.isArray(value) && value.length === 0)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

export interface Harness {
  t: TestApp;
  clock: FakeClock;
  broker: TestBroker;
  store: TestStore;
  outboxDir: string;
  publisher: EventPublisher;
  /** Every feedback.* event published, as received by an outside subscriber. */
  events: CloudEvent<any>[];
  ofType(type: string): CloudEvent<any>[];
  http(
    method: string,
    url: string,
    opts?: { role?: Role; branchId?: string; body?: unknown; sub?: string },
  ): Promise<{ status: number; body: any; type: string }>;
  outboxFiles(): string[];
  readOutbox(file: string): string;
  close(): Promise<void>;
}

/** Boots the real AppModule on the real broker (own vhost) and store (own database). */
export async function harness(options: { notifier?: (dir: string) => Notifier } = {}): Promise<Harness> {
  const broker = await testBroker();
  const store = testStore();
  const clock = new FakeClock();
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'cf-outbox-'));

  // The service's queue and bindings exist before anything is published, so no test event is lost
  // while the consumer starts (the same declaration the consumer makes; idempotent).
  const conn = await amqplib.connect(broker.url);
  const ch = await conn.createChannel();
  await declareExchange(ch);
  await declareServiceQueues(ch, serviceQueues(SERVICE, RETRIES), RETRIES, [
    bindingFor(CallClosedV1.type),
    bindingFor(SurveyAnsweredV1.type),
  ]);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EVENTS_EXCHANGE, 'feedback.#');
  const events: CloudEvent<any>[] = [];
  await ch.consume(
    queue,
    (m) => {
      if (!m) return;
      const event = JSON.parse(m.content.toString('utf8'));
      // At-least-once: the relay may publish an event again; consumers (and this sink) de-duplicate by id.
      if (!events.some((e) => e.id === event.id)) events.push(event);
    },
    { noAck: true },
  );

  const t = await createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName(SERVICE),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: RETRIES.join(','),
      MONGO_MAX_POOL_SIZE: '4',
      NOTIFIER: 'file',
      NOTIFIER_DIR: outboxDir,
      SCHEDULER_INTERVAL_MS: '0',
      SURVEY_LINK_BASE_URL: 'https://feedback.example.com/surveys/answer/',
      LOG_LEVEL: 'warn',
    },
    override: (b) => {
      const withClock = b.overrideProvider(Clock).useValue(clock);
      return options.notifier ? withClock.overrideProvider(Notifier).useValue(options.notifier(outboxDir)) : withClock;
    },
  });
  const publisher = t.app.get(EventPublisher);

  return {
    t,
    clock,
    broker,
    store,
    outboxDir,
    publisher,
    events,
    ofType: (type) => events.filter((e) => e.type === type),
    async http(method, url, opts = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (opts.role) {
        headers.authorization = `Bearer ${await mintDevToken({
          roles: [opts.role],
          branchId: opts.branchId ?? 'br-north',
          sub: opts.sub,
          secret: SECRET,
        })}`;
      }
      const res = await fetch(`${t.url}${url}`, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? JSON.parse(text) : undefined,
        type: res.headers.get('content-type') ?? '',
      };
    },
    outboxFiles: () => readdirSync(outboxDir).filter((f) => f.endsWith('.eml')),
    readOutbox: (file) => readFileSync(path.join(outboxDir, file), 'utf8'),
    async close() {
      await t.close();
      await conn.close().catch(() => undefined);
      const db = await store.connect(SERVICE);
      await db.dropDatabase().catch(() => undefined);
      await store.dispose();
      await broker.dispose();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** An intake.call.closed.v1 as call-intake publishes it. */
export function callClosed(callId: string, closedAt: string, technicianId = 'tech-1', branchId = 'br-north') {
  seq++;
  return CallClosedV1.create(
    {
      branchId,
      callId,
      voucherNo: `V-${seq}`,
      category: 'A',
      customer: {
        id: `cu-${seq}`,
        name: 'Ana Pérez',
        phone: '+34 600 000 000',
        address: 'Calle Mayor 1',
        zone: 'urban',
      },
      product: { model: 'WM-1', serial: `S-${seq}` },
      technicianId,
      completion: 'on-site',
      labourMinutes: 45,
      parts: [],
      closedAt,
    },
    { source: '/aftersales/call-intake', subject: callId },
  );
}

/** The answer token, read from the survey card in the outbox folder. */
export function tokenIn(text: string): string {
  const match = /surveys\/answer\/([A-Za-z0-9_-]{43})\b/.exec(text);
  if (!match) throw new Error(`no answer link in:\n${text}`);
  return match[1];
}
