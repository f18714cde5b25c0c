import { DateTime } from 'luxon';
import { ValidationError } from '@aftersales/service-kit/domain-errors';

export const ITEMS = ['attitude', 'skill', 'arrivalTime', 'promiseKeeping'] as const;
export type Item = (typeof ITEMS)[number];
export type Sums = Record<Item, number>;

/** [23] One evaluation per technician and month, made of the answered surveys' ratings. */
export interface Evaluation {
  technicianId: string;
  /** YYYY-MM, the branch-local month in which the customer answered. */
  month: string;
  branchId: string;
  /** Running totals, kept with $inc on every answer. */
  count: number;
  sums: Sums;
  /** Surveys already counted: the idempotency key of each $inc. */
  surveyIds: string[];
  published: boolean;
  publishedAt?: Date | null;
  publishedAs?: { surveys: number; averages?: Sums } | null;
}

export const evaluationId = (technicianId: string, month: string): string => `${technicianId}|${month}`;

/** The branch-local month (YYYY-MM) of an instant: an answer at 00:30 on 1 April in Madrid counts for April. */
export function monthOf(at: Date, timezone: string): string {
  return DateTime.fromJSDate(at, { zone: timezone }).toFormat('yyyy-MM');
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function assertMonth(month: string): void {
  if (!MONTH.test(month)) throw new ValidationError('month must be YYYY-MM', [{ field: 'month', message: 'YYYY-MM' }]);
}

/** A month is over when it has ended in every one of these time zones. */
export function monthIsOver(month: string, timezones: string[], now: Date): boolean {
  return timezones.every(
    (zone) => DateTime.fromISO(`${month}-01`, { zone }).plus({ months: 1 }).toMillis() <= now.getTime(),
  );
}

/** The month before the one `now` falls in (UTC), the one the scheduler evaluates. */
export function previousMonth(now: Date): string {
  return DateTime.fromJSDate(now, { zone: 'UTC' }).minus({ months: 1 }).toFormat('yyyy-MM');
}

/** Averages to 2 decimals (half away from zero); undefined when nothing was answered. */
export function averages(sums: Sums, count: number): Sums | undefined {
  if (count === 0) return undefined;
  const avg = (v: number) => Math.round((v / count) * 100 + Number.EPSILON) / 100;
  return {
    attitude: avg(sums.attitude),
    skill: avg(sums.skill),
    arrivalTime: avg(sums.arrivalTime),
    promiseKeeping: avg(sums.promiseKeeping),
  };
}
