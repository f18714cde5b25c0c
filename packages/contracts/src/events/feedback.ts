import { z } from 'zod';
import { defineEvent } from '../define';
import { Id, Instant } from './common';

/** [25] Each item is rated on 4 levels: 1 (worst) to 4 (best). */
export const Rating = z.number().int().min(1).max(4);
export const Ratings = z.object({ attitude: Rating, skill: Rating, arrivalTime: Rating, promiseKeeping: Rating });
const Average = z.number().min(1).max(4);

export const SurveySentV1 = defineEvent({
  type: 'feedback.survey.sent.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[24] Every closed call gets a survey, sent the day after the close.',
  data: { surveyId: Id, callId: Id, technicianId: Id, sentAt: Instant },
});

export const SurveyAnsweredV1 = defineEvent({
  type: 'feedback.survey.answered.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[25] The customer rated the technician on attitude, skill, arrival time and keeping promises.',
  data: {
    surveyId: Id,
    callId: Id,
    technicianId: Id,
    ratings: Ratings,
    comment: z.string().optional(),
    answeredAt: Instant,
  },
});

/** [26] Serious ones go at once to the deputy general manager; general ones are up to the service department. */
const Severity = z.enum(['general', 'serious']);

/** What every complaint event says about the complaint. */
const ComplaintRef = {
  complaintId: Id,
  callId: Id.optional().describe('Absent when the complaint is not about one call'),
  severity: Severity,
  handledBy: Id.describe('[26][28] Person in charge now: deputy GM, service department or branch director'),
};

export const ComplaintReceivedV1 = defineEvent({
  type: 'feedback.complaint.received.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[26][28] A suggestion or complaint arrived; complaints about a branch go to its director.',
  data: {
    ...ComplaintRef,
    kind: z.enum(['suggestion', 'complaint']),
    summary: z.string().min(1),
    receivedAt: Instant,
  },
});

export const ComplaintEscalatedV1 = defineEvent({
  type: 'feedback.complaint.escalated.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[26] A serious complaint went at once to the deputy general manager for review or transfer.',
  data: { ...ComplaintRef, escalatedAt: Instant },
});

export const ComplaintResolvedV1 = defineEvent({
  type: 'feedback.complaint.resolved.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[26] The complaint was handled and its outcome decided.',
  data: { ...ComplaintRef, outcome: z.string().min(1), resolvedAt: Instant },
});

export const ComplaintCustomerNotifiedV1 = defineEvent({
  type: 'feedback.complaint.customer-notified.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[26] The customer was told the outcome, in writing or by phone.',
  data: {
    ...ComplaintRef,
    outcome: z.string().min(1),
    channel: z.enum(['writing', 'phone']),
    notifiedAt: Instant,
  },
});

export const TechnicianEvaluatedV1 = defineEvent({
  type: 'feedback.technician.evaluated.v1',
  producer: 'customer-feedback',
  consumers: ['reporting'],
  description: '[23][25] Monthly technician performance evaluation from the answered surveys.',
  data: {
    technicianId: Id,
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .describe('YYYY-MM'),
    surveys: z.number().int().nonnegative().describe('Answered surveys the averages are made of'),
    averages: z
      .object({ attitude: Average, skill: Average, arrivalTime: Average, promiseKeeping: Average })
      .optional()
      .describe('Absent when no survey was answered that month'),
  },
});
