import { ConflictError, NotFoundError, ValidationError } from '@aftersales/service-kit/domain-errors';
import {
  assertAnswerable,
  assertRatings,
  hashToken,
  isDue,
  newAnswerToken,
  newSurvey,
  sendTimeFor,
  Survey,
  SurveyExpiredError,
  surveyIdFor,
} from './survey';

const MADRID = 'Europe/Madrid';

describe('[24] a survey is sent the calendar day after the close, at 09:00 branch-local time', () => {
  it.each([
    ['an afternoon close in winter (CET)', '2026-03-10T17:30:00Z', '2026-03-11T08:00:00.000Z'],
    ['a close at 23:30 local goes out the next morning', '2026-03-10T22:30:00Z', '2026-03-11T08:00:00.000Z'],
    [
      'a close at 00:10 local on the 11th (23:10Z on the 10th) waits for the 12th',
      '2026-03-10T23:10:00Z',
      '2026-03-12T08:00:00.000Z',
    ],
    [
      'a Friday close goes out on Saturday (calendar day, the card is mailed)',
      '2026-03-13T15:00:00Z',
      '2026-03-14T08:00:00.000Z',
    ],
    ['across the spring DST change, 09:00 CEST is 07:00Z', '2026-03-28T12:00:00Z', '2026-03-29T07:00:00.000Z'],
    ['across the autumn DST change, 09:00 CET is 08:00Z', '2026-10-24T12:00:00Z', '2026-10-25T08:00:00.000Z'],
  ])('%s', (_, closedAt, expected) => {
    expect(sendTimeFor(new Date(closedAt), MADRID, 9).toISOString()).toBe(expected);
  });

  it('uses the branch zone, not the server zone', () => {
    expect(sendTimeFor(new Date('2026-03-10T17:30:00Z'), 'America/New_York', 9).toISOString()).toBe(
      '2026-03-11T13:00:00.000Z',
    );
  });
});

describe('survey identity, due-ness and tokens', () => {
  const survey = (over: Partial<Survey> = {}): Survey => ({
    ...newSurvey({
      callId: 'c1',
      branchId: 'br-north',
      technicianId: 't1',
      voucherNo: 'V1',
      recipient: { customerId: 'cu', name: 'Ana', phone: '1', address: 'x' },
      closedAt: new Date('2026-03-10T17:30:00Z'),
      timezone: MADRID,
      sendHour: 9,
    }),
    ...over,
  });

  it('derives the survey id from the call id, short enough for any call id', () => {
    expect(surveyIdFor('c1')).toBe('sv-c1');
    expect(surveyIdFor('x'.repeat(100))).toMatch(/^sv-h-[0-9a-f]{64}$/);
    expect(surveyIdFor('x'.repeat(100))).toBe(surveyIdFor('x'.repeat(100)));
  });

  it('is due at its time, not a millisecond before; a sending lease is taken over only once it ran out', () => {
    expect(isDue(survey(), new Date('2026-03-11T07:59:59.999Z'))).toBe(false);
    expect(isDue(survey(), new Date('2026-03-11T08:00:00.000Z'))).toBe(true);
    const sending = survey({ status: 'sending', leaseUntil: new Date('2026-03-11T08:05:00Z') });
    expect(isDue(sending, new Date('2026-03-11T08:04:59Z'))).toBe(false);
    expect(isDue(sending, new Date('2026-03-11T08:05:00Z'))).toBe(true);
    expect(isDue(survey({ status: 'sent' }), new Date('2030-01-01'))).toBe(false);
  });

  it('makes 256-bit base64url tokens and stores only their SHA-256', () => {
    const a = newAnswerToken();
    const b = newAnswerToken();
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).not.toContain(a.token);
  });

  it('answers once, before expiry; unknown and unsent look the same (404)', () => {
    const now = new Date('2026-03-12T00:00:00Z');
    const sent = survey({ status: 'sent', expiresAt: new Date('2026-04-10T08:00:00Z') });
    expect(() => assertAnswerable(null, now)).toThrow(NotFoundError);
    expect(() => assertAnswerable(survey(), now)).toThrow(NotFoundError);
    expect(() => assertAnswerable(sent, now)).not.toThrow();
    expect(() => assertAnswerable({ ...sent, status: 'answered' }, now)).toThrow(ConflictError);
    expect(() => assertAnswerable(sent, new Date('2026-04-10T08:00:00.001Z'))).toThrow(SurveyExpiredError);
    expect(new SurveyExpiredError('x').status).toBe(410);
  });

  it('[25] accepts four levels per item and names each bad one', () => {
    expect(() => assertRatings({ attitude: 1, skill: 2, arrivalTime: 3, promiseKeeping: 4 })).not.toThrow();
    try {
      assertRatings({ attitude: 0, skill: 2.5, arrivalTime: 5, promiseKeeping: 4 });
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).errors.map((e) => e.field)).toEqual([
        'ratings.attitude',
        'ratings.skill',
        'ratings.arrivalTime',
      ]);
    }
  });
});
