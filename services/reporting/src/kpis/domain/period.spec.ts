import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { datesOf } from './period';

describe('datesOf', () => {
  it('lists every date of the period inclusively, across a month end and a DST change', () => {
    expect(datesOf('2026-03-28', '2026-04-02', 366)).toEqual([
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
    ]);
    expect(datesOf('2026-03-02', '2026-03-02', 1)).toEqual(['2026-03-02']);
  });

  it('rejects bad dates, reversed and too long periods naming the field', () => {
    expect(() => datesOf('2026-3-2', '2026-03-02', 10)).toThrow(ValidationError);
    expect(() => datesOf('2026-03-05', '2026-03-02', 10)).toThrow(/invalid/);
    expect(() => datesOf('2026-01-01', '2026-12-31', 366)).not.toThrow();
    try {
      datesOf('2026-01-01', '2027-01-02', 366); // 367 days
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect((err as ValidationError).errors).toEqual([{ field: 'to', message: 'at most 366 days' }]);
    }
  });
});
