import { ValidationError } from '@aftersales/service-kit/domain-errors';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Every business date from `from` to `to`, inclusive (calendar dates: no time zone involved). */
export function datesOf(from: string, to: string, maxDays: number): string[] {
  const errors = [];
  const a = DATE.test(from) ? Date.parse(`${from}T00:00:00Z`) : NaN;
  const b = DATE.test(to) ? Date.parse(`${to}T00:00:00Z`) : NaN;
  if (Number.isNaN(a)) errors.push({ field: 'from', message: 'expected a date YYYY-MM-DD' });
  if (Number.isNaN(b)) errors.push({ field: 'to', message: 'expected a date YYYY-MM-DD' });
  if (errors.length) throw new ValidationError('The period is invalid.', errors);
  if (b < a) throw new ValidationError('The period is invalid.', [{ field: 'to', message: 'must not be before from' }]);
  const days = (b - a) / DAY_MS + 1;
  if (days > maxDays) {
    throw new ValidationError('The period is too long.', [{ field: 'to', message: `at most ${maxDays} days` }]);
  }
  return Array.from({ length: days }, (_, i) => new Date(a + i * DAY_MS).toISOString().slice(0, 10));
}
