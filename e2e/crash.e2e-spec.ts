/**
 * Services killed with SIGKILL in the middle of the flow and restarted lose and duplicate nothing. Twenty
 * calls (16 A, 4 C under warranty; 4 through the repair shop) are driven to closed through the public APIs
 * while, in turn:
 *  - reporting is killed right after the registrations (their events in flight) and restarted while the
 *    calls are dispatched and worked;
 *  - billing is killed right after a first batch of closes (before their invoices can all exist) and stays
 *    down while a second batch is closed, so those close events wait for it;
 *  - call-intake and customer-feedback are killed right after that second batch of closes (close events
 *    possibly still in intake's outbox, surveys being written), then everything is restarted;
 *  - reporting is killed again right after a third batch of closes and restarted.
 * Then it reconciles: every call closed and its close on the outside queue (one close event per call,
 * however often delivered), exactly one invoice per call with gap-free numbers, exactly one survey per call,
 * the head-office KPIs equal to the work done, no dead-lettered event, every message a catalogue CloudEvent.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BranchCalendar } from '@aftersales/calendar';
import type { Role } from '@aftersales/service-kit';
import {
  branchDate,
  expectStatus,
  ROOT,
  RunningSystem,
  token as devToken,
  until,
  type Service,
} from './support/system';
import { E2eRun, totalOf } from './support/e2e-run';

const BRANCH = 'br-north';
const N = 20;
// Long enough that an event failing only while a peer restarts is retried, not dead-lettered, in the run.
const RETRY_DELAYS_MS = [500, 2000, 5000];

let e2e: E2eRun;
let system: RunningSystem;

const token = (role: Role, branchId = BRANCH, sub = `e2e-${role}`) => devToken(role, branchId, sub, `E2E ${role}`);
type Method = 'GET' | 'POST';
const api = (svc: Service, method: Method, urlPath: string, bearer: string, body?: unknown) =>
  system.call(svc, method, urlPath, bearer, body);
async function step(svc: Service, method: Method, urlPath: string, bearer: string, status: number, body?: unknown) {
  return expectStatus(await api(svc, method, urlPath, bearer, body), status, `${method} ${svc} ${urlPath}`).body;
}

const suffix = () => randomBytes(3).toString('hex');
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const events = () => e2e.events();

/** Runs `work` over `items`, `concurrency` at a time. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

beforeAll(async () => {
  e2e = await E2eRun.start({
    retryDelaysMs: RETRY_DELAYS_MS,
    // Classification asks billing over gRPC; on a loaded machine the 800 ms default can pass.
    serviceEnv: { 'call-intake': { BILLING_GRPC_DEADLINE_MS: '5000' } },
  });
  system = e2e.system;
}, 420_000);

afterAll(async () => {
  await e2e?.stop();
}, 120_000);

interface Plan {
  i: number;
  category: 'A' | 'C';
  path: 'on-site' | 'shop';
  callId?: string;
}

describe('services killed with SIGKILL mid-flow lose and duplicate nothing', () => {
  it(`drives ${N} calls to closed through crashes of reporting, billing, call-intake and customer-feedback, then reconciles`, async () => {
    const clerk = await token('clerk');
    const director = await token('director');
    const accountant = await token('accountant');
    const serviceDept = await token('service-dept', 'head-office');
    const technicianId = `tech-crash-${suffix()}`;
    const technician = await token('technician', BRANCH, technicianId);
    const today = branchDate(BRANCH);
    const branches = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'branches.json'), 'utf8')).branches;
    const scheduledFor = new BranchCalendar(branches.find((b: { id: string }) => b.id === BRANCH)).nextWorkingDay(
      today,
    );
    await step('dispatch', 'POST', `/branches/${BRANCH}/technicians`, director, 201, {
      id: technicianId,
      name: 'Iván Resiste',
      skills: [],
    });

    const plans: Plan[] = Array.from({ length: N }, (_, i) => ({
      i,
      category: i % 5 === 4 ? 'C' : 'A',
      path: i % 5 === 2 ? 'shop' : 'on-site',
    }));
    const notes: string[] = [];

    // 1. Register every call; kill reporting while their registrations are in flight.
    await inParallel(plans, 4, async (p) => {
      const call = await step('call-intake', 'POST', `/branches/${BRANCH}/calls`, clerk, 201, {
        channel: 'phone',
        customer: {
          name: `Cliente ${p.i}`,
          phone: `+34 600 000 ${String(100 + p.i)}`,
          address: `Calle Mayor ${p.i + 1}, Madrid`,
          postalCode: '28013',
        },
        product: {
          model: 'WM-9',
          serial: `CRASH-${p.i}-${suffix()}`,
          ...(p.category === 'C' ? { purchaseDate: plusDays(today, -30), warrantyEndsOn: plusDays(today, 330) } : {}),
        },
        problem: 'leaks water',
      });
      expect(call.category).toBe(p.category);
      p.callId = call.id;
    });
    await system.kill('reporting', 'SIGKILL');
    notes.push(
      `reporting killed with ${events().filter((e) => e.type === 'intake.call.registered.v1').length} registrations published`,
    );
    const reportingBack = system.startService('reporting');

    // 2. Dispatch and work every call (on site, or through the shop) while reporting restarts.
    await inParallel(plans, 4, async (p) => {
      const callId = p.callId!;
      await until(
        `job ${callId} in dispatch`,
        async () => (await api('dispatch', 'GET', `/jobs/${callId}`, director)).status === 200,
      );
      await step('dispatch', 'POST', `/jobs/${callId}/assignment`, director, 200, { technicianId });
      await step('dispatch', 'POST', `/jobs/${callId}/arrival`, technician, 200);
      const signature = { signedBy: `Cliente ${p.i}`, signedAt: new Date().toISOString() };
      if (p.path === 'on-site') {
        await step('dispatch', 'POST', `/jobs/${callId}/completion`, technician, 200, {
          labourMinutes: 30 + p.i,
          parts: [],
          signature,
        });
        return;
      }
      const receiptNo = `PR-${p.i}-${suffix()}`;
      await step('dispatch', 'POST', `/jobs/${callId}/taken-to-shop`, technician, 200, {
        receiptNo,
        fault: 'pump seized',
        signature,
      });
      await until(
        `repair of ${callId}`,
        async () => (await api('repair-shop', 'GET', `/repairs/${callId}`, clerk)).status === 200,
      );
      await step('repair-shop', 'POST', '/register/check-ins', clerk, 201, {
        receiptNo,
        condition: 'used',
        scheduledFor,
      });
      await step('repair-shop', 'POST', `/repairs/${callId}/work-entries`, technician, 201, { minutes: 60 + p.i });
      await step('repair-shop', 'POST', `/repairs/${callId}/complete`, technician, 200);
      await step('repair-shop', 'POST', `/repairs/${callId}/verify`, technician, 200, { works: true });
      await step('repair-shop', 'POST', '/register/check-outs', clerk, 201, {
        receiptNo,
        customerSignature: `Cliente ${p.i}`,
      });
    });
    await reportingBack;
    await inParallel(plans, 4, async (p) => {
      await until(
        `call ${p.callId} completed in call-intake`,
        async () => {
          const res = await api('call-intake', 'GET', `/branches/${BRANCH}/calls/${p.callId}`, clerk);
          return res.status === 200 && res.body.status === 'completed';
        },
        60_000,
      );
    });

    const close = (batch: Plan[]) =>
      inParallel(batch, 5, async (p) => {
        const closed = await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${p.callId}/close`, clerk, 200);
        expect(closed.status).toBe('closed');
      });
    const issuedFor = (batch: Plan[]) =>
      new Set(
        events()
          .filter((e) => e.type === 'billing.invoice.issued.v1' && batch.some((p) => p.callId === e.data.callId))
          .map((e) => e.data.callId),
      ).size;
    const [batch1, batch2, batch3] = [plans.slice(0, 10), plans.slice(10, 15), plans.slice(15)];

    const surveysOf = async () => {
      const res = await step('customer-feedback', 'GET', `/surveys?branchId=${BRANCH}&pageSize=200`, serviceDept, 200);
      return res.items as Array<{ callId: string }>;
    };
    const surveyedOf = async (batch: Plan[]) =>
      (await surveysOf()).filter((s) => batch.some((p) => p.callId === s.callId)).length;

    // 3. Close a first batch; kill billing as soon as its first invoices come out, while it issues the rest.
    await close(batch1);
    await until('billing issuing the first batch', async () => issuedFor(batch1) >= 3);
    await system.kill('billing', 'SIGKILL');
    notes.push(`billing killed with ${issuedFor(batch1)}/${batch1.length} invoices of batch 1 seen issued`);

    // 4. Billing down: close a second batch (its close events wait for billing) and kill call-intake at
    //    once (close events possibly still in its outbox); restart it, and kill customer-feedback as soon
    //    as it is writing the second batch's surveys.
    await close(batch2);
    const closedSeen = events().filter(
      (e) => e.type === 'intake.call.closed.v1' && batch2.some((p) => p.callId === e.data.callId),
    ).length;
    await system.kill('call-intake', 'SIGKILL');
    notes.push(`call-intake killed with ${closedSeen}/${batch2.length} close events of batch 2 published`);
    await system.startService('call-intake');
    const surveyedAtKill = await until('customer-feedback surveying the second batch', async () => {
      const n = await surveyedOf(batch2);
      return n >= 1 ? n : undefined;
    });
    await system.kill('customer-feedback', 'SIGKILL');
    notes.push(`customer-feedback killed with ${surveyedAtKill}/${batch2.length} surveys of batch 2 written`);
    await Promise.all([system.startService('customer-feedback'), system.startService('billing')]);

    // 5. Close the last batch; kill reporting while the closes and their invoices are being projected.
    await close(batch3);
    await until('billing invoicing the last batch', async () => issuedFor(batch3) >= 2);
    await system.kill('reporting', 'SIGKILL');
    await system.startService('reporting');

    // ---- reconcile ----
    const callIds = plans.map((p) => p.callId!);
    const expectedInvoices = async () => {
      const res = await step('billing', 'GET', `/branches/${BRANCH}/invoices?pageSize=200`, accountant, 200);
      return res.items as Array<{
        callId?: string;
        seq: number;
        invoiceNo: string;
        total: number;
        category: string;
        payments: Array<{ method: string; amount: number }>;
      }>;
    };
    await until(
      'an invoice and a survey for every call',
      async () => {
        const [invoices, surveys] = await Promise.all([expectedInvoices(), surveysOf()]);
        return invoices.length >= N && surveys.length >= N;
      },
      90_000,
    );
    // The KPIs must reach the work done; then, with every queue drained, everything is checked exactly
    // (a late duplicate would show up as one too many).
    const invoicesNow = await expectedInvoices();
    const cashOnSite = invoicesNow
      .flatMap((i) => i.payments)
      .filter((p) => p.method === 'cash-on-site')
      .reduce((sum, p) => sum + p.amount, 0);
    const expectedKpis = {
      callsByCategory: { categoryA: 16, categoryB: 0, categoryC: 4 },
      callsCancelled: 0,
      takenToShop: 4,
      firstTimeFixRate: 0.8, // 16 closed on site of 20 closed
      revenueInvoicedMinor: invoicesNow.reduce((sum, i) => sum + i.total, 0),
      cashOutstandingMinor: cashOnSite,
    };
    const kpis = async () => {
      const body = await step(
        'reporting',
        'GET',
        `/kpis?from=${today}&to=${branchDate(BRANCH)}&branchIds=${BRANCH}`,
        serviceDept,
        200,
      );
      return body.branches.find((b: { branchId: string }) => b.branchId === BRANCH);
    };
    let lastKpis: any;
    const kpisMatch = async () => {
      lastKpis = await kpis();
      return (
        lastKpis.slaUrban.arrivals + lastKpis.slaSuburban.arrivals === N &&
        expect.objectContaining(expectedKpis).asymmetricMatch(lastKpis)
      );
    };
    await until('the KPIs equal to the work done', kpisMatch, 60_000).catch((err) => {
      throw new Error(`${String(err)}\nexpected ${JSON.stringify(expectedKpis)}\ngot ${JSON.stringify(lastKpis)}`);
    });
    const queues = ['events', ...RETRY_DELAYS_MS.map((ms) => `retry.${ms}ms`)];
    await until('every service queue drained', async () => totalOf(await e2e.queueDepths(queues)) === 0, 60_000);

    // Every call closed, and its close seen on the outside queue: one close event per call (redeliveries
    // of it allowed, a second close never).
    for (const callId of callIds) {
      expect((await step('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk, 200)).status).toBe(
        'closed',
      );
    }
    const closeIds = new Map<string, Set<string>>();
    for (const e of events().filter((x) => x.type === 'intake.call.closed.v1')) {
      closeIds.set(e.data.callId, (closeIds.get(e.data.callId) ?? new Set()).add(e.id));
    }
    expect([...closeIds.keys()].sort()).toEqual([...callIds].sort());
    expect([...closeIds.values()].every((ids) => ids.size === 1)).toBe(true);

    // Exactly one invoice per call, numbered 1..N without gaps or repeats, and one issued event each.
    const invoices = await expectedInvoices();
    expect(invoices.map((i) => i.callId).sort()).toEqual([...callIds].sort());
    expect(invoices.map((i) => i.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, k) => k + 1));
    expect(new Set(invoices.map((i) => i.invoiceNo)).size).toBe(N);
    for (const p of plans) {
      const inv = invoices.find((i) => i.callId === p.callId)!;
      expect(inv.category).toBe(p.category);
      if (p.category === 'C') expect(inv.total).toBe(0);
      else expect(inv.total).toBeGreaterThan(0);
    }
    const issuedEvents = () => {
      const issued = new Map<string, Set<string>>();
      for (const e of events().filter((x) => x.type === 'billing.invoice.issued.v1')) {
        issued.set(e.data.callId, (issued.get(e.data.callId) ?? new Set()).add(e.data.invoiceId));
      }
      return issued;
    };
    // An invoice written just before billing was killed waits in its outbox for the relay of the restarted
    // process (at most one search interval): wait for it rather than for a fixed time.
    await until('an invoice.issued event for every call', async () => issuedEvents().size >= callIds.length, 30_000);
    const issued = issuedEvents();
    expect([...issued.keys()].sort()).toEqual([...callIds].sort());
    expect([...issued.values()].every((ids) => ids.size === 1)).toBe(true);

    // Exactly one survey per call.
    expect((await surveysOf()).map((s) => s.callId).sort()).toEqual([...callIds].sort());

    // The KPIs still equal the work done once nothing is left in flight, and nothing was dead-lettered.
    expect(await kpisMatch()).toBe(true);
    expect(await e2e.deadLettered()).toEqual([]);

    // Every message on the exchange is a CloudEvent of the catalogue, routed by `<type>.<branchid>`.
    expect(e2e.catalogueProblems()).toEqual([]);
    console.log(`crash e2e: ${notes.join('; ')}`);
  }, 300_000);
});
