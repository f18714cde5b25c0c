import { BranchCalendar, WorkingTime } from './index';

const nineToSix = [{ from: '09:00', to: '18:00' }];
const madrid: WorkingTime = {
  timezone: 'Europe/Madrid',
  businessHours: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  holidays: ['2026-12-08'],
};
const cal = new BranchCalendar(madrid);
const at = (iso: string) => new Date(iso);
const SIX_HOURS = 6 * 60;
const SEVEN_HOURS = 7 * 60;

describe('BranchCalendar (Europe/Madrid, Mon–Fri 09:00–18:00)', () => {
  it('[19] a call at 16:30 on Friday is due on Monday: 1h30 on Friday, 4h30 on Monday', () => {
    // Friday 2026-11-27 16:30 CET (UTC+1)
    expect(cal.addWorkingMinutes(at('2026-11-27T15:30:00Z'), SIX_HOURS).toISOString()).toBe('2026-11-30T12:30:00.000Z');
  });

  it('counts a call received at night from the next opening', () => {
    // Tuesday 20:00 local → Wednesday 09:00 + 6h = 15:00 local
    expect(cal.addWorkingMinutes(at('2026-11-24T19:00:00Z'), SIX_HOURS).toISOString()).toBe('2026-11-25T14:00:00.000Z');
  });

  it('skips holidays (suburban: 7 working hours)', () => {
    // Monday 2026-12-07 15:00 local: 3h Monday, Tuesday 8 Dec is a holiday, 4h on Wednesday → 13:00 local
    expect(cal.addWorkingMinutes(at('2026-12-07T14:00:00Z'), SEVEN_HOURS).toISOString()).toBe(
      '2026-12-09T12:00:00.000Z',
    );
  });

  it('follows the zone across a DST change (Madrid moves to UTC+2 on 2027-03-28)', () => {
    // Friday 2027-03-26 17:00 CET: 1h Friday, 5h Monday from 09:00 CEST → 14:00 CEST = 12:00Z
    expect(cal.addWorkingMinutes(at('2027-03-26T16:00:00Z'), SIX_HOURS).toISOString()).toBe('2027-03-29T12:00:00.000Z');
  });

  it('urban and suburban deadlines differ by one working hour, even across a night', () => {
    const call = at('2026-11-26T13:00:00Z'); // Thursday 14:00 local: 4h left that day
    expect(cal.addWorkingMinutes(call, SIX_HOURS).toISOString()).toBe('2026-11-27T10:00:00.000Z'); // Fri 11:00
    expect(cal.addWorkingMinutes(call, SEVEN_HOURS).toISOString()).toBe('2026-11-27T11:00:00.000Z'); // Fri 12:00
  });

  it('measures working minutes between instants, ignoring nights, weekends and holidays', () => {
    expect(cal.workingMinutesBetween(at('2026-11-27T15:30:00Z'), at('2026-11-30T12:30:00Z'))).toBe(SIX_HOURS);
    expect(cal.workingMinutesBetween(at('2026-11-28T10:00:00Z'), at('2026-11-29T10:00:00Z'))).toBe(0); // weekend
    expect(cal.workingMinutesBetween(at('2026-12-08T08:00:00Z'), at('2026-12-08T17:00:00Z'))).toBe(0); // holiday
    expect(cal.workingMinutesBetween(at('2026-11-30T12:30:00Z'), at('2026-11-27T15:30:00Z'))).toBe(0);
    for (const minutes of [1, 59, 540, 541, 2000]) {
      const from = at('2026-12-04T16:59:00Z');
      expect(cal.workingMinutesBetween(from, cal.addWorkingMinutes(from, minutes))).toBe(minutes);
    }
  });

  it('knows business dates, closing times and the next working day in local time', () => {
    expect(cal.businessDate(at('2026-11-27T23:30:00Z'))).toBe('2026-11-28'); // 00:30 local Saturday
    expect(cal.endOfBusinessDay('2026-11-27')?.toISOString()).toBe('2026-11-27T17:00:00.000Z');
    expect(cal.endOfBusinessDay('2026-11-28')).toBeUndefined();
    expect(cal.nextWorkingDay('2026-12-07')).toBe('2026-12-09');
    expect(cal.nextWorkingDay('2026-11-27')).toBe('2026-11-30');
  });

  it('rejects a calendar that could never open', () => {
    expect(() => new BranchCalendar({ ...madrid, timezone: 'Mars/Olympus' })).toThrow('unknown time zone');
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(() => new BranchCalendar({ ...madrid, businessHours: closed })).toThrow('no business hours');
  });
});
