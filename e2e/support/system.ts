/**
 * The whole system as processes: the six services built with `tsc -b` and started as children
 * (`node services/<name>/dist/main.js`) on free ports, sharing one broker and each with its own database.
 * Used by the e2e suites, the demo and the system benchmark, so all three drive the same thing a user runs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { mintDevToken, type Role } from '@aftersales/service-kit';

export const ROOT = path.resolve(__dirname, '../..');
export const DEV_SECRET = 'aftersales-local-dev-secret-not-for-production';
export const SERVICES = [
  'billing',
  'call-intake',
  'dispatch',
  'repair-shop',
  'reporting',
  'customer-feedback',
] as const;
export type Service = (typeof SERVICES)[number];
const WITH_GRPC: readonly Service[] = ['call-intake', 'billing', 'reporting'];

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls every `everyMs` up to `ms` until the probe returns something truthy; a timeout names what and why. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false | null>,
  ms = 30_000,
  everyMs = 200,
): Promise<T> {
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
    await sleep(everyMs);
  }
}

export function freePort(): Promise<number> {
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

/** A development JWT signed with the secret the system is started with. */
export const token = (role: Role, branchId: string, sub = `dev-${role}`, name = `Dev ${role}`) =>
  mintDevToken({ roles: [role], branchId, sub, name, secret: DEV_SECRET });

export interface ApiResponse {
  status: number;
  body: any;
  /** Wall time of the request, for latency figures. */
  ms: number;
}

/** Fails with the answer when a step's status is not the expected one. */
export function expectStatus(res: ApiResponse, status: number | number[], what: string): ApiResponse {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  if (!ok) throw new Error(`${what}: expected HTTP ${String(status)}, got ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** The branch-local date of an instant (YYYY-MM-DD), from the branch directory the services read. */
export function branchDate(branchId: string, at = new Date()): string {
  const branches = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'branches.json'), 'utf8'));
  const list: Array<{ id: string; timezone: string }> = Array.isArray(branches) ? branches : branches.branches;
  const tz = list.find((b) => b.id === branchId)?.timezone;
  if (!tz) throw new Error(`branch ${branchId} is not in config/branches.json`);
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );
}

/** Talks HTTP to services by name, wherever they run. */
export class ApiClient {
  constructor(private readonly baseUrl: (svc: Service) => string) {}

  async call(
    svc: Service,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    urlPath: string,
    bearer: string,
    body?: unknown,
  ): Promise<ApiResponse> {
    const started = performance.now();
    const res = await fetch(`${this.baseUrl(svc)}${urlPath}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000), // a hung service fails the step instead of the whole run
    });
    const text = await res.text();
    const ms = performance.now() - started;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: res.status, body: parsed, ms };
  }
}

/** Default ports of `pnpm start` (same as each service's config.ts). */
export const DEFAULT_PORTS: Record<Service, number> = {
  'call-intake': 3001,
  dispatch: 3002,
  'repair-shop': 3003,
  billing: 3004,
  reporting: 3005,
  'customer-feedback': 3006,
};

/** Scheduler knobs each service's config.ts defines: fast, so scheduled work happens within a test. */
export const FAST_SCHEDULERS: Partial<Record<Service, Record<string, string>>> = {
  'call-intake': { SCHEDULER_INTERVAL_MS: '1000', SCHEDULER_ENABLED: 'true' },
  dispatch: { SLA_CHECK_INTERVAL_MS: '1000', SLA_SCHEDULER_ENABLED: 'true' },
  'repair-shop': { OVERDUE_CHECK_INTERVAL_MS: '1000', OVERDUE_SCHEDULER_ENABLED: 'true' },
  billing: { BILLING_EXPIRY_INTERVAL_MS: '1000' },
  'customer-feedback': { SCHEDULER_INTERVAL_MS: '1000' },
};

export interface SystemOptions {
  amqpUrl: string;
  mongoUrl: string;
  /** The database each service uses. */
  dbName: (svc: Service) => string;
  /** Variables for every service (after the defaults below). */
  env?: Record<string, string>;
  /** Variables per service (last word). */
  serviceEnv?: Partial<Record<Service, Record<string, string>>>;
}

interface Proc {
  proc: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** Builds every package and service (incremental: quick when up to date). */
export function buildSystem(): void {
  execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: ROOT, timeout: 300_000, stdio: 'pipe' });
}

export class RunningSystem extends ApiClient {
  private readonly procs = new Map<Service, Proc>();

  private constructor(
    private readonly options: SystemOptions,
    private readonly ports: Map<Service, { port: number; grpcPort?: number }>,
  ) {
    super((svc) => `http://127.0.0.1:${ports.get(svc)!.port}`);
  }

  /** Starts the six services on free ports and waits until each answers /health/ready. */
  static async start(options: SystemOptions): Promise<RunningSystem> {
    const ports = new Map<Service, { port: number; grpcPort?: number }>();
    for (const name of SERVICES) {
      ports.set(name, { port: await freePort(), grpcPort: WITH_GRPC.includes(name) ? await freePort() : undefined });
    }
    const system = new RunningSystem(options, ports);
    try {
      await Promise.all(SERVICES.map((name) => system.startService(name)));
    } catch (err) {
      await system.stop();
      throw err;
    }
    return system;
  }

  url(svc: Service): string {
    return `http://127.0.0.1:${this.ports.get(svc)!.port}`;
  }

  grpcAddress(svc: Service): string | undefined {
    const grpc = this.ports.get(svc)?.grpcPort;
    return grpc ? `127.0.0.1:${grpc}` : undefined;
  }

  pid(svc: Service): number | undefined {
    return this.procs.get(svc)?.proc.pid;
  }

  /** The last lines the service printed, for failure messages. */
  output(svc: Service): string {
    return (this.procs.get(svc)?.output ?? []).join('').slice(-3000);
  }

  /** Starts (or restarts) one service and waits until it is ready. */
  async startService(name: Service): Promise<void> {
    const { port, grpcPort } = this.ports.get(name)!;
    const env: Record<string, string> = {
      PORT: String(port),
      ...(grpcPort ? { GRPC_PORT: String(grpcPort) } : {}),
      ...(name === 'call-intake' || name === 'dispatch' ? { BILLING_GRPC_URL: this.grpcAddress('billing')! } : {}),
      AMQP_URL: this.options.amqpUrl,
      MONGO_URL: this.options.mongoUrl,
      MONGO_DB: this.options.dbName(name),
      AUTH_DEV_SECRET: DEV_SECRET,
      LOG_LEVEL: 'warn',
      ...this.options.env,
      ...this.options.serviceEnv?.[name],
    };
    const proc = spawn(process.execPath, [path.join(ROOT, 'services', name, 'dist', 'main.js')], {
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
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) =>
      proc.on('exit', (code) => {
        exitCode = code;
        resolve(code);
      }),
    );
    this.procs.set(name, { proc, output, exited });
    try {
      await until(
        `${name} /health/ready`,
        async () => {
          if (exitCode !== undefined) throw new Error(`${name} exited with ${exitCode}`);
          const res = await fetch(`${this.url(name)}/health/ready`);
          return res.status === 200;
        },
        120_000,
      );
    } catch (err) {
      throw new Error(`${String(err)}\n--- ${name} output ---\n${this.output(name)}`);
    }
  }

  /** Sends a signal to one service and waits until its process is gone. */
  async kill(name: Service, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.procs.get(name);
    if (!p) return;
    p.proc.kill(signal);
    await p.exited;
  }

  /** SIGTERM to every service (graceful stop), SIGKILL for any still running after 20 s. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.procs.values()].map(async (p) => {
        if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
        p.proc.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 20_000)));
        const outcome = await Promise.race([p.exited, timeout]);
        clearTimeout(timer);
        if (outcome === 'timeout') {
          p.proc.kill('SIGKILL');
          await p.exited;
        }
      }),
    );
  }
}
