/**
 * Benchmark (not a test): KPI query latency against one year of pre-aggregated history for 20 branches,
 * at 10% and at 100% of that history, querying the same 30-day window for all 20 branches each time.
 *   pnpm --filter @aftersales/reporting bench     (BENCH_QUERIES=50 by default)
 * Uses MONGO_URL when set, else this machine's FerretDB (infra/ferretdb.sh). Bulk-inserts the day
 * documents straight into the monthly `kpi_days_YYYY_MM` collections of a database of its own (dropped
 * afterwards) and times the service's own KpiQueries, with the service's pool size (4). 10% = the most
 * recent 37 days (which hold the queried window), then the other 328 days are added.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import mongoose from 'mongoose';
import { BranchDirectory, type AuthUser, type Branch } from '@aftersales/service-kit';
import type { ReportingConfig } from '../src/config';
import { KpiQueries } from '../src/kpis/application/kpi-queries';
import { DAY_COUNTERS } from '../src/kpis/domain/day-counters';
import {
  kpiDayId,
  kpiDaysCollection,
  ReadModelStore,
  type KpiDayDoc,
} from '../src/kpis/infrastructure/read-model.store';

const BRANCHES = 20;
const DAYS = 365;
const LAST_DAY = Date.parse('2026-12-31T00:00:00Z');
const WINDOW_DAYS = 30;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 50);
/** De-duplication keys carried per day document (a modest day; the bound is 5000). */
const KEYS_PER_DOC = 100;
const BATCH = 500;

const mongoUrl = (): string =>
  process.env.MONGO_URL ??
  execFileSync('bash', [path.resolve(__dirname, '../../../infra/ferretdb.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();

const dateOf = (i: number): string => new Date(LAST_DAY - i * 86_400_000).toISOString().slice(0, 10);

function branch(i: number): Branch {
  const hours = [{ from: '09:00', to: '18:00' }];
  return {
    id: `br-${String(i).padStart(2, '0')}`,
    name: `Branch ${i}`,
    timezone: 'Europe/Madrid',
    currency: 'EUR',
    businessHours: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: [], sun: [] },
    holidays: [],
    suburban: { postalCodePrefixes: ['28'] },
    cashLimitMinor: 10000,
    onDuty: { managerId: 'm', directorId: 'd' },
  };
}

function dayDoc(branchId: string, date: string): KpiDayDoc {
  const doc: KpiDayDoc = { _id: kpiDayId(branchId, date), branchId, businessDate: date };
  for (const k of DAY_COUNTERS) doc[k] = Math.floor(Math.random() * 50);
  doc.processed = Array.from(
    { length: KEYS_PER_DOC },
    (_, i) => `/aftersales/dispatch|${branchId}-${date}-${i}-0000-0000`,
  );
  return doc;
}

async function load(store: ReadModelStore, branches: Branch[], dayIndexes: number[]): Promise<number> {
  const byMonth = new Map<string, KpiDayDoc[]>();
  for (const d of dayIndexes) {
    for (const b of branches) {
      const doc = dayDoc(b.id, dateOf(d));
      const name = kpiDaysCollection(doc.businessDate);
      byMonth.set(name, [...(byMonth.get(name) ?? []), doc]);
    }
  }
  const start = Date.now();
  for (const [name, docs] of byMonth) {
    const coll = store.collection<KpiDayDoc>(name);
    for (let i = 0; i < docs.length; i += BATCH) await coll.insertMany(docs.slice(i, i + BATCH), { ordered: false });
  }
  return (Date.now() - start) / 1000;
}

async function countDays(store: ReadModelStore): Promise<number> {
  let n = 0;
  for (const name of await store.readModelCollections()) n += await store.collection(name).countDocuments();
  return n;
}

async function measure(queries: KpiQueries, user: AuthUser, from: string, to: string) {
  for (let i = 0; i < 3; i++) await queries.branchKpis(user, [], from, to); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const t0 = process.hrtime.bigint();
    const rows = await queries.branchKpis(user, [], from, to);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (rows.length !== BRANCHES) throw new Error(`expected ${BRANCHES} rows`);
  }
  ms.sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)];
  return { p50: pct(50).toFixed(1), p99: pct(99).toFixed(1) };
}

async function main(): Promise<void> {
  const dbName = `bench_reporting_${Date.now().toString(36)}`;
  const connection = await mongoose.createConnection(mongoUrl(), { dbName, maxPoolSize: 4 }).asPromise();
  try {
    const store = new ReadModelStore(connection);
    const branches = Array.from({ length: BRANCHES }, (_, i) => branch(i + 1));
    const config = { KPI_MAX_DAYS: 366 } as ReportingConfig;
    const queries = new KpiQueries(store, new BranchDirectory(branches), config);
    const user: AuthUser = { sub: 'bench', name: 'Bench', roles: ['service-dept'], branchId: 'head-office' };
    const from = dateOf(WINDOW_DAYS - 1);
    const to = dateOf(0);
    const all = Array.from({ length: DAYS }, (_, i) => i);
    const tenth = Math.ceil(DAYS / 10);

    const s1 = await load(store, branches, all.slice(0, tenth));
    const atTenth = await measure(queries, user, from, to);
    const docs1 = await countDays(store);
    console.log(
      `10%  history: ${docs1} day documents (loaded in ${s1.toFixed(1)} s)  p50 ${atTenth.p50} ms  p99 ${atTenth.p99} ms`,
    );

    const s2 = await load(store, branches, all.slice(tenth));
    const atFull = await measure(queries, user, from, to);
    const docs2 = await countDays(store);
    console.log(
      `100% history: ${docs2} day documents (loaded in ${s2.toFixed(1)} s)  p50 ${atFull.p50} ms  p99 ${atFull.p99} ms`,
    );
    console.log(
      `each query: ${BRANCHES} branches × ${WINDOW_DAYS} days (${from}..${to}) = ${BRANCHES * WINDOW_DAYS} day documents from the month collections spanned, ${QUERIES} queries per level`,
    );
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
