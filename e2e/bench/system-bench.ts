/**
 * System benchmark (a script, not a test): whole call lifecycles through the public HTTP APIs of the six
 * running services — a clerk registers, each branch's director assigns from the dispatch queue, the
 * technician arrives and completes on site, each branch's clerk closes what the day's log shows completed —
 * first at a fixed rate, then with a fixed number of calls open, each for a set duration; then waits until
 * everything downstream (invoice, survey, KPIs) has caught up.
 *
 * Prints: lifecycles/s sustained, registration → head-office KPI latency (p50/p99), API latency per
 * endpoint, outbox and queue backlogs, CPU and memory per process, store writes and messages per lifecycle,
 * and the raw ceilings of this machine's broker and store measured in the same run, with ratios.
 *
 *   pnpm bench   BENCH_RATE (25/s) BENCH_DURATION_S (60) BENCH_CONCURRENCY (48) BENCH_TECHNICIANS (20/branch)
 *                BENCH_PHASES (fixed,max)
 *
 * Starts its own system (e2e/support/system.ts) on a fresh RabbitMQ vhost and fresh databases, dropped after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqplib from 'amqplib';
import { CallCancelledV1 } from '@aftersales/contracts';
import { amqpCeiling, ensureInfrastructure, storeCeiling, testBroker, testStore } from '@aftersales/testing';
import {
  branchDate,
  buildSystem,
  expectStatus,
  ROOT,
  RunningSystem,
  SERVICES,
  sleep,
  token,
  until,
  type ApiResponse,
  type Service,
} from '../support/system';
import {
  cpuModel,
  cpuTimes,
  ferretdbPid,
  gitRevision,
  Latencies,
  parseMetrics,
  pidsMatching,
  quantile,
  sampleGroups,
  type ProcessGroup,
} from './probes';

const RATE = Number(process.env.BENCH_RATE ?? 25);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 48);
const TECHNICIANS = Number(process.env.BENCH_TECHNICIANS ?? 20);
const PHASES = (process.env.BENCH_PHASES ?? 'fixed,max').split(',');
const TARGET_RATE = 50;
const TARGET_P99_MS = 1000;

const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);

const branches: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, 'config/branches.json'), 'utf8')).branches.map(
  (b: { id: string }) => b.id,
);

let system: RunningSystem;
const tokens = new Map<string, string>();
async function tokenFor(role: 'clerk' | 'director' | 'technician' | 'service-dept', branchId: string, sub?: string) {
  const key = `${role}|${branchId}|${sub ?? ''}`;
  if (!tokens.has(key)) tokens.set(key, await token(role, branchId, sub ?? `bench-${role}-${branchId}`));
  return tokens.get(key)!;
}
const techId = (branchId: string, n: number) => `bench-tech-${branchId}-${n}`;

/** One phase's measurements. */
class Phase {
  readonly api = new Latencies();
  readonly registrations: number[] = []; // performance.now() of each 201
  readonly kpiSamples: Array<{ t: number; count: number }> = [];
  readonly backlog = { queueMax: 0, outboxMax: 0 };
  completed = 0;
  failed = 0;
  readonly errors: string[] = [];
  startedAt = 0;
  loadEndedAt = 0;
  drainedAt = 0;

  constructor(readonly name: string) {}

  async timed(label: string, res: Promise<ApiResponse>): Promise<ApiResponse> {
    const r = await res;
    this.api.add(label, r.ms);
    return r;
  }
}

interface OpenCall {
  branchId: string;
  technicianId: string;
  step: 'registered' | 'visiting' | 'visited' | 'closing';
}

/**
 * The people of a day, as many as it takes: a clerk registers calls; each branch's director works the
 * dispatch queue and sends a technician, who arrives and fixes it on site; each branch's clerk closes the
 * calls the day's log shows completed. Each list is read every 200 ms per branch (as a screen would refresh), so
 * the cost of waiting does not grow with the number of calls open.
 */
class Workload {
  private readonly open = new Map<string, OpenCall>();
  private registering = true;
  private readonly workers: Promise<void>[];

  constructor(
    private readonly phase: Phase,
    private readonly runId: string,
  ) {
    this.workers = branches.flatMap((b) => [this.director(b), this.closer(b)]);
  }

  get openCalls(): number {
    return this.open.size;
  }

  async register(i: number): Promise<void> {
    const branchId = branches[i % branches.length];
    const technicianId = techId(branchId, Math.floor(i / branches.length) % TECHNICIANS);
    try {
      const res = await this.phase.timed(
        'POST /branches/:b/calls',
        system.call('call-intake', 'POST', `/branches/${branchId}/calls`, await tokenFor('clerk', branchId), {
          channel: 'phone',
          customer: {
            name: `Bench Customer ${i}`,
            phone: `+34 600 ${String(i).padStart(6, '0')}`,
            address: `Calle ${i}, Madrid`,
            postalCode: i % 3 === 0 ? '28850' : '28013',
          },
          product: {
            model: 'WM-9',
            serial: `B-${this.runId}-${i}`,
            ...(i % 4 === 0 ? { warrantyEndsOn: '2099-12-31' } : {}),
          },
          problem: 'does not spin',
        }),
      );
      expectStatus(res, 201, 'register');
      this.phase.registrations.push(performance.now());
      this.open.set(res.body.id, { branchId, technicianId, step: 'registered' });
    } catch (err) {
      this.fail(err);
    }
  }

  /** Stops registering, waits until every open call is closed (or `timeoutMs` passed: those count as failed). */
  async finish(timeoutMs: number): Promise<void> {
    this.registering = false;
    const end = performance.now() + timeoutMs;
    while (this.open.size > 0 && performance.now() < end) await sleep(100);
    const left = this.open.size;
    this.open.clear();
    await Promise.all(this.workers);
    if (left > 0) this.fail(new Error(`${left} calls still open ${timeoutMs} ms after the last registration`), left);
  }

  private fail(err: unknown, n = 1) {
    this.phase.failed += n;
    if (this.phase.errors.length < 5) this.phase.errors.push(String(err).slice(0, 300));
  }

  private get running() {
    return this.registering || this.open.size > 0;
  }

  private async director(branchId: string): Promise<void> {
    const director = await tokenFor('director', branchId);
    while (this.running) {
      const res = await this.phase
        .timed(
          'GET /branches/:b/dispatch-queue',
          system.call('dispatch', 'GET', `/branches/${branchId}/dispatch-queue?pageSize=100`, director),
        )
        .catch(() => undefined);
      const ready = ((res?.status === 200 && res.body.items) || []).filter(
        (job: { callId: string }) => this.open.get(job.callId)?.step === 'registered',
      );
      for (const job of ready) void this.visit(job.callId, director);
      if (ready.length < 100) await sleep(200);
    }
  }

  /** Assignment, then the technician's arrival and completion on site. */
  private async visit(callId: string, director: string): Promise<void> {
    const call = this.open.get(callId)!;
    call.step = 'visiting';
    try {
      const technician = await tokenFor('technician', call.branchId, call.technicianId);
      const assign = system.call('dispatch', 'POST', `/jobs/${callId}/assignment`, director, {
        technicianId: call.technicianId,
      });
      expectStatus(await this.phase.timed('POST /jobs/:id/assignment', assign), 200, 'assign');
      const arrive = system.call('dispatch', 'POST', `/jobs/${callId}/arrival`, technician);
      expectStatus(await this.phase.timed('POST /jobs/:id/arrival', arrive), 200, 'arrival');
      const complete = system.call('dispatch', 'POST', `/jobs/${callId}/completion`, technician, {
        labourMinutes: 30,
        parts: [],
        signature: { signedBy: 'Bench Customer', signedAt: new Date().toISOString() },
      });
      expectStatus(await this.phase.timed('POST /jobs/:id/completion', complete), 200, 'completion');
      call.step = 'visited';
    } catch (err) {
      this.open.delete(callId);
      this.fail(err);
    }
  }

  private async closer(branchId: string): Promise<void> {
    const clerk = await tokenFor('clerk', branchId);
    const today = branchDate(branchId); // a run across midnight would need both days
    while (this.running) {
      const res = await this.phase
        .timed(
          'GET /branches/:b/calls?status=completed',
          system.call(
            'call-intake',
            'GET',
            `/branches/${branchId}/calls?date=${today}&status=completed&pageSize=100`,
            clerk,
          ),
        )
        .catch(() => undefined);
      const ready = ((res?.status === 200 && res.body.items) || []).filter(
        (c: { id: string }) => this.open.get(c.id)?.step === 'visited',
      );
      for (const c of ready) void this.close(c.id, branchId, clerk);
      if (ready.length < 100) await sleep(200);
    }
  }

  private async close(callId: string, branchId: string, clerk: string): Promise<void> {
    this.open.get(callId)!.step = 'closing';
    try {
      const close = system.call('call-intake', 'POST', `/branches/${branchId}/calls/${callId}/close`, clerk);
      expectStatus(await this.phase.timed('POST /branches/:b/calls/:id/close', close), 200, 'close');
      this.phase.completed++;
    } catch (err) {
      this.fail(err);
    }
    this.open.delete(callId);
  }
}

/** Head-office figures over every branch, today: calls registered, technician arrivals. */
async function kpiTotals(): Promise<{ calls: number; arrivals: number }> {
  const today = branchDate(branches[0]);
  const res = expectStatus(
    await system.call(
      'reporting',
      'GET',
      `/kpis?from=${today}&to=${today}&branchIds=${branches.join(',')}`,
      await tokenFor('service-dept', 'head-office'),
    ),
    200,
    'kpis',
  );
  let calls = 0;
  let arrivals = 0;
  for (const b of res.body.branches) {
    calls += b.callsByCategory.categoryA + b.callsByCategory.categoryB + b.callsByCategory.categoryC;
    arrivals += b.slaUrban.arrivals + b.slaSuburban.arrivals;
  }
  return { calls, arrivals };
}

/** What closing a call leads to downstream: invoice records (billing) and surveys (customer-feedback). */
async function downstreamTotals(): Promise<{ invoices: number; surveys: number }> {
  let invoices = 0;
  for (const b of branches) {
    const accountant = await token('accountant', b, 'bench-accountant');
    const res = await system.call('billing', 'GET', `/branches/${b}/invoices?pageSize=1`, accountant);
    invoices += expectStatus(res, 200, 'invoices').body.total;
  }
  const res = await system.call(
    'customer-feedback',
    'GET',
    '/surveys?pageSize=1',
    await tokenFor('service-dept', 'head-office'),
  );
  return { invoices, surveys: expectStatus(res, 200, 'surveys').body.total };
}

async function scrapeAll(): Promise<Map<Service, ReturnType<typeof parseMetrics>>> {
  const out = new Map<Service, ReturnType<typeof parseMetrics>>();
  await Promise.all(
    SERVICES.map(async (svc) => {
      const res = await fetch(`${system.url(svc)}/metrics`);
      out.set(svc, parseMetrics(await res.text()));
    }),
  );
  return out;
}

/** Store writes/reads and events published/consumed, per service, from the services' own counters. */
function counters(metrics: Map<Service, ReturnType<typeof parseMetrics>>) {
  const per = new Map<Service, { writes: number; reads: number; published: number; consumed: number }>();
  for (const [svc, samples] of metrics) {
    const p = svc.replace(/-/g, '_');
    const c = { writes: 0, reads: 0, published: 0, consumed: 0 };
    for (const s of samples) {
      if (s.name === `${p}_store_operations_total`) {
        if (WRITE_COMMANDS.has(s.labels.command)) c.writes += s.value;
        else c.reads += s.value;
      } else if (s.name === `${p}_events_confirmed_total`) c.published += s.value;
      else if (s.name === `${p}_events_consumed_total`) c.consumed += s.value;
    }
    per.set(svc, c);
  }
  return per;
}

/** Store writes by `service collection command`, to see where a lifecycle's writes go. */
function writesByCollection(metrics: Map<Service, ReturnType<typeof parseMetrics>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [svc, samples] of metrics) {
    for (const s of samples) {
      if (s.name !== `${svc.replace(/-/g, '_')}_store_operations_total` || !WRITE_COMMANDS.has(s.labels.command))
        continue;
      const key = `${svc} ${s.labels.collection} ${s.labels.command}`;
      out.set(key, (out.get(key) ?? 0) + s.value);
    }
  }
  return out;
}

const outboxPending = (metrics: Map<Service, ReturnType<typeof parseMetrics>>) =>
  [...metrics].reduce(
    (sum, [svc, samples]) =>
      sum +
      samples.filter((s) => s.name === `${svc.replace(/-/g, '_')}_outbox_pending`).reduce((a, s) => a + s.value, 0),
    0,
  );

async function main() {
  await ensureInfrastructure();
  const broker = await testBroker();
  const store = testStore();
  const runId = Date.now().toString(36);
  const notifierDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-bench-outbox-'));
  const log = (line: string) => console.log(line);

  log(`# Aftersales system benchmark — ${new Date().toISOString()} — ${gitRevision(ROOT)} — ${cpuModel()}`);
  log(`store ${store.url}   broker vhost ${broker.vhost}   branches ${branches.join(', ')}`);

  // 1. The raw ceilings of this machine's broker and store, same run.
  const sampleEvent = Buffer.from(
    JSON.stringify(
      CallCancelledV1.create(
        { branchId: 'br-north', callId: 'c1', reason: 'bench' },
        { source: '/bench', subject: 'c1' },
      ),
    ),
  );
  const amqpRate = await amqpCeiling(broker.url, sampleEvent, 20_000);
  const storeRate = await storeCeiling(store.url, 5, 10);
  log(
    `raw ceilings: RabbitMQ ${amqpRate.toFixed(0)} persistent confirmed msgs/s (plain amqplib) · ` +
      `store ${storeRate.insertsPerSecond.toFixed(0)} inserts/s, ${storeRate.updatesPerSecond.toFixed(0)} updates/s (plain driver, 10 at a time)`,
  );

  // 2. The system.
  buildSystem();
  system = await RunningSystem.start({
    amqpUrl: broker.url,
    mongoUrl: store.url,
    dbName: (svc) => store.dbName(svc),
    serviceEnv: { 'customer-feedback': { NOTIFIER: 'file', NOTIFIER_DIR: notifierDir } },
  });
  // Ctrl-C: stop the services and drop the run's databases and vhost, as at the end.
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));
  const amqp = await amqplib.connect(broker.url);
  const ch = await amqp.createChannel();
  ch.on('error', () => undefined);
  const groups: ProcessGroup[] = [
    ...SERVICES.map((svc) => ({ name: svc, pids: () => [system.pid(svc)!] })),
    { name: 'ferretdb', pids: () => [ferretdbPid()].filter((p): p is number => !!p) },
    { name: 'postgresql', pids: () => pidsMatching('postgres') },
    { name: 'rabbitmq', pids: () => pidsMatching('beam.smp') },
    { name: 'load generator', pids: () => [process.pid] },
  ];

  try {
    for (const b of branches) {
      const director = await tokenFor('director', b);
      for (let n = 0; n < TECHNICIANS; n++) {
        expectStatus(
          await system.call('dispatch', 'POST', `/branches/${b}/technicians`, director, {
            id: techId(b, n),
            name: `Bench Technician ${n}`,
            skills: [],
          }),
          [200, 201],
          'roster',
        );
      }
    }
    // Warm-up: JIT, connection pools, collections created.
    const warm = new Phase('warm-up');
    const warmWork = new Workload(warm, `${runId}w`);
    await Promise.all(Array.from({ length: 10 }, (_, i) => warmWork.register(i)));
    await warmWork.finish(60_000);
    if (warm.failed) throw new Error(`warm-up failed: ${warm.errors.join('\n')}`);
    await until('the warm-up calls invoiced and surveyed', async () => {
      const d = await downstreamTotals();
      return d.invoices >= warm.completed && d.surveys >= warm.completed;
    });

    let next = 1_000;
    const results: Array<{ phase: Phase; sustained: number; p99: number; exact: boolean }> = [];
    for (const name of PHASES) {
      const phase = new Phase(name === 'fixed' ? `fixed ${RATE}/s` : `max (${CONCURRENCY} in flight)`);
      const before = await kpiTotals();
      const downstreamBefore = await downstreamTotals();
      const scrapeBefore = await scrapeAll();
      const metricsBefore = counters(scrapeBefore);
      const cpuBefore = cpuTimes();
      const procBefore = sampleGroups(groups);
      const rssMax = new Map<string, number>();

      // Samplers: KPI counts (latency), backlogs and memory.
      let sampling = true;
      const kpiWatcher = (async () => {
        while (sampling) {
          const { calls } = await kpiTotals().catch(() => ({ calls: -1 }));
          if (calls >= 0) phase.kpiSamples.push({ t: performance.now(), count: calls - before.calls });
          await sleep(50);
        }
      })();
      const backlogWatcher = (async () => {
        while (sampling) {
          let depth = 0;
          for (const svc of SERVICES)
            depth += (await ch.checkQueue(`${svc}.events`).catch(() => ({ messageCount: 0 }))).messageCount;
          phase.backlog.queueMax = Math.max(phase.backlog.queueMax, depth);
          phase.backlog.outboxMax = Math.max(phase.backlog.outboxMax, outboxPending(await scrapeAll()));
          for (const [g, s] of sampleGroups(groups)) rssMax.set(g, Math.max(rssMax.get(g) ?? 0, s.rssBytes));
          await sleep(1000);
        }
      })();

      // Load.
      phase.startedAt = performance.now();
      const end = phase.startedAt + DURATION_S * 1000;
      const work = new Workload(phase, runId);
      const registrations: Promise<void>[] = [];
      let registering = 0;
      for (let i = 0; performance.now() < end; i++) {
        if (name === 'fixed') {
          const due = phase.startedAt + (i * 1000) / RATE;
          if (due > performance.now()) await sleep(due - performance.now());
        } else {
          while (work.openCalls + registering >= CONCURRENCY && performance.now() < end) await sleep(5);
        }
        registering++;
        registrations.push(work.register(next++).finally(() => registering--));
      }
      await Promise.all(registrations);
      await work.finish(120_000);
      phase.loadEndedAt = performance.now();
      const started = phase.registrations.length;

      // Drain: every registration counted, every closed call invoiced and surveyed, queues and outboxes empty.
      await until(
        'the system to catch up',
        async () => {
          const now = await kpiTotals();
          const downstream = await downstreamTotals();
          let depth = 0;
          for (const svc of SERVICES) depth += (await ch.checkQueue(`${svc}.events`)).messageCount;
          return (
            now.calls - before.calls >= phase.registrations.length &&
            downstream.invoices - downstreamBefore.invoices >= phase.completed &&
            downstream.surveys - downstreamBefore.surveys >= phase.completed &&
            depth === 0 &&
            outboxPending(await scrapeAll()) === 0
          );
        },
        300_000,
        250,
      ).catch((err) => phase.errors.push(String(err)));
      phase.drainedAt = performance.now();
      sampling = false;
      await Promise.all([kpiWatcher, backlogWatcher]);

      const after = await kpiTotals();
      const downstreamAfter = await downstreamTotals();
      const scrapeAfter = await scrapeAll();
      const metricsAfter = counters(scrapeAfter);
      const writesBefore = writesByCollection(scrapeBefore);
      const topWriters = [...writesByCollection(scrapeAfter)]
        .map(([key, v]) => [key, (v - (writesBefore.get(key) ?? 0)) / (phase.completed || 1)] as const)
        .filter(([, v]) => v > 0)
        .sort((a, b) => b[1] - a[1]);
      const cpuAfter = cpuTimes();
      const procAfter = sampleGroups(groups);
      const seconds = (phase.drainedAt - phase.startedAt) / 1000;
      const loadSeconds = (phase.loadEndedAt - phase.startedAt) / 1000;

      // Registration → KPI latency: the k-th registration of the phase appears when the KPI count first reaches k.
      const latencies: number[] = [];
      const regs = [...phase.registrations].sort((a, b) => a - b);
      let s = 0;
      for (let k = 0; k < regs.length; k++) {
        while (s < phase.kpiSamples.length && phase.kpiSamples[s].count < k + 1) s++;
        if (s === phase.kpiSamples.length) break;
        latencies.push(Math.max(0, phase.kpiSamples[s].t - regs[k]));
      }
      latencies.sort((a, b) => a - b);

      const total = { writes: 0, reads: 0, published: 0, consumed: 0 };
      const perService: string[] = [];
      for (const svc of SERVICES) {
        const a = metricsAfter.get(svc)!;
        const b = metricsBefore.get(svc)!;
        const d = {
          writes: a.writes - b.writes,
          reads: a.reads - b.reads,
          published: a.published - b.published,
          consumed: a.consumed - b.consumed,
        };
        for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += d[k];
        const per = (x: number) => (phase.completed ? x / phase.completed : 0).toFixed(1);
        perService.push(
          `  ${svc.padEnd(18)} writes ${per(d.writes).padStart(5)}  reads ${per(d.reads).padStart(5)}  ` +
            `published ${per(d.published).padStart(4)}  consumed ${per(d.consumed).padStart(4)}`,
        );
      }
      const n = phase.completed || 1;
      const sustained = phase.completed / seconds;
      const busy = (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total);

      const report = [
        `\n## ${phase.name}: lifecycles started for ${DURATION_S} s, the last one done at ${loadSeconds.toFixed(0)} s, ` +
          `everything downstream caught up at ${seconds.toFixed(0)} s`,
        `lifecycles: ${started} started, ${phase.completed} completed, ${phase.failed} failed → ` +
          `${sustained.toFixed(1)} lifecycles/s sustained (completed ÷ time until everything caught up); ` +
          `started ${(started / DURATION_S).toFixed(1)}/s for ${DURATION_S} s`,
        `nothing lost or doubled: of ${phase.completed} calls closed, ${after.calls - before.calls} counted in the KPIs ` +
          `(${after.arrivals - before.arrivals} arrivals), ${downstreamAfter.invoices - downstreamBefore.invoices} invoiced, ` +
          `${downstreamAfter.surveys - downstreamBefore.surveys} surveyed`,
        `registration → KPI: p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p99 ${quantile(latencies, 0.99).toFixed(0)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms (${latencies.length} calls; KPIs polled back to back)`,
        `backlogs (max): ${phase.backlog.queueMax} messages ready in the services' queues, ${phase.backlog.outboxMax} events in outboxes`,
        `per lifecycle: ${(total.writes / n).toFixed(1)} store writes, ${(total.reads / n).toFixed(1)} store reads, ` +
          `${(total.published / n).toFixed(1)} events published, ${(total.consumed / n).toFixed(1)} deliveries handled`,
        ...perService,
        `  writes by service, collection, command: ${topWriters.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(' · ')}`,
        `vs the raw ceilings: ${(total.published / seconds).toFixed(0)} events/s = ${((total.published / seconds / amqpRate) * 100).toFixed(1)}% of RabbitMQ's; ` +
          `${(total.writes / seconds).toFixed(0)} store writes/s = ${((total.writes / seconds / storeRate.updatesPerSecond) * 100).toFixed(0)}% of the store's update ceiling; ` +
          `store-bound limit at ${(total.writes / n).toFixed(1)} writes each: ${(storeRate.updatesPerSecond / (total.writes / n)).toFixed(1)} lifecycles/s`,
        'API latency (ms):                       n     p50     p99     max',
        ...phase.api
          .summary()
          .map(
            (r) =>
              `  ${r.label.padEnd(38)} ${String(r.n).padStart(6)} ${r.p50.toFixed(0).padStart(7)} ${r.p99.toFixed(0).padStart(7)} ${r.max.toFixed(0).padStart(7)}`,
          ),
        `CPU (machine ${(busy * 100).toFixed(0)}% busy of ${os.cpus().length} cores) and memory per process:`,
        ...groups.map((g) => {
          const cpu = (procAfter.get(g.name)!.cpuSeconds - procBefore.get(g.name)!.cpuSeconds) / seconds;
          return `  ${g.name.padEnd(18)} ${(cpu * 100).toFixed(0).padStart(4)}% of a core   ${((rssMax.get(g.name) ?? procAfter.get(g.name)!.rssBytes) / 2 ** 20).toFixed(0).padStart(5)} MiB RSS (max)`;
        }),
        ...phase.errors.map((e) => `error: ${e}`),
      ];
      const exact = [
        after.calls - before.calls,
        after.arrivals - before.arrivals,
        downstreamAfter.invoices - downstreamBefore.invoices,
        downstreamAfter.surveys - downstreamBefore.surveys,
      ].every((x) => x === phase.registrations.length);
      results.push({ phase, sustained, p99: quantile(latencies, 0.99), exact });
      log(report.join('\n'));
    }

    log(`\n## targets (2 cores, everything on it)`);
    for (const r of results) {
      const lost = r.phase.failed > 0 || r.phase.errors.length > 0 || !r.exact;
      const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
      log(
        r.phase.name.startsWith('fixed')
          ? `${r.phase.name}: registration → KPI p99 ${r.p99.toFixed(0)} ms (target < ${TARGET_P99_MS} ms at ` +
              `${TARGET_RATE / 2}/s: ${verdict(r.p99 < TARGET_P99_MS && RATE >= TARGET_RATE / 2)}), nothing lost: ${verdict(!lost)}`
          : `${r.phase.name}: ${r.sustained.toFixed(1)} lifecycles/s sustained (target ≥ ${TARGET_RATE} with nothing ` +
              `lost: ${verdict(r.sustained >= TARGET_RATE && !lost)})`,
      );
    }
  } finally {
    await cleanUp();
  }

  async function cleanUp() {
    await amqp.close().catch(() => undefined);
    await system?.stop();
    for (const svc of SERVICES) await store.connect(svc).catch(() => undefined);
    await store.dispose();
    await broker.dispose();
    fs.rmSync(notifierDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
