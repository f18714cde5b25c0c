/**
 * The whole system over its public interfaces: the six services built with `tsc -b` and started as child
 * processes (`node services/<name>/dist/main.js`) on free ports, sharing one RabbitMQ vhost and each with its
 * own database. A call goes the on-site path of DOMAIN.md end to end through HTTP only (register → job in
 * dispatch → assign → arrive → complete on site → completed in intake → close → one invoice, one survey,
 * counted in the head-office KPIs), while an outside consumer bound to `#` on the events exchange checks that
 * every message it receives is a valid CloudEvent of the catalogue, routed by `<type>.<branchid>`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import amqplib, { type Channel, type ChannelModel } from 'amqplib';
import { CloudEventEnvelope, EVENTS_EXCHANGE, eventContract } from '@aftersales/contracts';
import { declareExchange } from '@aftersales/messaging';
import { mintDevToken, type Role } from '@aftersales/service-kit';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';

const ROOT = path.resolve(__dirname, '..');
const SECRET = 'aftersales-local-dev-secret-not-for-production';
const BRANCH = 'br-north';
const SERVICES = ['billing', 'call-intake', 'dispatch', 'repair-shop', 'reporting', 'customer-feedback'] as const;
type Service = (typeof SERVICES)[number];
const WITH_GRPC: readonly Service[] = ['call-intake', 'billing', 'reporting'];

/** Scheduler knobs each service's config.ts defines (grep *_INTERVAL_MS / *_ENABLED): small, so they run. */
const SCHEDULERS: Partial<Record<Service, Record<string, string>>> = {
  'call-intake': { SCHEDULER_INTERVAL_MS: '1000', SCHEDULER_ENABLED: 'true' },
  dispatch: { SLA_CHECK_INTERVAL_MS: '1000', SLA_SCHEDULER_ENABLED: 'true' },
  'repair-shop': { OVERDUE_CHECK_INTERVAL_MS: '1000', OVERDUE_SCHEDULER_ENABLED: 'true' },
  billing: { BILLING_EXPIRY_INTERVAL_MS: '1000' },
  'customer-feedback': { SCHEDULER_INTERVAL_MS: '1000' },
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls every 200 ms up to `ms` until the probe returns something truthy. */
async function until<T>(what: string, probe: () => Promise<T | undefined | false | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(200);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Running {
  name: Service;
  port: number;
  grpcPort?: number;
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

interface Seen {
  routingKey: string;
  contentType: string | undefined;
  raw: string;
}

let broker: TestBroker;
let store: TestStore;
let notifierDir: string;
const running = new Map<Service, Running>();
let consumerConn: ChannelModel | undefined;
const seen: Seen[] = [];

const token = (role: Role, branchId = BRANCH, sub = `e2e-${role}`) =>
  mintDevToken({ roles: [role], branchId, sub, name: `E2E ${role}`, secret: SECRET });

async function api(
  svc: Service,
  method: 'GET' | 'POST',
  urlPath: string,
  bearer: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${running.get(svc)!.port}${urlPath}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the failure message
  }
  return { status: res.status, body: parsed };
}

/** Fails with the service's output when a step's answer is not the expected status. */
function expectStatus(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
  }
}

function start(r: Omit<Running, 'proc' | 'output' | 'exited'>, env: Record<string, string>): Running {
  const proc = spawn(process.execPath, [path.join(ROOT, 'services', r.name, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { ...r, proc, output, exited };
}

const tail = (r: Running) => r.output.join('').slice(-3000);

beforeAll(async () => {
  // The services run from their dist/: build everything (incremental, quick when up to date).
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: ROOT, timeout: 240_000, stdio: 'pipe' });

  broker = await testBroker();
  store = testStore();
  notifierDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-e2e-outbox-'));

  // The outside consumer, bound before anything happens.
  consumerConn = await amqplib.connect(broker.url);
  const ch: Channel = await consumerConn.createChannel();
  await declareExchange(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, EVENTS_EXCHANGE, '#');
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      seen.push({
        routingKey: msg.fields.routingKey,
        contentType: msg.properties.contentType,
        raw: msg.content.toString('utf8'),
      });
    },
    { noAck: true },
  );

  const ports = new Map<Service, { port: number; grpcPort?: number }>();
  for (const name of SERVICES) {
    ports.set(name, { port: await freePort(), grpcPort: WITH_GRPC.includes(name) ? await freePort() : undefined });
  }
  const billingGrpc = `127.0.0.1:${ports.get('billing')!.grpcPort}`;
  for (const name of SERVICES) {
    const { port, grpcPort } = ports.get(name)!;
    const env: Record<string, string> = {
      PORT: String(port),
      ...(grpcPort ? { GRPC_PORT: String(grpcPort) } : {}),
      ...(name === 'call-intake' || name === 'dispatch' ? { BILLING_GRPC_URL: billingGrpc } : {}),
      AMQP_URL: broker.url,
      MONGO_URL: process.env.MONGO_URL!,
      MONGO_DB: store.dbName(name),
      AUTH_DEV_SECRET: SECRET,
      MONGO_MAX_POOL_SIZE: '4',
      AMQP_RETRY_DELAYS_MS: '200,500',
      LOG_LEVEL: 'warn',
      ...(name === 'customer-feedback' ? { NOTIFIER: 'file', NOTIFIER_DIR: notifierDir } : {}),
      ...SCHEDULERS[name],
    };
    running.set(name, start({ name, port, grpcPort }, env));
  }

  await Promise.all(
    [...running.values()].map(async (r) => {
      let exitCode: number | null | undefined;
      void r.exited.then((c) => (exitCode = c));
      try {
        await until(
          `${r.name} /health/ready`,
          async () => {
            if (exitCode !== undefined) throw new Error(`${r.name} exited with ${exitCode}`);
            const res = await fetch(`http://127.0.0.1:${r.port}/health/ready`);
            return res.status === 200;
          },
          120_000,
        );
      } catch (err) {
        throw new Error(`${String(err)}\n--- ${r.name} output ---\n${tail(r)}`);
      }
    }),
  );
}, 420_000);

afterAll(async () => {
  for (const r of running.values()) r.proc.kill('SIGTERM');
  await Promise.all(
    [...running.values()].map(async (r) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
      const outcome = await Promise.race([r.exited, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        r.proc.kill('SIGKILL');
        await r.exited;
      }
    }),
  );
  await consumerConn?.close().catch(() => undefined);
  if (store) {
    for (const name of SERVICES) {
      const conn = await store.connect(name).catch(() => undefined);
      await conn?.dropDatabase().catch(() => undefined);
    }
    await store.dispose();
  }
  await broker?.dispose();
  if (notifierDir) fs.rmSync(notifierDir, { recursive: true, force: true });
}, 120_000);

/** The branch-local date of now, from the branch directory the services read. */
function todayAt(branchId: string): string {
  const branches = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'branches.json'), 'utf8'));
  const list: Array<{ id: string; timezone: string }> = Array.isArray(branches) ? branches : branches.branches;
  const tz = list.find((b) => b.id === branchId)!.timezone;
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

const EXPECTED_TYPES = [
  'intake.call.registered.v1',
  'dispatch.technician.assigned.v1',
  'dispatch.technician.arrived.v1',
  'dispatch.visit.completed.v1',
  'intake.call.closed.v1',
  'billing.invoice.issued.v1',
];

describe('a call through the whole system (six services as processes, public interfaces only)', () => {
  it('goes registered → assigned → on site → completed → closed, and is invoiced, surveyed and counted once', async () => {
    const clerk = await token('clerk');
    const director = await token('director');
    const accountant = await token('accountant');
    const serviceDept = await token('service-dept', 'head-office');
    const technicianId = `tech-e2e-${randomBytes(3).toString('hex')}`;
    const technician = await token('technician', BRANCH, technicianId);

    // 1. The clerk registers a call for a new customer, product without warranty: category A.
    const registered = await api('call-intake', 'POST', `/branches/${BRANCH}/calls`, clerk, {
      channel: 'phone',
      customer: { name: 'Ana García', phone: '+34 600 111 222', address: 'Calle Mayor 1, Madrid', postalCode: '28013' },
      product: { model: 'WM-9', serial: `E2E-${randomBytes(3).toString('hex')}` },
      problem: 'does not spin',
    });
    expectStatus(registered, 201, 'register call');
    const callId: string = registered.body.id;
    expect(registered.body.category).toBe('A');

    // 2. Dispatch opened the job from intake.call.registered.v1.
    await until('the job in dispatch', async () => {
      const res = await api('dispatch', 'GET', `/jobs/${callId}`, director);
      return res.status === 200;
    });

    // 3. The director puts the technician on the roster and assigns them.
    const created = await api('dispatch', 'POST', `/branches/${BRANCH}/technicians`, director, {
      id: technicianId,
      name: 'Luis Técnico',
      skills: [],
    });
    expect([200, 201]).toContain(created.status);
    expectStatus(
      await api('dispatch', 'POST', `/jobs/${callId}/assignment`, director, { technicianId }),
      200,
      'assign',
    );

    // 4. The technician arrives and fixes it on site (no parts: the fee/cash outcome is not asserted).
    expectStatus(await api('dispatch', 'POST', `/jobs/${callId}/arrival`, technician), 200, 'arrival');
    expectStatus(
      await api('dispatch', 'POST', `/jobs/${callId}/completion`, technician, {
        labourMinutes: 45,
        parts: [],
        signature: { signedBy: 'Ana García', signedAt: new Date().toISOString() },
      }),
      200,
      'completion on site',
    );

    // 5. Intake learns it from dispatch.visit.completed.v1; the clerk closes the call.
    await until('call completed in call-intake', async () => {
      const res = await api('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk);
      return res.status === 200 && res.body.status === 'completed';
    });
    const closed = await api('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/close`, clerk);
    expectStatus(closed, 200, 'close');
    expect(closed.body.status).toBe('closed');

    // 6. Downstream of intake.call.closed.v1: one invoice, one survey, counted in the KPIs.
    const invoicesOf = async () => {
      const res = await api('billing', 'GET', `/branches/${BRANCH}/invoices?pageSize=200`, accountant);
      expectStatus(res, 200, 'list invoices');
      return (res.body.items as Array<{ callId?: string }>).filter((i) => i.callId === callId);
    };
    await until('an invoice for the call', async () => (await invoicesOf()).length > 0);

    const survey = await until('a survey for the call', async () => {
      const res = await api('customer-feedback', 'GET', `/surveys/by-call/${callId}`, serviceDept);
      return res.status === 200 ? res.body : undefined;
    });
    expect(survey.callId).toBe(callId);

    const today = todayAt(BRANCH);
    const kpis = await until('the call in the KPIs', async () => {
      const res = await api('reporting', 'GET', `/kpis?from=${today}&to=${today}&branchIds=${BRANCH}`, serviceDept);
      const north = res.status === 200 ? res.body.branches.find((b: any) => b.branchId === BRANCH) : undefined;
      return north?.callsByCategory?.categoryA > 0 ? north : undefined;
    });
    // fresh databases: this call is the only one
    expect(kpis.callsByCategory).toEqual({ categoryA: 1, categoryB: 0, categoryC: 0 });

    // The outside consumer saw every step of this call.
    const ofCall = () =>
      seen
        .map((s) => JSON.parse(s.raw))
        .filter((e) => e?.subject === callId || e?.data?.callId === callId)
        .map((e) => e.type as string);
    await until('every expected event of the call on the outside queue', async () =>
      EXPECTED_TYPES.every((t) => ofCall().includes(t)),
    );

    // Nothing was duplicated: still exactly one invoice and one survey once things have settled.
    await sleep(1500);
    expect(await invoicesOf()).toHaveLength(1);
    const surveys = await api('customer-feedback', 'GET', `/surveys?branchId=${BRANCH}&pageSize=200`, serviceDept);
    expectStatus(surveys, 200, 'list surveys');
    expect(surveys.body.items.filter((s: { callId: string }) => s.callId === callId)).toHaveLength(1);

    // Every message on the exchange is a CloudEvent of the catalogue, routed by `<type>.<branchid>`.
    expect(seen.length).toBeGreaterThanOrEqual(EXPECTED_TYPES.length);
    const problems: string[] = [];
    for (const s of seen) {
      try {
        expect(s.contentType).toBe('application/cloudevents+json');
        const body = JSON.parse(s.raw);
        const envelope = CloudEventEnvelope.parse(body);
        const contract = eventContract(envelope.type);
        if (!contract) throw new Error(`type ${envelope.type} is not in the catalogue`);
        contract.schema.parse(envelope.data);
        expect(s.routingKey).toBe(`${envelope.type}.${envelope.branchid}`);
      } catch (err) {
        problems.push(`${s.routingKey}: ${String(err).slice(0, 500)}`);
      }
    }
    expect(problems).toEqual([]);
  }, 180_000);
});
