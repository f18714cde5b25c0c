import { createHash, randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { ConflictError, DomainError, NotFoundError, ValidationError } from '@aftersales/service-kit/domain-errors';

/** [25] The four items a customer rates the technician on, each on four levels (1 worst … 4 best). */
export const RATING_ITEMS = ['attitude', 'skill', 'arrivalTime', 'promiseKeeping'] as const;
export type RatingItem = (typeof RATING_ITEMS)[number];
export type Ratings = Record<RatingItem, number>;

export const RATING_LEVELS: Record<number, string> = {
  1: 'dissatisfied',
  2: 'somewhat dissatisfied',
  3: 'satisfied',
  4: 'very satisfied',
};

/**
 * scheduled → (sending) → sent → answered. `sending` is a short lease taken by one replica while it hands
 * the message to the notifier, so two replicas never both send the same survey.
 */
export type SurveyStatus = 'scheduled' | 'sending' | 'sent' | 'answered';

export interface SurveyRecipient {
  customerId: string;
  name: string;
  phone: string;
  address: string;
  /** Not carried by intake.call.closed.v1 today; kept for when it is. */
  email?: string;
}

/** A complaint or suggestion the customer added to the survey answer [23]. */
export interface SurveyComplaint {
  kind: 'complaint' | 'suggestion';
  severity: 'general' | 'serious';
  summary: string;
}

export interface Survey {
  surveyId: string;
  callId: string;
  branchId: string;
  technicianId: string;
  voucherNo: string;
  recipient: SurveyRecipient;
  closedAt: Date;
  /** [24] When the rule says to send it: the day after the close. */
  scheduledFor: Date;
  /** When the scheduler may (next) try to send it: scheduledFor, later after a failed attempt. */
  nextAttemptAt: Date;
  status: SurveyStatus;
  attempts: number;
  leaseUntil?: Date | null;
  lastError?: string | null;
  /** SHA-256 of the answer token (base64url); the token itself is only ever in the message. */
  tokenHash?: string | null;
  sentAt?: Date | null;
  expiresAt?: Date | null;
  answeredAt?: Date | null;
  ratings?: Ratings | null;
  comment?: string | null;
  complaint?: SurveyComplaint | null;
}

const MAX_ID = 100;

/**
 * One survey per call: the id is derived from the callId, so a redelivered or duplicated close event
 * can only ever hit the same document (a second insert is a duplicate).
 */
export function surveyIdFor(callId: string): string {
  const id = `sv-${callId}`;
  return id.length <= MAX_ID ? id : `sv-h-${createHash('sha256').update(callId).digest('hex')}`;
}

/**
 * [24] "sent the day after the close": the next calendar day in the branch's own time zone (weekends and
 * holidays included — the card is mailed, no branch staff is needed), at `sendHour`:00 local time.
 * A call closed at 23:30 on the 10th (local) is surveyed on the 11th; one closed at 00:10 on the 11th on the 12th.
 */
export function sendTimeFor(closedAt: Date, timezone: string, sendHour: number): Date {
  const local = DateTime.fromJSDate(closedAt, { zone: timezone });
  return local.plus({ days: 1 }).set({ hour: sendHour, minute: 0, second: 0, millisecond: 0 }).toJSDate();
}

export interface NewSurveyInput {
  callId: string;
  branchId: string;
  technicianId: string;
  voucherNo: string;
  recipient: SurveyRecipient;
  closedAt: Date;
  timezone: string;
  sendHour: number;
}

export function newSurvey(input: NewSurveyInput): Survey {
  const scheduledFor = sendTimeFor(input.closedAt, input.timezone, input.sendHour);
  return {
    surveyId: surveyIdFor(input.callId),
    callId: input.callId,
    branchId: input.branchId,
    technicianId: input.technicianId,
    voucherNo: input.voucherNo,
    recipient: input.recipient,
    closedAt: input.closedAt,
    scheduledFor,
    nextAttemptAt: scheduledFor,
    status: 'scheduled',
    attempts: 0,
  };
}

/** Whether the scheduler may take this survey now (due, or a crashed sender's lease ran out). */
export function isDue(survey: Survey, now: Date): boolean {
  if (survey.status === 'scheduled') return survey.nextAttemptAt.getTime() <= now.getTime();
  if (survey.status === 'sending') return !!survey.leaseUntil && survey.leaseUntil.getTime() <= now.getTime();
  return false;
}

/** 256 random bits, base64url: the secret in the answer link. Only its hash is stored. */
export function newAnswerToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The link stopped working: 410 Gone. */
export class SurveyExpiredError extends DomainError {
  readonly status = 410;
  readonly code = 'gone';
}

/**
 * Whether a survey found by its token may be answered at `now`; throws the error the customer sees.
 * A survey is answered once [25]; unanswered ones expire.
 */
export function assertAnswerable(survey: Survey | null, now: Date): asserts survey is Survey {
  // A token that matches nothing, or a survey not sent yet, look the same: no link was issued.
  if (!survey || (survey.status !== 'sent' && survey.status !== 'answered')) {
    throw new NotFoundError('no survey for this link');
  }
  if (survey.status === 'answered') throw new ConflictError('this survey has already been answered');
  if (survey.expiresAt && now.getTime() > survey.expiresAt.getTime()) {
    throw new SurveyExpiredError(`this survey expired on ${survey.expiresAt.toISOString()}`);
  }
}

/** [25] Each item on 4 levels; checked here too, so no path can store a rating the evaluation can't use. */
export function assertRatings(ratings: Ratings): void {
  const errors = RATING_ITEMS.filter((item) => {
    const v = ratings[item];
    return !Number.isInteger(v) || v < 1 || v > 4;
  }).map((item) => ({ field: `ratings.${item}`, message: 'must be an integer from 1 to 4' }));
  if (errors.length > 0) throw new ValidationError('ratings are on four levels, 1 to 4', errors);
}

export function expiryFor(sentAt: Date, expiryDays: number): Date {
  return new Date(sentAt.getTime() + expiryDays * 24 * 60 * 60_000);
}

/** The survey card as text: what the file outbox writes and the e-mail carries. */
export function surveyText(survey: Survey, link: string, expiresAt: Date): { subject: string; text: string } {
  const levels = Object.entries(RATING_LEVELS)
    .map(([n, label]) => `${n} = ${label}`)
    .join(', ');
  return {
    subject: `How did we do? Your service voucher ${survey.voucherNo}`,
    text: [
      `Dear ${survey.recipient.name},`,
      '',
      `Yesterday we closed your service call (voucher ${survey.voucherNo}). Please tell us how our`,
      'technician did on each of these, from 1 to 4:',
      '  - attitude',
      '  - skill',
      '  - arrival time',
      '  - keeping promises',
      `(${levels}). You may add comments, suggestions or a complaint.`,
      '',
      `Answer here: ${link}`,
      '',
      `This link works once, until ${expiresAt.toISOString().slice(0, 10)}.`,
    ].join('\n'),
  };
}
