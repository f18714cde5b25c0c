import { randomBytes } from 'node:crypto';
import { SurveyAnsweredV1, SurveySentV1 } from '@aftersales/contracts';
import { Delivery, Notifier, OutgoingMessage } from '../src/surveys/application/notifier';
import { SurveysService } from '../src/surveys/application/surveys.service';
import { FileNotifier } from '../src/surveys/infrastructure/file-notifier';
import { callClosed, harness, Harness, tokenIn, until } from './support';

/** Surveys [24][25] on the real broker and store: one per closed call, sent the day after, answered once. */
/** The file outbox, except that the mail server is "down" for calls whose id says so, until it is fixed. */
class FlakyNotifier extends Notifier {
  down = true;
  calls = 0;
  private readonly files: FileNotifier;
  constructor(dir: string) {
    super();
    this.files = new FileNotifier(dir);
  }
  async send(message: OutgoingMessage): Promise<Delivery> {
    this.calls++;
    if (this.down && message.id.includes('flaky')) throw new Error('connect ECONNREFUSED 10.0.0.25:465');
    return this.files.send(message);
  }
}

describe('surveys', () => {
  let h: Harness;
  let surveys: SurveysService;
  let notifier: FlakyNotifier;

  beforeAll(async () => {
    h = await harness({ notifier: (dir) => (notifier = new FlakyNotifier(dir)) });
    surveys = h.t.app.get(SurveysService);
  });
  afterAll(async () => {
    await h?.close();
  });

  const surveyOf = (callId: string) =>
    until(async () => {
      const res = await h.http('GET', `/surveys/by-call/${callId}`, { role: 'service-dept' });
      return res.status === 200 ? res.body : undefined;
    }, `survey of ${callId}`);

  it('creates exactly one survey for a closed call delivered twice, and sends it the day after, once', async () => {
    // 18:30 in Madrid (CET, UTC+1) on Tuesday 10 March → sent Wednesday 11 March, 09:00 local = 08:00Z.
    const closed = callClosed('call-s1', '2026-03-10T17:30:00Z');
    await h.publisher.publish([closed]);
    await h.publisher.publish([closed]); // the same event again (at-least-once delivery)
    // …and the same close from a second delivery path with a new event id: still the same call.
    await h.publisher.publish([callClosed('call-s1', '2026-03-10T17:30:00Z')]);

    const survey = await surveyOf('call-s1');
    expect(survey).toMatchObject({
      status: 'scheduled',
      scheduledFor: '2026-03-11T08:00:00.000Z',
      technicianId: 'tech-1',
    });
    await until(async () => {
      const metrics = await (await fetch(`${h.t.url}/metrics`)).text();
      return /customer_feedback_events_consumed_total\{type="intake.call.closed.v1",outcome="handled"\} 3/.test(
        metrics,
      );
    }, 'three deliveries handled');
    const db = await h.store.connect('customer-feedback');
    expect(await db.collection('surveys').countDocuments({ callId: 'call-s1' })).toBe(1);

    // Not a millisecond before the rule's time…
    expect(await surveys.runOnce(new Date('2026-03-11T07:59:59.999Z'))).toMatchObject({ sent: 0 });
    expect(h.outboxFiles()).toEqual([]);
    // …at it, once…
    expect(await surveys.runOnce(new Date('2026-03-11T08:00:00.000Z'))).toMatchObject({ sent: 1, failed: 0 });
    // …and never again, whether run by the scheduler or by an operator.
    expect(await surveys.runOnce(new Date('2026-03-11T09:00:00.000Z'))).toMatchObject({ sent: 0 });
    const op = await h.http('POST', '/surveys/run', { role: 'service-dept', body: { now: '2026-03-12T09:00:00Z' } });
    expect(op).toMatchObject({ status: 200, body: { sent: 0 } });

    expect(h.outboxFiles()).toEqual([`${survey.surveyId}.eml`]);
    const card = h.readOutbox(h.outboxFiles()[0]);
    expect(card).toContain('To: Ana Pérez');
    expect(card).toContain('https://feedback.example.com/surveys/answer/');

    const sent = await until(
      () => h.ofType(SurveySentV1.type).filter((e) => e.data.callId === 'call-s1'),
      'sent event',
    );
    await new Promise((r) => setTimeout(r, 500)); // a second one would have arrived by now
    expect(h.ofType(SurveySentV1.type).filter((e) => e.data.callId === 'call-s1')).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      source: '/aftersales/customer-feedback',
      subject: survey.surveyId,
      data: {
        surveyId: survey.surveyId,
        callId: 'call-s1',
        technicianId: 'tech-1',
        sentAt: '2026-03-11T08:00:00.000Z',
        branchId: 'br-north',
      },
    });
    expect(await surveyOf('call-s1')).toMatchObject({ status: 'sent', expiresAt: '2026-04-10T08:00:00.000Z' });
    // The token is never stored, only its hash; and never shown.
    const stored = await db.collection('surveys').findOne({ callId: 'call-s1' });
    expect(JSON.stringify(stored)).not.toContain(tokenIn(card));
    expect(JSON.stringify(await surveyOf('call-s1'))).not.toContain('tokenHash');
  });

  it('takes the answer once: ratings event, 400 for out-of-range ratings, 409 when reused, 404 when guessed', async () => {
    const file = h.outboxFiles().find((f) => f.includes('call-s1'))!;
    const token = tokenIn(h.readOutbox(file));
    h.clock.set('2026-03-12T10:00:00Z');

    const form = await h.http('GET', `/surveys/answer/${token}`);
    expect(form).toMatchObject({
      status: 200,
      body: { items: ['attitude', 'skill', 'arrivalTime', 'promiseKeeping'] },
    });

    const bad = await h.http('POST', `/surveys/answer/${token}`, {
      body: { ratings: { attitude: 4, skill: 5, arrivalTime: 0, promiseKeeping: 2.5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'ratings.arrivalTime',
      'ratings.promiseKeeping',
      'ratings.skill',
    ]);
    const missing = await h.http('POST', `/surveys/answer/${token}`, { body: { ratings: { attitude: 4 } } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('ratings.skill');

    const ok = await h.http('POST', `/surveys/answer/${token}`, {
      body: { ratings: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 4 }, comment: 'Very kind.' },
    });
    expect(ok).toMatchObject({ status: 201, body: { answeredAt: '2026-03-12T10:00:00.000Z' } });

    const answered = await until(
      () => h.ofType(SurveyAnsweredV1.type).filter((e) => e.data.callId === 'call-s1'),
      'answered event',
    );
    expect(answered[0].data).toMatchObject({
      callId: 'call-s1',
      technicianId: 'tech-1',
      ratings: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 4 },
      comment: 'Very kind.',
      answeredAt: '2026-03-12T10:00:00.000Z',
    });

    const again = await h.http('POST', `/surveys/answer/${token}`, {
      body: { ratings: { attitude: 1, skill: 1, arrivalTime: 1, promiseKeeping: 1 } },
    });
    expect(again.status).toBe(409);
    expect(again.type).toContain('application/problem+json');

    const guessed = await h.http('POST', `/surveys/answer/${randomBytes(32).toString('base64url')}`, {
      body: { ratings: { attitude: 4, skill: 4, arrivalTime: 4, promiseKeeping: 4 } },
    });
    expect(guessed.status).toBe(404);
    expect((await h.http('GET', `/surveys/answer/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
    expect(await surveyOf('call-s1')).toMatchObject({
      status: 'answered',
      ratings: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 4 },
    });
  });

  it('refuses an answer after the link expired (410), but not a millisecond before', async () => {
    await h.publisher.publish([callClosed('call-s2', '2026-03-10T09:00:00Z', 'tech-2')]);
    const survey = await surveyOf('call-s2');
    expect(await surveys.runOnce(new Date('2026-03-11T08:00:00Z'))).toMatchObject({ sent: 1 });
    const token = tokenIn(h.readOutbox(`${survey.surveyId}.eml`));
    const body = { ratings: { attitude: 2, skill: 2, arrivalTime: 2, promiseKeeping: 2 } };

    h.clock.set('2026-04-10T08:00:00.001Z'); // 30 days after sending, plus 1 ms
    const gone = await h.http('POST', `/surveys/answer/${token}`, { body });
    expect(gone.status).toBe(410);
    expect(gone.type).toContain('application/problem+json');

    h.clock.set('2026-04-10T08:00:00.000Z');
    expect((await h.http('POST', `/surveys/answer/${token}`, { body })).status).toBe(201);
  });

  it('needs a service-department token to list or run, and hides other branches from branch staff', async () => {
    expect((await h.http('POST', '/surveys/run', { body: {} })).status).toBe(401);
    expect((await h.http('POST', '/surveys/run', { role: 'clerk', body: {} })).status).toBe(403);
    const other = await h.http('GET', '/surveys/by-call/call-s1', { role: 'director', branchId: 'br-south' });
    expect(other.status).toBe(403);
  });

  it('retries a failed send later without marking it sent, and sends once when two replicas run together', async () => {
    await h.publisher.publish([
      callClosed('call-flaky', '2026-05-04T10:00:00Z'),
      callClosed('call-twin', '2026-05-04T10:00:00Z'),
    ]);
    await surveyOf('call-flaky');
    const twin = await surveyOf('call-twin');
    const due = new Date('2026-05-05T07:00:00Z'); // 09:00 CEST

    // Two replicas' schedulers at the same instant: each survey is taken by one of them only.
    const [a, b] = await Promise.all([surveys.runOnce(due), surveys.runOnce(due)]);
    expect(a.sent + b.sent).toBe(1); // call-twin
    expect(a.failed + b.failed).toBe(1); // call-flaky: mail server down
    expect(h.outboxFiles().filter((f) => f.includes('call-twin') || f.includes('call-flaky'))).toEqual([
      `${twin.surveyId}.eml`,
    ]);
    expect(await surveyOf('call-flaky')).toMatchObject({
      status: 'scheduled',
      attempts: 1,
      lastError: expect.stringContaining('ECONNREFUSED'),
    });

    // Retried after SURVEY_RETRY_AFTER_MS (15 min by default), not before.
    notifier.down = false;
    expect(await surveys.runOnce(new Date('2026-05-05T07:14:59Z'))).toMatchObject({ sent: 0 });
    expect(await surveys.runOnce(new Date('2026-05-05T07:15:00Z'))).toMatchObject({ sent: 1 });
    expect(await surveyOf('call-flaky')).toMatchObject({
      status: 'sent',
      attempts: 2,
      sentAt: '2026-05-05T07:15:00.000Z',
    });
    await until(() => h.ofType(SurveySentV1.type).filter((e) => e.data.callId === 'call-flaky'), 'sent after retry');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.ofType(SurveySentV1.type).filter((e) => ['call-flaky', 'call-twin'].includes(e.data.callId))).toHaveLength(
      2,
    );
  });
});
