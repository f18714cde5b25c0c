import { SurveyAnsweredV1, TechnicianEvaluatedV1 } from '@aftersales/contracts';
import { SurveysService } from '../src/surveys/application/surveys.service';
import { callClosed, harness, Harness, tokenIn, until } from './support';

/**
 * [23][25] Monthly technician evaluation from answered surveys, against a hand-computed fixture.
 *
 *   survey  attitude skill arrivalTime promiseKeeping   answered (UTC)         Madrid month
 *   e1      4        3     2           4                2026-03-12T10:00Z      March
 *   e2      3        3     1           4                2026-03-20T10:00Z      March
 *   e3      4        2     2           3                2026-03-31T21:59Z      March (23:59 CEST)
 *   e4      1        1     1           1                2026-03-31T22:00Z      April (00:00 CEST, 1 April)
 *   March:  sums 11, 8, 5, 11 over 3 → 3.67, 2.67, 1.67, 3.67
 */
describe('monthly technician evaluation', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const fixture = [
    {
      call: 'call-e1',
      at: '2026-03-12T10:00:00Z',
      ratings: { attitude: 4, skill: 3, arrivalTime: 2, promiseKeeping: 4 },
    },
    {
      call: 'call-e2',
      at: '2026-03-20T10:00:00Z',
      ratings: { attitude: 3, skill: 3, arrivalTime: 1, promiseKeeping: 4 },
    },
    {
      call: 'call-e3',
      at: '2026-03-31T21:59:00Z',
      ratings: { attitude: 4, skill: 2, arrivalTime: 2, promiseKeeping: 3 },
    },
    {
      call: 'call-e4',
      at: '2026-03-31T22:00:00Z',
      ratings: { attitude: 1, skill: 1, arrivalTime: 1, promiseKeeping: 1 },
    },
  ];

  const evaluation = async (month: string) => {
    const res = await h.http('GET', `/evaluations?technicianId=tech-eval&month=${month}`, { role: 'service-dept' });
    return res.body.items[0];
  };

  it('averages each item per technician and branch-local month, counting each survey once', async () => {
    await h.publisher.publish(fixture.map((f) => callClosed(f.call, '2026-03-10T10:00:00Z', 'tech-eval')));
    await until(async () => {
      const res = await h.http('GET', '/surveys?status=scheduled', { role: 'service-dept' });
      return res.body.items.length === fixture.length;
    }, 'four surveys');
    const firstPage = await h.http('GET', '/surveys?status=scheduled&pageSize=1', { role: 'service-dept' });
    expect([firstPage.body.items.length, firstPage.body.total]).toEqual([1, fixture.length]);
    expect(await h.t.app.get(SurveysService).runOnce(new Date('2026-03-11T08:00:00Z'))).toMatchObject({ sent: 4 });

    for (const f of fixture) {
      const file = h.outboxFiles().find((name) => name.includes(f.call))!;
      h.clock.set(f.at);
      const res = await h.http('POST', `/surveys/answer/${tokenIn(h.readOutbox(file))}`, {
        body: { ratings: f.ratings },
      });
      expect(res.status).toBe(201);
    }

    // The answered events come back to us and feed the running sums.
    await until(async () => (await evaluation('2026-03'))?.surveys === 3, 'March evaluation of 3 surveys');
    await until(async () => (await evaluation('2026-04'))?.surveys === 1, 'April evaluation of 1 survey');

    // A redelivered answer (same event) changes nothing.
    const e1 = h.ofType(SurveyAnsweredV1.type).find((e) => e.data.callId === 'call-e1')!;
    await h.publisher.publish([e1]);
    await until(async () => {
      const metrics = await (await fetch(`${h.t.url}/metrics`)).text();
      return /customer_feedback_events_consumed_total\{type="feedback.survey.answered.v1",outcome="handled"\} 5/.test(
        metrics,
      );
    }, 'the redelivery handled');

    const march = await evaluation('2026-03');
    expect(march).toMatchObject({
      technicianId: 'tech-eval',
      month: '2026-03',
      branchId: 'br-north',
      surveys: 3,
      averages: { attitude: 3.67, skill: 2.67, arrivalTime: 1.67, promiseKeeping: 3.67 },
      published: false,
    });
    expect((await evaluation('2026-04')).averages).toEqual({
      attitude: 1,
      skill: 1,
      arrivalTime: 1,
      promiseKeeping: 1,
    });
  });

  it('publishes feedback.technician.evaluated.v1 once per technician-month, only once the month is over', async () => {
    h.clock.set('2026-03-31T21:00:00Z'); // still March in Madrid
    const early = await h.http('POST', '/evaluations/2026-03/run', { role: 'service-dept' });
    expect(early.status).toBe(409);
    expect((await h.http('POST', '/evaluations/2026-13/run', { role: 'service-dept' })).status).toBe(400);
    expect((await h.http('POST', '/evaluations/2026-03/run', { role: 'director' })).status).toBe(403);

    h.clock.set('2026-04-01T06:00:00Z');
    const run = await h.http('POST', '/evaluations/2026-03/run', { role: 'service-dept' });
    expect(run).toMatchObject({ status: 200, body: { month: '2026-03', published: 1 } });
    const again = await h.http('POST', '/evaluations/2026-03/run', { role: 'service-dept' });
    expect(again).toMatchObject({ status: 200, body: { published: 0 } });

    const evaluated = await until(() => h.ofType(TechnicianEvaluatedV1.type), 'evaluated event');
    await new Promise((r) => setTimeout(r, 500)); // a second one would have arrived by now
    expect(h.ofType(TechnicianEvaluatedV1.type)).toHaveLength(1);
    expect(evaluated[0]).toMatchObject({
      subject: 'tech-eval|2026-03',
      data: {
        branchId: 'br-north',
        technicianId: 'tech-eval',
        month: '2026-03',
        surveys: 3,
        averages: { attitude: 3.67, skill: 2.67, arrivalTime: 1.67, promiseKeeping: 3.67 },
      },
    });
    expect(await evaluation('2026-03')).toMatchObject({ published: true, publishedAt: '2026-04-01T06:00:00.000Z' });
  });
});
