import { z } from 'zod';
import { createZodDto } from '@aftersales/service-kit';

/** [25] Four levels: 1 (worst) to 4 (best). */
const rating = z
  .number()
  .int('must be an integer from 1 to 4')
  .min(1, 'must be from 1 to 4')
  .max(4, 'must be from 1 to 4');

export const answerSchema = z.strictObject({
  ratings: z.strictObject({ attitude: rating, skill: rating, arrivalTime: rating, promiseKeeping: rating }),
  comment: z.string().trim().max(4000).optional(),
  /** [23] The customer may add a suggestion or a complaint to the answer. */
  complaint: z
    .strictObject({
      kind: z.enum(['complaint', 'suggestion']).default('complaint'),
      severity: z.enum(['general', 'serious']).default('general'),
      summary: z.string().trim().min(1).max(4000),
    })
    .optional(),
});
export class AnswerSurveyDto extends createZodDto(answerSchema) {}

export const runSchema = z.strictObject({
  /** Run as if it were this instant (re-run a missed day); default now. */
  now: z.iso.datetime({ offset: true }).optional(),
});
export class RunSurveysDto extends createZodDto(runSchema) {}

export const listSurveysSchema = z.strictObject({
  branchId: z.string().min(1).optional(),
  status: z.enum(['scheduled', 'sending', 'sent', 'answered']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export class ListSurveysQuery extends createZodDto(listSurveysSchema) {}
