/**
 * `pnpm demo`: a realistic day for two branches, played through the six services' public HTTP APIs, then the
 * head-office KPI table (reporting's /kpis) and what happened, one line per step group and branch.
 *
 * Where: the system `pnpm start` runs, if every service answers /health/ready on its default port (started
 * with the default development secret); otherwise a system of its own (support/system.ts: the built services
 * as processes, infra/up.sh's broker and store, a fresh vhost and databases demo_<ts>_<service>), stopped and
 * removed at the end. Can be run again on the same system: every id, serial and receipt carries the run id.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  ApiClient,
  buildSystem,
  DEFAULT_PORTS,
  expectStatus,
  FAST_SCHEDULERS,
  ROOT,
  RunningSystem,
  SERVICES,
  token,
  until,
} from '../support/system';
import { BranchDay, HEAD_OFFICE, type Branch, type Cast } from './branch-day';
import { kpiTable, step } from './format';

const CASTS: Record<string, Cast> = {
  'br-north': {
    urban: [
      { address: 'Calle de Atocha 27, Madrid', postalCode: '28012' },
      { address: 'Calle de Bravo Murillo 140, Madrid', postalCode: '28020' },
      { address: 'Paseo de la Castellana 210, Madrid', postalCode: '28046' },
    ],
    suburban: [
      { address: 'Avenida de España 12, Alcobendas', postalCode: '28100' },
      { address: 'Calle Real 8, San Sebastián de los Reyes', postalCode: '28701' },
    ],
    customers: ['Ana García', 'Jorge Martín', 'Lucía Fernández', 'Pedro Sánchez Ruiz', 'Carmen López'],
    technicians: ['Luis Moreno', 'Sara Iglesias', 'Iván Castro'],
  },
  'br-south': {
    urban: [
      { address: 'Calle de Toledo 88, Madrid', postalCode: '28005' },
      { address: 'Paseo de las Delicias 61, Madrid', postalCode: '28045' },
      { address: 'Calle de Embajadores 190, Madrid', postalCode: '28045' },
    ],
    suburban: [
      { address: 'Calle del Príncipe 4, Aranjuez', postalCode: '28300' },
      { address: 'Avenida de Madrid 30, Valdemoro', postalCode: '28340' },
    ],
    customers: ['Rosa Navarro', 'Miguel Torres', 'Elena Ramos', 'Antonio Gil', 'Marta Vidal'],
    technicians: ['Pablo Ortega', 'Nuria Molina', 'Diego Serrano'],
  },
};

interface Target {
  api: ApiClient;
  where: string;
  outboxDir: string | undefined;
  stop: () => Promise<void>;
}

/** `pnpm start`'s system, if all six services answer on their default ports. */
async function running(): Promise<Target | 'partly' | undefined> {
  const ready = await Promise.all(
    SERVICES.map((svc) =>
      fetch(`http://127.0.0.1:${DEFAULT_PORTS[svc]}/health/ready`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.status === 200)
        .catch(() => false),
    ),
  );
  if (ready.every((r) => !r)) return undefined;
  if (!ready.every(Boolean)) return 'partly';
  return {
    api: new ApiClient((svc) => `http://127.0.0.1:${DEFAULT_PORTS[svc]}`),
    where: 'the running system (pnpm start, default ports)',
    // customer-feedback's default file outbox, relative to where `pnpm start` runs the services
    outboxDir: path.resolve(ROOT, process.env.NOTIFIER_DIR ?? 'var/outbox'),
    stop: async () => {},
  };
}

/** A system of the demo's own: fresh vhost and databases, fast schedulers, surveys to a temporary folder. */
async function standalone(ts: string): Promise<Target> {
  const infra = execFileSync('bash', [path.join(ROOT, 'infra/up.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(infra)?.[1]?.trim();
  let amqpUrl = url('AMQP_URL');
  const mongoUrl = url('MONGO_URL');
  if (!amqpUrl || !mongoUrl) throw new Error(`infra/up.sh printed no AMQP_URL / MONGO_URL:\n${infra}`);
  // The machine's own broker: a vhost of the demo's own, so nothing it publishes reaches another system.
  let vhost: string | undefined;
  if (!process.env.AMQP_URL) {
    vhost = `demo-${ts}`;
    execFileSync('rabbitmqctl', ['-q', 'add_vhost', vhost]);
    execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
    amqpUrl = `${amqpUrl.replace(/\/$/, '')}/${vhost}`;
  }
  console.log('[demo] building the services…');
  buildSystem();
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-demo-outbox-'));
  const dbName = (svc: string) => `demo_${ts}_${svc.replace(/-/g, '_')}`;
  console.log('[demo] starting the six services…');
  const system = await RunningSystem.start({
    amqpUrl,
    mongoUrl,
    dbName,
    env: { MONGO_MAX_POOL_SIZE: '4' },
    serviceEnv: {
      ...FAST_SCHEDULERS,
      'customer-feedback': { ...FAST_SCHEDULERS['customer-feedback'], NOTIFIER: 'file', NOTIFIER_DIR: outboxDir },
    },
  });
  return {
    api: system,
    where: `a system of its own (vhost ${vhost ?? '(AMQP_URL)'}, databases ${dbName('<service>')}), removed at the end`,
    outboxDir,
    stop: async () => {
      await system.stop();
      // mongoose is the testing package's: the demo adds no dependency of its own to drop its databases.
      const mongoose = createRequire(path.join(ROOT, 'packages/testing/package.json'))('mongoose');
      for (const svc of SERVICES) {
        const conn = await mongoose.createConnection(mongoUrl, { dbName: dbName(svc) }).asPromise();
        await conn.dropDatabase().catch(() => undefined);
        await conn.close();
      }
      if (vhost) execFileSync('rabbitmqctl', ['-q', 'delete_vhost', vhost]);
      fs.rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const ts = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const run = `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
  const found = await running();
  if (found === 'partly')
    console.log('[demo] some services answer on the default ports, not all: using a system of its own');
  const target = found && found !== 'partly' ? found : await standalone(ts);
  try {
    const head = await token('service-dept', HEAD_OFFICE, 'demo-service-dept', 'Service department');
    const probe = await target.api.call('reporting', 'GET', '/kpis?from=2026-01-01&to=2026-01-01', head);
    if (probe.status === 401) {
      throw new Error('the running system rejects the development token: was it started with another AUTH_DEV_SECRET?');
    }
    const directory = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'branches.json'), 'utf8'));
    const branches: Branch[] = (directory.branches ?? directory).filter((b: Branch) => CASTS[b.id]).slice(0, 2);
    const days = branches.map((b) => new BranchDay(target.api, b, CASTS[b.id], run, target.outboxDir));
    console.log(
      `\nA day at ${branches.map((b) => b.name).join(' and ')} — run ${run} on ${target.where}; ` +
        `business date ${days[0].today}, previous working day ${days[0].previousWorkingDay}`,
    );
    if (!days[0].calendar.isWorkingDay(days[0].today)) {
      console.log(
        `(${days[0].today} is not a working day: the SLA of today's calls counts from the next opening [19])`,
      );
    }

    const each = async (title: string, phase: (d: BranchDay) => Promise<string | string[]>) => {
      const results = await Promise.all(days.map((d) => phase(d)));
      const lines: Array<[string, string]> = [];
      results.forEach((r, i) => (Array.isArray(r) ? r : [r]).forEach((text) => lines.push([days[i].label, text])));
      step(title, lines);
    };
    await each('Morning: roster and price list', (d) => d.setUp());
    await each('Maintenance contracts [20]', (d) => d.contracts());
    await each('Calls come in [8][6]', (d) => d.registerCalls());
    await each("The previous working day's vouchers against the log [18]", (d) => d.reconcile());
    await each('Dispatch [8][19]', (d) => d.dispatch());
    await each('Visits [9][10][11]', (d) => d.visits());
    await each('Repair shop [11][12][14]', (d) => d.shop());
    await each('Closing the calls [9][12]', (d) => d.close());
    await each('Billing [10][13]', (d) => d.billing());
    await each('Contract renewal [20]', (d) => d.renewal());
    await each('Customer opinion [24]-[28]', (d) => d.feedback());
    await each('Daily reports [15]-[17]', (d) => d.reports());

    const from = days.map((d) => d.previousWorkingDay).sort()[0];
    const to = days[0].today;
    const kpiUrl = `/kpis?from=${from}&to=${to}&branchIds=${branches.map((b) => b.id).join(',')}`;
    let settled = true;
    const kpis = await until(
      'the KPIs to count the day',
      async () => {
        const res = expectStatus(await target.api.call('reporting', 'GET', kpiUrl, head), 200, 'KPIs');
        return res.body.branches.every((k: any, i: number) => days[i].contributed(k)) && res.body;
      },
      30_000,
      500,
    ).catch(async () => {
      settled = false;
      return (await target.api.call('reporting', 'GET', kpiUrl, head)).body;
    });
    console.log(`\n▸ Head office: KPIs ${from} → ${to} (reporting GET ${kpiUrl})\n`);
    console.log(kpiTable(kpis));
    if (!settled) console.log('  (reporting had not counted everything of this run yet after 30 s)');
    console.log(`\n[demo] done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await target.stop();
  }
}

main().catch((err) => {
  console.error(`\n[demo] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
