import {
  ComplaintCustomerNotifiedV1,
  ComplaintEscalatedV1,
  ComplaintReceivedV1,
  ComplaintResolvedV1,
} from '@aftersales/contracts';
import { SurveysService } from '../src/surveys/application/surveys.service';
import { callClosed, harness, Harness, tokenIn, until } from './support';

/** Suggestions and complaints [23][26][28] on the real broker and store. */
describe('complaints', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const eventsOf = (type: string, complaintId: string) =>
    h.ofType(type).filter((e) => e.data.complaintId === complaintId);

  it('escalates a serious complaint to the deputy GM at once, and assigns it to the branch director', async () => {
    h.clock.set('2026-03-02T10:00:00Z');
    const res = await h.http('POST', '/complaints', {
      role: 'service-dept',
      body: {
        branchId: 'br-north',
        severity: 'serious',
        summary: 'The technician was rude and left the kitchen flooded',
        callId: 'call-c1',
        customer: { name: 'Luis Gómez', phone: '+34 600 111 222' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'open',
      severity: 'serious',
      handledBy: 'deputy-gm',
      assignedTo: 'u-dir-north',
      escalatedAt: '2026-03-02T10:00:00.000Z',
    });
    const id = res.body.complaintId;

    const escalated = await until(() => eventsOf(ComplaintEscalatedV1.type, id), 'escalated event');
    const received = eventsOf(ComplaintReceivedV1.type, id);
    expect(received).toHaveLength(1);
    expect(escalated[0].data).toEqual({
      branchId: 'br-north',
      complaintId: id,
      callId: 'call-c1',
      severity: 'serious',
      handledBy: 'deputy-gm',
      escalatedAt: '2026-03-02T10:00:00.000Z',
    });
  });

  it('sends a general complaint to the service department, or to the director when it is about the branch', async () => {
    const general = await h.http('POST', '/complaints', {
      role: 'service-dept',
      body: { branchId: 'br-south', severity: 'general', summary: 'Invoices are hard to read', aboutBranch: false },
    });
    expect(general.body).toMatchObject({ handledBy: 'service-dept' });
    expect(general.body.escalatedAt).toBeUndefined();
    const branch = await h.http('POST', '/complaints', {
      role: 'clerk',
      branchId: 'br-south',
      body: { branchId: 'br-south', severity: 'general', summary: 'Technician came late' },
    });
    expect(branch.body).toMatchObject({ handledBy: 'u-dir-south', assignedTo: 'u-dir-south' });
    await until(() => eventsOf(ComplaintReceivedV1.type, branch.body.complaintId), 'received');
    await new Promise((r) => setTimeout(r, 300));
    expect(eventsOf(ComplaintEscalatedV1.type, general.body.complaintId)).toHaveLength(0);

    // A clerk cannot file for another branch; bad input is named.
    const foreign = await h.http('POST', '/complaints', {
      role: 'clerk',
      branchId: 'br-south',
      body: { branchId: 'br-north', severity: 'general', summary: 'x' },
    });
    expect(foreign.status).toBe(403);
    const bad = await h.http('POST', '/complaints', {
      role: 'service-dept',
      body: { branchId: 'br-north', severity: 'urgent' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['severity', 'summary']);
  });

  it('refuses to close a complaint before the customer was told the outcome (409), then closes it', async () => {
    h.clock.set('2026-03-03T09:00:00Z');
    const created = await h.http('POST', '/complaints', {
      role: 'director',
      body: { branchId: 'br-north', severity: 'general', summary: 'Spare part missing for a week' },
    });
    const id = created.body.complaintId;
    const url = `/complaints/${id}`;

    expect((await h.http('POST', `${url}/close`, { role: 'director' })).status).toBe(409);
    expect(
      (await h.http('POST', `${url}/notify-customer`, { role: 'director', body: { channel: 'phone' } })).status,
    ).toBe(409);

    h.clock.set('2026-03-04T09:00:00Z');
    const resolved = await h.http('POST', `${url}/resolve`, {
      role: 'director',
      body: { outcome: 'Part ordered by courier' },
    });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved', outcome: 'Part ordered by courier' } });

    const refused = await h.http('POST', `${url}/close`, { role: 'director' });
    expect(refused.status).toBe(409);
    expect(refused.type).toContain('application/problem+json');
    expect(refused.body.detail).toContain('customer');

    const bad = await h.http('POST', `${url}/notify-customer`, { role: 'director', body: { channel: 'pigeon' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('channel');

    h.clock.set('2026-03-04T11:00:00Z');
    const notified = await h.http('POST', `${url}/notify-customer`, {
      role: 'director',
      body: { channel: 'letter', at: '2026-03-04T10:30:00Z' },
    });
    expect(notified.body.customerNotified).toMatchObject({ channel: 'letter', at: '2026-03-04T10:30:00.000Z' });
    const closed = await h.http('POST', `${url}/close`, { role: 'director' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'closed', closedAt: '2026-03-04T11:00:00.000Z' } });
    expect((await h.http('POST', `${url}/close`, { role: 'director' })).status).toBe(409);

    const told = await until(() => eventsOf(ComplaintCustomerNotifiedV1.type, id), 'customer-notified');
    expect(told[0].data).toMatchObject({
      channel: 'writing',
      outcome: 'Part ordered by courier',
      notifiedAt: '2026-03-04T10:30:00.000Z',
    });
    expect(eventsOf(ComplaintResolvedV1.type, id)).toHaveLength(1);
  });

  it('lets only head office resolve a serious complaint', async () => {
    const created = await h.http('POST', '/complaints', {
      role: 'service-dept',
      body: { branchId: 'br-north', severity: 'serious', summary: 'Gas leak after the repair' },
    });
    const url = `/complaints/${created.body.complaintId}/resolve`;
    expect((await h.http('POST', url, { role: 'director', body: { outcome: 'x' } })).status).toBe(403);
    expect((await h.http('POST', url, { role: 'deputy-gm', body: { outcome: 'Inspected and refunded' } })).status).toBe(
      200,
    );
    expect(
      (await h.http('POST', '/complaints/cmp-nope/resolve', { role: 'deputy-gm', body: { outcome: 'x' } })).status,
    ).toBe(404);
  });

  it('lists open complaints oldest first with their age in days, paginated', async () => {
    h.clock.set('2026-03-12T12:00:00Z');
    const page1 = await h.http('GET', '/complaints/open?branchId=br-north&pageSize=2', { role: 'service-dept' });
    expect(page1.status).toBe(200);
    // br-north open: the serious one (2 Mar 10:00), the gas leak (4 Mar 11:00, resolved but not closed);
    // the one of 3 Mar is closed.
    expect(page1.body.total).toBe(2);
    expect(page1.body.items.map((c: { ageDays: number }) => c.ageDays)).toEqual([10, 8]);
    const all = await h.http('GET', '/complaints/open', { role: 'service-dept' });
    const received = all.body.items.map((c: { receivedAt: string }) => c.receivedAt);
    expect(received).toEqual([...received].sort());
    const page2 = await h.http('GET', '/complaints/open?page=2&pageSize=2', { role: 'service-dept' });
    expect(page2.body.items[0].complaintId).toBe(all.body.items[2].complaintId);
    // A director sees their own branch only.
    const director = await h.http('GET', '/complaints/open', { role: 'director', branchId: 'br-south' });
    expect(director.body.items.every((c: { branchId: string }) => c.branchId === 'br-south')).toBe(true);
  });

  it('receives a complaint left with a survey answer, once, routed like any other', async () => {
    const surveys = h.t.app.get(SurveysService);
    await h.publisher.publish([callClosed('call-c9', '2026-03-10T10:00:00Z', 'tech-9')]);
    const survey = await until(async () => {
      const r = await h.http('GET', '/surveys/by-call/call-c9', { role: 'service-dept' });
      return r.status === 200 ? r.body : undefined;
    }, 'survey');
    await surveys.runOnce(new Date('2026-03-11T08:00:00Z'));
    const token = tokenIn(h.readOutbox(`${survey.surveyId}.eml`));
    const answer = await h.http('POST', `/surveys/answer/${token}`, {
      body: {
        ratings: { attitude: 1, skill: 2, arrivalTime: 1, promiseKeeping: 1 },
        complaint: { severity: 'serious', summary: 'He broke the door and left' },
      },
    });
    expect(answer.status).toBe(201);
    const id = `cmp-${survey.surveyId}`;
    const escalated = await until(() => eventsOf(ComplaintEscalatedV1.type, id), 'escalation from the survey');
    expect(escalated[0].data).toMatchObject({ callId: 'call-c9', handledBy: 'deputy-gm' });
    const complaint = await h.http('GET', `/complaints/${id}`, { role: 'service-dept' });
    expect(complaint.body).toMatchObject({ source: 'survey', surveyId: survey.surveyId, assignedTo: 'u-dir-north' });
  });
});
