import amqplib from 'amqplib';
import { status } from '@grpc/grpc-js';
import { EVENTS_EXCHANGE } from '@aftersales/contracts';
import { startReporting, type Harness } from './harness';
import { scriptedDay } from './scripted-day';

jest.setTimeout(120_000);

let h: Harness;
let conn: amqplib.ChannelModel;
let ch: amqplib.Channel;
const QUEUE = 'test.reporting-out';

beforeAll(async () => {
  h = await startReporting();
  // observe what reporting publishes, bound before acting
  conn = await amqplib.connect(h.broker.url);
  conn.on('error', () => undefined); // a closed test connection must not crash the run
  ch = await conn.createChannel();
  await ch.checkExchange(EVENTS_EXCHANGE); // declared by the service with its own arguments
  await ch.assertQueue(QUEUE, { durable: false });
  await ch.bindQueue(QUEUE, EVENTS_EXCHANGE, 'reporting.director-report.signed.v1.br-north');
  await ch.bindQueue(QUEUE, EVENTS_EXCHANGE, 'reporting.director-report.received.v1.br-north');
  // the technicians' recorded work of the day (first two waves: visits; third: the repair card)
  for (const wave of scriptedDay().slice(0, 3)) await h.publishAndWait(wave);
});
afterAll(async () => {
  await conn?.close().catch(() => undefined);
  await h?.close();
});

async function nextMessage(): Promise<any> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const msg = await ch.get(QUEUE, { noAck: true });
    if (msg) return JSON.parse(msg.content.toString('utf8'));
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no event published');
}

const TECH = '/branches/br-north/technician-reports/2026-03-02/t-n1';
const DIR = '/branches/br-north/director-reports/2026-03-02';

describe('daily reports and sign-off [15][16][17]', () => {
  it('technician: adds D time and submits their own report only', async () => {
    const d1 = await h.http(
      'POST',
      `${TECH}/d-entries`,
      'technician',
      'br-north',
      { kind: 'training', minutes: 30 },
      't-n1',
    );
    expect(d1.status).toBe(200);
    const d2 = await h.http(
      'POST',
      `${TECH}/d-entries`,
      'technician',
      'br-north',
      { kind: 'parts-management', minutes: 15 },
      't-n1',
    );
    expect(d2.body).toMatchObject({ minutesA: 45, minutesB: 30, minutesC: 0, minutesD: 45 });

    // another technician's report, an unknown kind, a director writing D time
    expect(
      (await h.http('POST', `${TECH}/d-entries`, 'technician', 'br-north', { kind: 'training', minutes: 5 }, 't-n2'))
        .status,
    ).toBe(403);
    const bad = await h.http(
      'POST',
      `${TECH}/d-entries`,
      'technician',
      'br-north',
      { kind: 'lunch', minutes: 5 },
      't-n1',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('kind');
    expect(
      (await h.http('POST', `${TECH}/d-entries`, 'director', 'br-north', { kind: 'training', minutes: 5 })).status,
    ).toBe(403);

    const submitted = await h.http('POST', `${TECH}/submit`, 'technician', 'br-north', undefined, 't-n1');
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({
      state: 'submitted',
      submitted: { minutesA: 45, minutesB: 30, minutesC: 0, at: '2026-03-02T19:00:00.000Z' },
    });
    expect((await h.http('POST', `${TECH}/submit`, 'technician', 'br-north', undefined, 't-n1')).status).toBe(409);
    expect(
      (await h.http('POST', `${TECH}/d-entries`, 'technician', 'br-north', { kind: 'training', minutes: 5 }, 't-n1'))
        .status,
    ).toBe(409);
  });

  it('director drafts and submits; only the manager of THAT branch signs; head office receives; 409 otherwise', async () => {
    // nothing to sign yet
    expect((await h.http('POST', `${DIR}/sign`, 'manager', 'br-north')).status).toBe(404);

    const draft = await h.http('POST', DIR, 'director', 'br-north', undefined, 'dir-north');
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ state: 'draft', revision: 1 });
    expect(draft.body.people).toEqual([
      { personId: 't-n1', name: 'Tom', minutesA: 45, minutesB: 30, minutesC: 0, minutesD: 45 },
      { personId: 't-n2', name: 'Nora', minutesA: 0, minutesB: 0, minutesC: 90, minutesD: 0 },
    ]);

    // illegal transitions from draft
    expect((await h.http('POST', `${DIR}/sign`, 'manager', 'br-north')).status).toBe(409);
    expect((await h.http('POST', `${DIR}/receive`, 'service-dept', 'head-office')).status).toBe(409);
    // a director of another branch may not submit it
    expect((await h.http('POST', `${DIR}/submit`, 'director', 'br-south')).status).toBe(403);

    const submitted = await h.http('POST', `${DIR}/submit`, 'director', 'br-north', undefined, 'dir-north');
    expect(submitted.body).toMatchObject({ state: 'submitted', submittedBy: 'dir-north' });
    expect((await h.http('POST', `${DIR}/submit`, 'director', 'br-north')).status).toBe(409);

    // [17] the manager of another branch can't sign; a director can't either
    const foreign = await h.http('POST', `${DIR}/sign`, 'manager', 'br-south', undefined, 'mgr-south');
    expect(foreign.status).toBe(403);
    expect((await h.http('POST', `${DIR}/sign`, 'director', 'br-north')).status).toBe(403);

    h.clock.set('2026-03-03T08:15:00Z');
    const signed = await h.http('POST', `${DIR}/sign`, 'manager', 'br-north', undefined, 'mgr-north');
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ state: 'signed', signedBy: 'mgr-north', signedAt: '2026-03-03T08:15:00.000Z' });
    const signedEvent = await nextMessage();
    expect(signedEvent).toMatchObject({
      type: 'reporting.director-report.signed.v1',
      source: '/aftersales/reporting',
      data: {
        branchId: 'br-north',
        businessDate: '2026-03-02',
        signedBy: 'mgr-north',
        signedAt: '2026-03-03T08:15:00.000Z',
      },
    });

    // signed = immutable
    expect((await h.http('POST', `${DIR}/sign`, 'manager', 'br-north')).status).toBe(409);
    expect((await h.http('POST', DIR, 'director', 'br-north')).status).toBe(409);
    expect((await h.http('POST', `${DIR}/receive`, 'manager', 'br-north')).status).toBe(403);

    h.clock.set('2026-03-03T10:00:00Z');
    const received = await h.http('POST', `${DIR}/receive`, 'service-dept', 'head-office', undefined, 'ho-1');
    expect(received.body).toMatchObject({
      state: 'received',
      receivedBy: 'ho-1',
      receivedAt: '2026-03-03T10:00:00.000Z',
    });
    expect(await nextMessage()).toMatchObject({
      type: 'reporting.director-report.received.v1',
      data: { branchId: 'br-north', businessDate: '2026-03-02', signedBy: 'mgr-north', receivedBy: 'ho-1' },
    });
    expect((await h.http('POST', `${DIR}/receive`, 'service-dept', 'head-office')).status).toBe(409);
  });

  it('corrects a signed report with a new revision and lists the current one over REST and gRPC', async () => {
    const revised = await h.http('POST', `${DIR}/revise`, 'director', 'br-north');
    expect(revised.body).toMatchObject({ state: 'draft', revision: 2 });
    const current = await h.http('GET', DIR, 'service-dept', 'head-office');
    expect(current.body).toMatchObject({ revision: 2, state: 'draft' });

    const list = await h.http('GET', '/branches/br-north/director-reports', 'service-dept', 'head-office');
    expect(list.body.reports.map((r: any) => [r.businessDate, r.revision, r.state])).toEqual([
      ['2026-03-02', 2, 'draft'],
    ]);

    const grpc = await h.grpc<any>('listDailyReports', { branchId: 'br-north' }, 'integrator', 'head-office');
    expect(grpc).toMatchObject({
      nextPageToken: '',
      reports: [{ branchId: 'br-north', businessDate: '2026-03-02', state: 1 }],
    });
    expect(grpc.reports[0].people).toHaveLength(2);
    await expect(h.grpc('listDailyReports', { branchId: 'br-north' }, 'manager', 'br-south')).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
  });
});
