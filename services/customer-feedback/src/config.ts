import { z } from 'zod';
import { baseConfigSchema } from '@aftersales/service-kit';

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const customerFeedbackConfig = baseConfigSchema('customer-feedback', { port: 3006 })
  .extend({
    /** [24] Surveys go out the calendar day after the close, at this branch-local hour (0–23). */
    SURVEY_SEND_HOUR: z.coerce.number().int().min(0).max(23).default(9),
    /** An unanswered survey's link stops working this many days after it was sent. */
    SURVEY_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Where the answer link in a survey points; the answer token is appended. */
    SURVEY_LINK_BASE_URL: z.url().default('http://localhost:3006/surveys/answer/'),
    /** A send that failed is tried again after this long. */
    SURVEY_RETRY_AFTER_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(15 * 60_000),
    /** How long a replica holds a survey it is sending before another may take it over (crash recovery). */
    SURVEY_SEND_LEASE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(5 * 60_000),
    /** How often the scheduler sends due surveys and publishes last month's evaluations; 0 = never (tests). */
    SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
    /** file: write every message into NOTIFIER_DIR (development); smtp: e-mail through SMTP_URL. */
    NOTIFIER: z.enum(['file', 'smtp']).default('file'),
    NOTIFIER_DIR: z.string().min(1).default('var/outbox'),
    /** e.g. smtps://user:pass@mail.example.com:465 */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/\S+$/, 'smtp:// or smtps:// URL')
      .optional(),
    SMTP_FROM: z.string().min(3).default('Aftersales <no-reply@aftersales.local>'),
    /**
     * Customers come without an e-mail address in intake.call.closed.v1: their survey goes to this mailbox
     * of the service department, which posts the card by letter as the procedure has it [24].
     */
    SMTP_POSTAL_DESK: z.email().optional(),
    SMTP_REQUIRE_TLS: flag.default(false),
  })
  .refine((env) => env.NOTIFIER !== 'smtp' || Boolean(env.SMTP_URL), {
    message: 'set SMTP_URL when NOTIFIER=smtp',
    path: ['SMTP_URL'],
  });

export type CustomerFeedbackConfig = z.output<typeof customerFeedbackConfig>;
