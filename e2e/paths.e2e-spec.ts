/**
 * Every lifecycle path of DOMAIN.md other than the plain on-site one (lifecycle.e2e-spec.ts), through the
 * running system's public interfaces only (support/system.ts: the six built services as processes, one
 * RabbitMQ vhost, a database each), with an outside consumer bound to `#` on the events exchange:
 *  - the repair-shop path: taken to the shop → checked in → repair card → completed → verified → returned
 *    (receipt voided) → completed in intake → closed → one invoice priced from the card, one survey;
 *  - category C (warranty): invoiced at zero; category B (maintenance contract covering labour): only the
 *    parts charged;
 *  - cancellation: of an assigned call (job cancelled, nothing to invoice or survey), and of a call whose
 *    product is in the shop, checked in or not (returned without repair, the call stays cancelled);
 *  - a serious complaint left with a survey answer → escalated to the deputy general manager, resolved,
 *    customer told;
 * and at the end the whole file reconciled: one invoice per closed call and none for cancelled ones, the
 * head-office KPIs equal to what was done, no dead-lettered event, every message a catalogue CloudEvent.
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
const DIRECTOR_ON_DUTY = 'u-dir-north'; // config/branches.json
const RETRY_DELAYS_MS = [200, 500];
const RETRY_QUEUES = RETRY_DELAYS_MS.map((ms) => `retry.${ms}ms`);
const PART = { partNo: 'BRG-6203', description: 'Drum bearing 6203', priceMinor: 1850 };

let e2e: E2eRun;
let system: RunningSystem;

const token = (role: Role, branchId = BRANCH, sub = `e2e-${role}`) => devToken(role, branchId, sub, `E2E ${role}`);
type Method = 'GET' | 'POST' | 'PUT';
const api = (svc: Service, method: Method, urlPath: string, bearer: string, body?: unknown) =>
  system.call(svc, method, urlPath, bearer, body);
/** A step that must answer `status`; its body. */
async function step(svc: Service, method: Method, urlPath: string, bearer: string, status: number, body?: unknown) {
  return expectStatus(await api(svc, method, urlPath, bearer, body), status, `${method} ${svc} ${urlPath}`).body;
}

const suffix = () => randomBytes(3).toString('hex');
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const events = () => e2e.events();
const typesOf = (callId: string) =>
  events()
    .filter((e) => e?.subject === callId || e?.data?.callId === callId)
    .map((e) => e.type as string);

// Tokens and the people of the branch, set in beforeAll.
let clerk: string;
let director: string;
let accountant: string;
let serviceDept: string;
let deputyGm: string;
let technician: string;
let technicianId: string;
let firstDay: string;
let scheduledFor: string;
let priceList: { labourRatePerHourMinor: number; callOutFeeMinor: number };

/** What this file did, for the reconciliation at the end. */
const closedCalls: Array<{ callId: string; completion: 'on-site' | 'shop' }> = [];
const cancelledCalls: string[] = [];
const registered = { A: 0, B: 0, C: 0 };
let arrivals = 0;
let takenToShop = 0;

beforeAll(async () => {
  e2e = await E2eRun.start({
    retryDelaysMs: RETRY_DELAYS_MS,
    // A loaded 2-core machine can miss the 800 ms coverage deadline; a provisional call is then settled
    // by the coverage retry, which is made quick here (the B scenario waits for it either way).
    serviceEnv: { 'call-intake': { BILLING_GRPC_DEADLINE_MS: '5000', COVERAGE_RETRY_BASE_MS: '500' } },
  });
  system = e2e.system;

  clerk = await token('clerk');
  director = await token('director');
  accountant = await token('accountant');
  serviceDept = await token('service-dept', 'head-office');
  deputyGm = await token('deputy-gm', 'head-office');
  technicianId = `tech-paths-${suffix()}`;
  technician = await token('technician', BRANCH, technicianId);
  firstDay = branchDate(BRANCH);
  const branches = JSON.parse(fs.readFileSync(path.join(ROOT, 'config', 'branches.json'), 'utf8')).branches;
  // [14] A repair is scheduled for a working day not yet past: the next one is always valid.
  scheduledFor = new BranchCalendar(branches.find((b: { id: string }) => b.id === BRANCH)).nextWorkingDay(firstDay);

  await step('dispatch', 'POST', `/branches/${BRANCH}/technicians`, director, 201, {
    id: technicianId,
    name: 'Marta Taller',
    skills: [],
  });
  // The accountant adds the spare part the repairs use to the branch price list (unknown parts are refused).
  const current = await step('billing', 'GET', `/branches/${BRANCH}/price-list`, accountant, 200);
  priceList = await step('billing', 'PUT', `/branches/${BRANCH}/price-list`, accountant, 200, {
    currency: current.currency,
    labourRatePerHourMinor: current.labourRatePerHourMinor,
    callOutFeeMinor: current.callOutFeeMinor,
    cashLimitMinor: current.cashLimitMinor,
    parts: [...current.parts, PART],
  });
  expect(priceList.callOutFeeMinor).toBeGreaterThan(0);
}, 420_000);

afterAll(async () => {
  await e2e?.stop();
}, 120_000);

// ---- steps of a call, each through one service's API ----

const customer = (name: string) => ({
  name,
  phone: '+34 600 222 333',
  address: 'Calle de Alcalá 10, Madrid',
  postalCode: '28014',
});

async function register(body: Record<string, unknown>, expected: 'A' | 'B' | 'C'): Promise<string> {
  const call = await step('call-intake', 'POST', `/branches/${BRANCH}/calls`, clerk, 201, {
    channel: 'phone',
    problem: 'makes a grinding noise',
    ...body,
  });
  const callId: string = call.id;
  // A call registered while billing was slow is provisional A until the coverage retry settles it.
  const settled = await until(`call ${callId} classified`, async () => {
    const res = await api('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk);
    return res.status === 200 && !res.body.provisional ? res.body : undefined;
  });
  expect(settled.category).toBe(expected);
  registered[expected]++;
  // Dispatch opened the job from the registration, with the same category (it quotes fees by it).
  await until(`job ${callId} in dispatch as ${expected}`, async () => {
    const res = await api('dispatch', 'GET', `/jobs/${callId}`, director);
    return res.status === 200 && res.body.category === expected;
  });
  return callId;
}

async function assignAndArrive(callId: string): Promise<void> {
  await step('dispatch', 'POST', `/jobs/${callId}/assignment`, director, 200, { technicianId });
  await step('dispatch', 'POST', `/jobs/${callId}/arrival`, technician, 200);
  arrivals++;
}

const signature = (signedBy: string) => ({ signedBy, signedAt: new Date().toISOString() });

async function intakeCall(callId: string, status: string) {
  return until(`call ${callId} ${status} in call-intake`, async () => {
    const res = await api('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk);
    return res.status === 200 && res.body.status === status ? res.body : undefined;
  });
}

async function takeToShop(callId: string): Promise<string> {
  const receiptNo = `PR-${suffix()}`;
  const job = await step('dispatch', 'POST', `/jobs/${callId}/taken-to-shop`, technician, 200, {
    receiptNo,
    fault: 'bearing worn out, needs the bench',
    signature: signature('Pedro Cliente'),
  });
  expect(job.status).toBe('taken-to-shop');
  takenToShop++;
  // repair-shop opened the repair (and issued the receipt) from dispatch.product.taken-to-shop.v1
  const repair = await until(`repair of ${callId} opened`, async () => {
    const res = await api('repair-shop', 'GET', `/repairs/${callId}`, clerk);
    return res.status === 200 ? res.body : undefined;
  });
  expect(repair).toMatchObject({ status: 'awaiting-check-in', receiptNo, technicianId });
  expect(await step('repair-shop', 'GET', `/pickup-receipts/${receiptNo}`, clerk, 200)).toMatchObject({
    status: 'issued',
    callId,
  });
  await intakeCall(callId, 'in-shop');
  return receiptNo;
}

async function close(callId: string, completion: 'on-site' | 'shop') {
  const closed = await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/close`, clerk, 200);
  expect(closed.status).toBe('closed');
  closedCalls.push({ callId, completion });
}

async function invoicesOf(callId: string) {
  const res = await step('billing', 'GET', `/branches/${BRANCH}/invoices?pageSize=200`, accountant, 200);
  return (res.items as Array<Record<string, any>>).filter((i) => i.callId === callId);
}

async function theInvoice(callId: string) {
  const [invoice] = await until(`the invoice of ${callId}`, async () => {
    const found = await invoicesOf(callId);
    return found.length > 0 ? found : undefined;
  });
  return invoice;
}

async function theSurvey(callId: string) {
  return until(`the survey of ${callId}`, async () => {
    const res = await api('customer-feedback', 'GET', `/surveys/by-call/${callId}`, serviceDept);
    return res.status === 200 ? res.body : undefined;
  });
}

async function kpis(from = firstDay, to = branchDate(BRANCH)) {
  const body = await step('reporting', 'GET', `/kpis?from=${from}&to=${to}&branchIds=${BRANCH}`, serviceDept, 200);
  return body.branches.find((b: { branchId: string }) => b.branchId === BRANCH);
}

let shopCallId: string;

describe('the other lifecycle paths through the whole system (public interfaces only)', () => {
  it('repair-shop path: taken to the shop, repaired on a card, verified, returned, closed, invoiced from the card', async () => {
    const callId = await register(
      { customer: customer('Pedro Cliente'), product: { model: 'WM-7', serial: `SHOP-${suffix()}` } },
      'A',
    );
    shopCallId = callId;
    await assignAndArrive(callId);
    const receiptNo = await takeToShop(callId);

    // [12] Not completed while in the shop: the clerk cannot close it yet.
    await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/close`, clerk, 409);

    // [11][12] IN the register, repair card, completion, verification, OUT with the receipt voided.
    const checkedIn = await step('repair-shop', 'POST', '/register/check-ins', clerk, 201, {
      receiptNo,
      condition: 'drum scratched',
      scheduledFor,
    });
    expect(checkedIn).toMatchObject({ status: 'in-repair', scheduledFor });
    await step('repair-shop', 'POST', `/repairs/${callId}/work-entries`, technician, 201, { minutes: 60 });
    await step('repair-shop', 'POST', `/repairs/${callId}/work-entries`, technician, 201, { minutes: 30 });
    const card = await step('repair-shop', 'POST', `/repairs/${callId}/parts`, technician, 201, {
      partNo: PART.partNo,
      qty: 2,
    });
    expect(card.totals).toEqual({ labourMinutes: 90, parts: [{ partNo: PART.partNo, qty: 2 }] });
    // [12] Not back to the customer before it is verified.
    await step('repair-shop', 'POST', '/register/check-outs', clerk, 409, { receiptNo, customerSignature: 'Pedro' });
    expect((await step('repair-shop', 'POST', `/repairs/${callId}/complete`, technician, 200)).status).toBe(
      'completed',
    );
    expect(
      (await step('repair-shop', 'POST', `/repairs/${callId}/verify`, technician, 200, { works: true })).status,
    ).toBe('verified');
    const out = await step('repair-shop', 'POST', '/register/check-outs', clerk, 201, {
      receiptNo,
      customerSignature: 'Pedro Cliente',
    });
    expect(out).toMatchObject({ status: 'returned', returned: { withoutRepair: false } });
    expect((await step('repair-shop', 'GET', `/pickup-receipts/${receiptNo}`, clerk, 200)).status).toBe('voided');
    // A voided receipt can never be used again.
    await step('repair-shop', 'POST', '/register/check-outs', clerk, 409, { receiptNo, customerSignature: 'Pedro' });

    // Intake saw it returned: completed through the shop with the card's time and parts; the clerk closes it.
    const completed = await intakeCall(callId, 'completed');
    expect(completed.completion).toMatchObject({
      kind: 'shop',
      technicianId,
      labourMinutes: 90,
      parts: [{ partNo: PART.partNo, qty: 2 }],
      receiptNo,
    });
    await close(callId, 'shop');

    // [13] One invoice priced from the repair card: call-out + 90 min of labour + 2 parts.
    const invoice = await theInvoice(callId);
    const labour = Math.round((priceList.labourRatePerHourMinor * 90) / 60);
    expect(invoice).toMatchObject({
      category: 'A',
      total: priceList.callOutFeeMinor + labour + 2 * PART.priceMinor,
      status: 'open',
    });
    expect(invoice.lines.map((l: { kind: string }) => l.kind).sort()).toEqual(['call-out', 'labour', 'part']);
    expect((await theSurvey(callId)).technicianId).toBe(technicianId);

    const expected = [
      'intake.call.registered.v1',
      'dispatch.technician.assigned.v1',
      'dispatch.technician.arrived.v1',
      'dispatch.product.taken-to-shop.v1',
      'repairshop.product.checked-in.v1',
      'repairshop.repair.completed.v1',
      'repairshop.product.returned.v1',
      'intake.call.closed.v1',
      'billing.invoice.issued.v1',
    ];
    await until('every event of the shop path on the outside queue', async () =>
      expected.every((t) => typesOf(callId).includes(t)),
    );
    expect(typesOf(callId)).not.toContain('dispatch.visit.completed.v1');
  }, 120_000);

  it('category C: a product under warranty is serviced free, invoiced at zero with every line marked free', async () => {
    const callId = await register(
      {
        customer: customer('Lucía Garantía'),
        product: {
          model: 'DW-3',
          serial: `WAR-${suffix()}`,
          purchaseDate: plusDays(firstDay, -60),
          warrantyEndsOn: plusDays(firstDay, 300),
        },
      },
      'C',
    );
    await assignAndArrive(callId);
    const job = await step('dispatch', 'POST', `/jobs/${callId}/completion`, technician, 200, {
      labourMinutes: 40,
      parts: [{ partNo: PART.partNo, qty: 1 }],
      signature: signature('Lucía Garantía'),
    });
    // [10] Nothing to collect on site for free service.
    expect(job.visit?.cashCollected ?? 0).toBe(0);
    await intakeCall(callId, 'completed');
    await close(callId, 'on-site');

    const invoice = await theInvoice(callId);
    expect(invoice).toMatchObject({ category: 'C', total: 0, status: 'no-charge', payments: [] });
    expect(invoice.lines.length).toBeGreaterThanOrEqual(3); // the record still shows what was done
    expect(invoice.lines.every((l: { amount: number; noCharge?: string }) => l.amount === 0 && !!l.noCharge)).toBe(
      true,
    );
    expect((await theSurvey(callId)).callId).toBe(callId);
  }, 90_000);

  it('category B: a maintenance contract covering labour: only the parts are charged', async () => {
    const serial = `CTR-${suffix()}`;
    const cust = await step(
      'call-intake',
      'POST',
      `/branches/${BRANCH}/customers`,
      clerk,
      201,
      customer('Ana Contrato'),
    );
    const contract = await step('billing', 'POST', `/branches/${BRANCH}/contracts`, accountant, 201, {
      customerId: cust.id,
      customerName: 'Ana Contrato',
      serials: [serial],
      startsOn: firstDay,
      endsOn: plusDays(firstDay, 364),
      coversLabour: true,
      coversParts: false,
      feeMinor: 12000,
    });
    // [6] Classified B by billing's coverage (gRPC) on the call date.
    const callId = await register({ customerId: cust.id, product: { model: 'FR-2', serial } }, 'B');
    await assignAndArrive(callId);
    const job = await step('dispatch', 'POST', `/jobs/${callId}/completion`, technician, 200, {
      labourMinutes: 75,
      parts: [{ partNo: PART.partNo, qty: 3 }],
      signature: signature('Ana Contrato'),
    });
    expect(job.visit?.cashCollected ?? 0).toBe(0);
    await intakeCall(callId, 'completed');
    await close(callId, 'on-site');

    const invoice = await theInvoice(callId);
    expect(invoice).toMatchObject({ category: 'B', total: 3 * PART.priceMinor, status: 'open' });
    expect(invoice.coverageNote).toContain(contract.id);
    const byKind = (kind: string) => invoice.lines.find((l: { kind: string }) => l.kind === kind);
    expect(byKind('call-out').amount).toBe(0);
    expect(byKind('labour').amount).toBe(0);
    expect(byKind('part')).toMatchObject({ qty: 3, unitPrice: PART.priceMinor, amount: 3 * PART.priceMinor });
    expect((await theSurvey(callId)).callId).toBe(callId);
  }, 90_000);

  it('cancellation of an assigned call: the job is cancelled, the visit refused, the call cannot be closed', async () => {
    const callId = await register(
      { customer: customer('Raúl Cancela'), product: { model: 'WM-9', serial: `CAN-${suffix()}` } },
      'A',
    );
    await step('dispatch', 'POST', `/jobs/${callId}/assignment`, director, 200, { technicianId });
    const cancelled = await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/cancel`, clerk, 200, {
      reason: 'customer fixed it himself',
    });
    expect(cancelled.status).toBe('cancelled');
    cancelledCalls.push(callId);
    await until(`job ${callId} cancelled in dispatch`, async () => {
      const res = await api('dispatch', 'GET', `/jobs/${callId}`, director);
      return res.status === 200 && res.body.status === 'cancelled';
    });
    await step('dispatch', 'POST', `/jobs/${callId}/arrival`, technician, 409);
    await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/close`, clerk, 409);
    await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/cancel`, clerk, 409, { reason: 'again' });
    await until('the cancellation on the outside queue', async () =>
      typesOf(callId).includes('intake.call.cancelled.v1'),
    );
  }, 90_000);

  it('cancellation while the product is in the shop (checked in or not): returned without repair, the call stays cancelled', async () => {
    for (const checkIn of [true, false]) {
      const callId = await register(
        { customer: customer('Eva Taller'), product: { model: 'TV-5', serial: `CSH-${suffix()}` } },
        'A',
      );
      await assignAndArrive(callId);
      const receiptNo = await takeToShop(callId);
      if (checkIn) {
        await step('repair-shop', 'POST', '/register/check-ins', clerk, 201, {
          receiptNo,
          condition: 'as received',
          scheduledFor,
        });
        await step('repair-shop', 'POST', `/repairs/${callId}/work-entries`, technician, 201, { minutes: 20 });
      }
      await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/cancel`, clerk, 200, {
        reason: 'customer sold the set',
      });
      cancelledCalls.push(callId);
      // repair-shop learns it from intake.call.cancelled.v1: the product goes back without repair.
      await until(`repair of ${callId} flagged to return without repair`, async () => {
        const res = await api('repair-shop', 'GET', `/repairs/${callId}`, clerk);
        return res.status === 200 && !!res.body.returnWithoutRepair;
      });
      if (checkIn)
        await step('repair-shop', 'POST', `/repairs/${callId}/work-entries`, technician, 409, { minutes: 5 });
      else
        await step('repair-shop', 'POST', '/register/check-ins', clerk, 409, {
          receiptNo,
          condition: 'x',
          scheduledFor,
        });
      const out = await step('repair-shop', 'POST', '/register/check-outs', clerk, 201, {
        receiptNo,
        customerSignature: 'Eva Taller',
      });
      expect(out).toMatchObject({ status: 'returned', returned: { withoutRepair: true } });
      expect((await step('repair-shop', 'GET', `/pickup-receipts/${receiptNo}`, clerk, 200)).status).toBe('voided');

      // Intake records the late return in the timeline and keeps the call cancelled (final).
      await until(`the return of ${callId} in the call's timeline`, async () => {
        const res = await api('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk);
        return (
          res.status === 200 &&
          res.body.timeline.some((t: { cause: string }) => t.cause === 'repairshop.product.returned.v1')
        );
      });
      const call = await step('call-intake', 'GET', `/branches/${BRANCH}/calls/${callId}`, clerk, 200);
      expect(call.status).toBe('cancelled');
      expect(call.completion).toBeUndefined();
      await step('call-intake', 'POST', `/branches/${BRANCH}/calls/${callId}/close`, clerk, 409);
    }
  }, 120_000);

  it('a serious complaint left with a survey answer goes to the deputy general manager at once, and ends with the customer told', async () => {
    const survey = await theSurvey(shopCallId);
    expect(survey.status).toBe('scheduled');
    // [24] Surveys go out the day after the close: the operator runs the sender as of that moment.
    const due = new Date(Date.parse(survey.scheduledFor) + 60_000).toISOString();
    const run = await step('customer-feedback', 'POST', '/surveys/run', serviceDept, 200, { now: due });
    expect(run.sent).toBeGreaterThanOrEqual(1);
    expect(run.failed).toBe(0);
    const sent = await theSurvey(shopCallId);
    expect(sent.status).toBe('sent');

    // The customer opens the link in the message and answers, with a serious complaint.
    const message = fs.readFileSync(path.join(e2e.notifierDir, `${survey.surveyId}.eml`), 'utf8');
    const link = /(https?:\/\/\S+\/surveys\/answer\/)([A-Za-z0-9_-]+)/.exec(message);
    expect(link).not.toBeNull();
    const answerUrl = `${system.url('customer-feedback')}/surveys/answer/${link![2]}`;
    const form = await fetch(answerUrl);
    expect(form.status).toBe(200);
    expect(((await form.json()) as { surveyId: string }).surveyId).toBe(survey.surveyId);
    const ratings = { attitude: 2, skill: 3, arrivalTime: 1, promiseKeeping: 2 };
    const answered = await fetch(answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        ratings,
        complaint: { kind: 'complaint', severity: 'serious', summary: 'the technician damaged the floor' },
      }),
    });
    expect(answered.status).toBe(201);
    // Once only.
    const again = await fetch(answerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ratings }),
    });
    expect(again.status).toBe(409);

    // [26][28] Received from the answer, escalated to the deputy GM at once, the branch director assigned.
    const complaintId = `cmp-${survey.surveyId}`;
    const complaint = await until('the complaint from the survey answer', async () => {
      const res = await api('customer-feedback', 'GET', `/complaints/${complaintId}`, deputyGm);
      return res.status === 200 ? res.body : undefined;
    });
    expect(complaint).toMatchObject({
      severity: 'serious',
      source: 'survey',
      callId: shopCallId,
      handledBy: 'deputy-gm',
      assignedTo: DIRECTOR_ON_DUTY,
      status: 'open',
    });
    expect(complaint.escalatedAt).toBeDefined();
    // A serious complaint is not the branch's to resolve.
    const branchDirector = await token('director', BRANCH, DIRECTOR_ON_DUTY);
    await step('customer-feedback', 'POST', `/complaints/${complaintId}/resolve`, branchDirector, 403, {
      outcome: 'nothing to see',
    });
    // The customer must be told before it can be closed [26].
    await step('customer-feedback', 'POST', `/complaints/${complaintId}/resolve`, deputyGm, 200, {
      outcome: 'floor repaired at our cost; technician retrained',
    });
    await step('customer-feedback', 'POST', `/complaints/${complaintId}/close`, deputyGm, 409);
    await step('customer-feedback', 'POST', `/complaints/${complaintId}/notify-customer`, deputyGm, 200, {
      channel: 'letter',
    });
    expect((await step('customer-feedback', 'POST', `/complaints/${complaintId}/close`, deputyGm, 200)).status).toBe(
      'closed',
    );

    const expected = [
      'feedback.survey.sent.v1',
      'feedback.survey.answered.v1',
      'feedback.complaint.received.v1',
      'feedback.complaint.escalated.v1',
      'feedback.complaint.resolved.v1',
      'feedback.complaint.customer-notified.v1',
    ];
    await until('the survey and complaint events on the outside queue', async () =>
      expected.every((t) => typesOf(shopCallId).includes(t)),
    );

    // Head office sees it: one serious complaint, escalated, customer told, none open; the answer's ratings.
    const k = await until('the complaint settled in the KPIs', async () => {
      const row = await kpis();
      return row?.complaintsCustomerNotified === 1 && row.complaintsOpen === 0 && row.surveyAverages.answered === 1
        ? row
        : undefined;
    });
    expect(k).toMatchObject({
      complaintsSerious: 1,
      complaintsEscalated: 1,
      surveyAverages: { answered: 1, ...ratings },
    });
  }, 120_000);

  it('reconciles: one invoice per closed call and none for cancelled ones, KPIs equal to what was done, nothing dead-lettered, every message a catalogue CloudEvent', async () => {
    expect(closedCalls).toHaveLength(3);
    expect(cancelledCalls).toHaveLength(3);
    // Every close reached billing and customer-feedback: exactly one invoice and one survey each.
    const invoices = await until('an invoice for every closed call', async () => {
      const res = await step('billing', 'GET', `/branches/${BRANCH}/invoices?pageSize=200`, accountant, 200);
      const items = res.items as Array<{ callId?: string; total: number; invoiceNo: string }>;
      return closedCalls.every((c) => items.some((i) => i.callId === c.callId)) ? items : undefined;
    });
    expect(invoices.map((i) => i.callId).sort()).toEqual(closedCalls.map((c) => c.callId).sort());
    expect(new Set(invoices.map((i) => i.invoiceNo)).size).toBe(invoices.length);
    const surveys = await step(
      'customer-feedback',
      'GET',
      `/surveys?branchId=${BRANCH}&pageSize=200`,
      serviceDept,
      200,
    );
    expect(surveys.items.map((s: { callId: string }) => s.callId).sort()).toEqual(
      closedCalls.map((c) => c.callId).sort(),
    );

    // Cancelled calls: never closed, never invoiced, never surveyed.
    for (const callId of cancelledCalls) {
      expect(typesOf(callId)).not.toContain('intake.call.closed.v1');
      await step('customer-feedback', 'GET', `/surveys/by-call/${callId}`, serviceDept, 404);
    }

    // The head-office KPIs of the period are exactly what this file did.
    const revenue = invoices.reduce((sum, i) => sum + i.total, 0);
    const onSite = closedCalls.filter((c) => c.completion === 'on-site').length;
    const expectedKpis = {
      callsByCategory: { categoryA: registered.A, categoryB: registered.B, categoryC: registered.C },
      callsCancelled: cancelledCalls.length,
      takenToShop,
      revenueInvoicedMinor: revenue,
      firstTimeFixRate: Math.round((onSite / closedCalls.length) * 10_000) / 10_000,
    };
    let last: unknown;
    await until(
      'the KPIs equal to what was done',
      async () => {
        const row = await kpis();
        last = row;
        const arrived = row.slaUrban.arrivals + row.slaSuburban.arrivals;
        return arrived === arrivals && expect.objectContaining(expectedKpis).asymmetricMatch(row);
      },
      30_000,
    ).catch((err) => {
      throw new Error(
        `${String(err)}\nexpected ${JSON.stringify(expectedKpis)}, arrivals ${arrivals}\ngot ${JSON.stringify(last)}`,
      );
    });

    // Nothing was given up on: once no event waits for a retry, every service's dead-letter queue is empty.
    await until('no event waiting for a retry', async () => totalOf(await e2e.queueDepths(RETRY_QUEUES)) === 0);
    expect(await e2e.deadLettered()).toEqual([]);

    // Every message on the exchange is a CloudEvent of the catalogue, routed by `<type>.<branchid>`.
    expect(e2e.catalogueProblems()).toEqual([]);
  }, 90_000);
});
