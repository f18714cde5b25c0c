import { credentials, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { CloudEvent } from '@aftersales/contracts';
import { GRPC_LOADER_OPTIONS, GRPC_PACKAGES, grpcOptions, PROTO_ROOT } from '@aftersales/contracts/grpc';
import { EventPublisher } from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';
import path from 'node:path';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/shared/clock';

export const SECRET = 'reporting-test-secret-of-32-characters!';

export interface Harness {
  t: TestApp;
  broker: TestBroker;
  store: TestStore;
  clock: { now: () => Date; set(at: string): void };
  token(role: Role, branchId: string, sub?: string): Promise<string>;
  http(
    method: string,
    path: string,
    role?: Role,
    branchId?: string,
    body?: unknown,
    sub?: string,
  ): Promise<{ status: number; body: any; text: string }>;
  publishAndWait(events: CloudEvent[]): Promise<void>;
  grpc<T>(method: 'getBranchKpis' | 'listDailyReports', req: unknown, role: Role, branchId: string): Promise<T>;
  close(): Promise<void>;
}

export async function startReporting(): Promise<Harness> {
  const broker = await testBroker();
  const store = testStore();
  let now = new Date('2026-03-02T19:00:00Z');
  const clock = { now: () => now, set: (at: string) => (now = new Date(at)) };
  const t = await createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName('reporting'),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: '200,500,1000',
      MONGO_MAX_POOL_SIZE: '4',
      LOG_LEVEL: 'warn',
    },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
    grpc: grpcOptions('aftersales.reporting.v1'),
  });
  // the app's database, dropped by store.dispose()
  await store.connect('reporting');
  await waitFor(async () => (await fetch(`${t.url}/health/ready`)).status === 200, 'service ready');

  const token = (role: Role, branchId: string, sub?: string) =>
    mintDevToken({ roles: [role], branchId, sub: sub ?? `${role}-${branchId}`, secret: SECRET });

  const http: Harness['http'] = async (method, p, role, branchId = 'br-north', body, sub) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (role) headers.authorization = `Bearer ${await token(role, branchId, sub)}`;
    const res = await fetch(`${t.url}${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* CSV or empty */
    }
    return { status: res.status, body: parsed, text };
  };

  const handled = async (): Promise<number> => {
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    return metrics
      .split('\n')
      .filter((l) => l.startsWith('reporting_events_consumed_total{') && l.includes('outcome="handled"'))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
  };

  const publisher = t.app.get(EventPublisher);
  const publishAndWait = async (events: CloudEvent[]) => {
    const before = await handled();
    await publisher.publish(events);
    await waitFor(async () => (await handled()) >= before + events.length, `${events.length} events handled`);
  };

  const def = loadSync(
    GRPC_PACKAGES['aftersales.reporting.v1'].map((f) => path.join(PROTO_ROOT, f)),
    GRPC_LOADER_OPTIONS,
  );
  const pkg = loadPackageDefinition(def) as any;
  const client = new pkg.aftersales.reporting.v1.HeadOffice(t.grpcUrl!, credentials.createInsecure());
  const grpc = async <T>(method: string, req: unknown, role: Role, branchId: string): Promise<T> => {
    const md = new Metadata();
    md.set('authorization', `Bearer ${await token(role, branchId)}`);
    return new Promise((resolve, reject) =>
      client[method](req, md, (err: ServiceError | null, res: T) => (err ? reject(err) : resolve(res))),
    );
  };

  return {
    t,
    broker,
    store,
    clock,
    token,
    http,
    publishAndWait,
    grpc,
    async close() {
      client.close();
      await t.close();
      await store.dispose();
      await broker.dispose();
    },
  };
}

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
