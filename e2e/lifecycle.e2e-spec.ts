/**
 * The whole system over its public interfaces (support/system.ts: the six built services as processes, one
 * RabbitMQ vhost, a database each). A call goes the on-site path of DOMAIN.md end to end through HTTP only (register → job in
 * dispatch → assign → arrive → complete on site → completed in intake → close → one invoice, one survey,
 * counted in the head-office KPIs), while an outside consumer bound to `#` on the events exchange checks that
 * every message it receives is a valid CloudEvent of the catalogue, routed by `<type>.<branchid>`.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '@aftersales/service-kit';
import {
  branchDate,
  expectStatus,
  RunningSystem,
  sleep,
  token as devToken,
  until,
  type Service,
} from './support/system';
import { E2eRun } from './support/e2e-run';

const BRANCH = 'br-north';

let e2e: E2eRun;
let system: RunningSystem;

const token = (role: Role, branchId = BRANCH, sub = `e2e-${role}`) => devToken(role, branchId, sub, `E2E ${role}`);
const api = (svc: Service, method: 'GET' | 'POST', urlPath: string, bearer: string, body?: unknown) =>
  system.call(svc, method, urlPath, bearer, body);

beforeAll(async () => {
  e2e = await E2eRun.start({ retryDelaysMs: [200, 500] });
  system = e2e.system;
}, 420_000);

afterAll(async () => {
  await e2e?.stop();
}, 120_000);

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

    const today = branchDate(BRANCH);
    const kpis = await until('the call in the KPIs', async () => {
      const res = await api('reporting', 'GET', `/kpis?from=${today}&to=${today}&branchIds=${BRANCH}`, serviceDept);
      const north = res.status === 200 ? res.body.branches.find((b: any) => b.branchId === BRANCH) : undefined;
      return north?.callsByCategory?.categoryA > 0 ? north : undefined;
    });
    // fresh databases: this call is the only one
    expect(kpis.callsByCategory).toEqual({ categoryA: 1, categoryB: 0, categoryC: 0 });

    // The outside consumer saw every step of this call.
    const ofCall = () =>
      e2e.seen
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
    expect(e2e.seen.length).toBeGreaterThanOrEqual(EXPECTED_TYPES.length);
    expect(e2e.catalogueProblems()).toEqual([]);
  }, 180_000);
});
