import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { assertMonth, averages, monthIsOver, monthOf, previousMonth } from './evaluation';

describe('[23] monthly evaluation rules', () => {
  it('counts an answer in the branch-local month', () => {
    expect(monthOf(new Date('2026-03-31T21:59:59Z'), 'Europe/Madrid')).toBe('2026-03');
    expect(monthOf(new Date('2026-03-31T22:00:00Z'), 'Europe/Madrid')).toBe('2026-04'); // 00:00 CEST
    expect(monthOf(new Date('2026-01-31T23:00:00Z'), 'Europe/Madrid')).toBe('2026-02'); // 00:00 CET
  });

  it('averages to two decimals, none without surveys', () => {
    expect(averages({ attitude: 11, skill: 8, arrivalTime: 5, promiseKeeping: 11 }, 3)).toEqual({
      attitude: 3.67,
      skill: 2.67,
      arrivalTime: 1.67,
      promiseKeeping: 3.67,
    });
    expect(averages({ attitude: 5, skill: 7, arrivalTime: 4, promiseKeeping: 8 }, 2)).toEqual({
      attitude: 2.5,
      skill: 3.5,
      arrivalTime: 2,
      promiseKeeping: 4,
    });
    expect(averages({ attitude: 0, skill: 0, arrivalTime: 0, promiseKeeping: 0 }, 0)).toBeUndefined();
  });

  it('knows when a month is over in every branch zone', () => {
    const zones = ['Europe/Madrid', 'America/New_York'];
    expect(monthIsOver('2026-03', zones, new Date('2026-03-31T22:00:00Z'))).toBe(false); // Madrid yes, NY no
    expect(monthIsOver('2026-03', zones, new Date('2026-04-01T04:00:00Z'))).toBe(true);
    expect(monthIsOver('2026-12', ['Europe/Madrid'], new Date('2026-12-31T23:00:00Z'))).toBe(true);
    expect(previousMonth(new Date('2026-01-15T00:00:00Z'))).toBe('2025-12');
    expect(() => assertMonth('2026-13')).toThrow(ValidationError);
  });
});
