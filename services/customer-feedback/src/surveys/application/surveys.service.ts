import { Injectable, Logger } from '@nestjs/common';
import { eventMeta, SurveyAnsweredV1, SurveySentV1 } from '@aftersales/contracts';
import { BranchDirectory, InjectConfig } from '@aftersales/service-kit';
import { ConflictError } from '@aftersales/service-kit/domain-errors';
import type { CustomerFeedbackConfig } from '../../config';
import { Clock } from '../../shared/clock';
import { SOURCE } from '../../shared/names';
import {
  assertAnswerable,
  assertRatings,
  expiryFor,
  hashToken,
  isDue,
  newAnswerToken,
  newSurvey,
  Ratings,
  Survey,
  SurveyComplaint,
  SurveyRecipient,
  surveyText,
} from '../domain/survey';
import { SurveyDoc, SurveyRepository } from '../infrastructure/survey.repository';
import { Notifier } from './notifier';

export interface ClosedCall {
  callId: string;
  branchId: string;
  technicianId: string;
  voucherNo: string;
  recipient: SurveyRecipient;
  closedAt: Date;
}

export interface AnswerInput {
  ratings: Ratings;
  comment?: string;
  complaint?: SurveyComplaint;
}

export interface SendReport {
  sent: number;
  failed: number;
  /** Due surveys another replica took first. */
  skipped: number;
}

const BATCH = 50;
/** Bounded retries of an optimistic save before giving up (someone else keeps winning). */
const MAX_CONFLICTS = 5;

@Injectable()
export class SurveysService {
  private readonly logger = new Logger(SurveysService.name);

  constructor(
    private readonly surveys: SurveyRepository,
    private readonly notifier: Notifier,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: CustomerFeedbackConfig,
  ) {}

  /** [24] Every closed call gets a survey, no sampling. Returns 'duplicate' when it already has one. */
  async createForClosedCall(call: ClosedCall, causedBy?: string): Promise<'saved' | 'duplicate'> {
    const branch = this.branches.get(call.branchId);
    const survey = newSurvey({ ...call, timezone: branch.timezone, sendHour: this.config.SURVEY_SEND_HOUR });
    return this.surveys.insert(survey, causedBy);
  }

  /**
   * Sends every survey due at `now`, each exactly once: a replica first takes a short lease on the survey
   * with a version-guarded save (so no other replica sends it), hands the message to the notifier, then
   * marks it sent together with feedback.survey.sent.v1. A failed send is tried again later. If the process
   * dies between the hand-over and the mark, the lease runs out and the survey is sent again (at-least-once
   * is the best any e-mail hand-over can do); the new message carries a new link and the old one stops working.
   */
  async runOnce(now: Date): Promise<SendReport> {
    const report: SendReport = { sent: 0, failed: 0, skipped: 0 };
    for (const status of ['sending', 'scheduled'] as const) {
      for (;;) {
        const batch = await this.surveys.candidates(status, BATCH);
        const due = batch.filter((s) => isDue(s, now));
        for (const doc of due) {
          const outcome = await this.sendOne(doc, now);
          report[outcome]++;
        }
        // Sorted by nextAttemptAt: a batch with something not due (or a short one) means we are done.
        if (due.length < BATCH || status === 'sending') break;
      }
    }
    return report;
  }

  private async sendOne(doc: SurveyDoc, now: Date): Promise<'sent' | 'failed' | 'skipped'> {
    const { token, hash } = newAnswerToken();
    const leaseUntil = new Date(now.getTime() + this.config.SURVEY_SEND_LEASE_MS);
    const claimed = await this.surveys.save(doc, {
      status: 'sending',
      leaseUntil,
      tokenHash: hash,
      attempts: doc.attempts + 1,
    });
    if (claimed !== 'saved') return 'skipped';
    const version = doc.version + 1;

    const expiresAt = expiryFor(now, this.config.SURVEY_EXPIRY_DAYS);
    const { subject, text } = surveyText(doc, `${this.config.SURVEY_LINK_BASE_URL}${token}`, expiresAt);
    try {
      await this.notifier.send({
        id: doc.surveyId,
        to: {
          name: doc.recipient.name,
          email: doc.recipient.email,
          phone: doc.recipient.phone,
          address: doc.recipient.address,
        },
        subject,
        text,
      });
    } catch (err) {
      this.logger.warn({ surveyId: doc.surveyId, err: (err as Error).message, msg: 'survey send failed; will retry' });
      await this.surveys.save(
        { ...doc, version },
        {
          status: 'scheduled',
          leaseUntil: null,
          tokenHash: null,
          lastError: (err as Error).message.slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + this.config.SURVEY_RETRY_AFTER_MS),
        },
      );
      return 'failed';
    }

    const sent = SurveySentV1.create(
      {
        branchId: doc.branchId,
        surveyId: doc.surveyId,
        callId: doc.callId,
        technicianId: doc.technicianId,
        sentAt: now.toISOString(),
      },
      eventMeta(SOURCE, doc.surveyId, { time: now }),
    );
    const marked = await this.surveys.save(
      { ...doc, version },
      { status: 'sent', sentAt: now, expiresAt, leaseUntil: null, lastError: null },
      [sent],
    );
    if (marked !== 'saved') {
      // Only possible if our lease ran out mid-send and another replica took the survey over.
      this.logger.warn({ surveyId: doc.surveyId, msg: 'survey sent but taken over before it was marked sent' });
    }
    return 'sent';
  }

  /** The customer answers through the link [25]: once, before it expires. */
  async answer(token: string, input: AnswerInput): Promise<{ surveyId: string; answeredAt: string }> {
    assertRatings(input.ratings);
    const tokenHash = hashToken(token);
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const doc = await this.surveys.byTokenHash(tokenHash);
      const now = this.clock.now();
      assertAnswerable(doc, now);
      const answered = SurveyAnsweredV1.create(
        {
          branchId: doc.branchId,
          surveyId: doc.surveyId,
          callId: doc.callId,
          technicianId: doc.technicianId,
          ratings: input.ratings,
          ...(input.comment ? { comment: input.comment } : {}),
          answeredAt: now.toISOString(),
        },
        eventMeta(SOURCE, doc.surveyId, { time: now }),
      );
      const result = await this.surveys.save(
        doc,
        {
          status: 'answered',
          answeredAt: now,
          ratings: input.ratings,
          comment: input.comment ?? null,
          complaint: input.complaint ?? null,
        },
        [answered],
      );
      if (result === 'saved') return { surveyId: doc.surveyId, answeredAt: now.toISOString() };
      // Someone saved first (e.g. the same form posted twice): decide again on the fresh state.
    }
    throw new ConflictError('the survey is being changed by someone else; try again');
  }

  /** What the answer page shows before the customer answers. */
  async form(token: string) {
    const doc = await this.surveys.byTokenHash(hashToken(token));
    assertAnswerable(doc, this.clock.now());
    return {
      surveyId: doc.surveyId,
      voucherNo: doc.voucherNo,
      customerName: doc.recipient.name,
      expiresAt: doc.expiresAt?.toISOString(),
      items: ['attitude', 'skill', 'arrivalTime', 'promiseKeeping'],
      levels: [1, 2, 3, 4],
    };
  }

  get(surveyId: string): Promise<SurveyDoc | null> {
    return this.surveys.get(surveyId);
  }

  byCall(callId: string): Promise<SurveyDoc | null> {
    return this.surveys.byCall(callId);
  }

  list(filter: { branchId?: string; status?: string }, page: number, pageSize: number) {
    return this.surveys.list(filter, (page - 1) * pageSize, pageSize);
  }
}

/** The public view of a survey: never the token hash, never the outbox. */
export function surveyView(doc: Survey) {
  return {
    surveyId: doc.surveyId,
    callId: doc.callId,
    branchId: doc.branchId,
    technicianId: doc.technicianId,
    voucherNo: doc.voucherNo,
    customer: { id: doc.recipient.customerId, name: doc.recipient.name },
    status: doc.status,
    closedAt: doc.closedAt.toISOString(),
    scheduledFor: doc.scheduledFor.toISOString(),
    attempts: doc.attempts,
    lastError: doc.lastError ?? undefined,
    sentAt: doc.sentAt?.toISOString(),
    expiresAt: doc.expiresAt?.toISOString(),
    answeredAt: doc.answeredAt?.toISOString(),
    ratings: doc.ratings ?? undefined,
    comment: doc.comment ?? undefined,
    complaint: doc.complaint ?? undefined,
  };
}
