import { DateTime } from 'luxon';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** What a calendar needs of a branch (structurally the branch directory's Branch). */
export interface WorkingTime {
  /** IANA zone, e.g. Europe/Madrid. */
  timezone: string;
  /** Local "HH:MM"–"HH:MM" intervals per weekday; a day with none is closed. */
  businessHours: Record<Weekday, Array<{ from: string; to: string }>>;
  /** Local dates (YYYY-MM-DD) the branch is closed. */
  holidays: string[];
}

const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** No branch is closed this long; past it the calendar must be wrong (e.g. no business hours at all). */
const MAX_DAYS = 3 * 366;
const MINUTE = 60_000;

/**
 * Working time of one branch: its business hours in its own time zone, minus holidays. Instants in and
 * out are `Date`s (UTC); every day boundary and opening hour is computed in the branch's zone with luxon,
 * so DST changes are handled by the zone rules, never by fixed offsets.
 */
export class BranchCalendar {
  private readonly holidays: Set<string>;

  constructor(private readonly time: WorkingTime) {
    if (!DateTime.local().setZone(time.timezone).isValid) throw new Error(`unknown time zone ${time.timezone}`);
    if (WEEKDAYS.every((d) => (time.businessHours[d] ?? []).length === 0))
      throw new Error('no business hours on any day');
    this.holidays = new Set(time.holidays);
  }

  /** The branch-local date (YYYY-MM-DD) of an instant. */
  businessDate(at: Date): string {
    return this.local(at).toISODate()!;
  }

  isWorkingDay(date: string): boolean {
    return this.intervals(date).length > 0;
  }

  /** Opening intervals of a local date as instants, in order; none on closed days and holidays. */
  intervals(date: string): Array<{ start: Date; end: Date }> {
    if (this.holidays.has(date)) return [];
    const day = DateTime.fromISO(date, { zone: this.time.timezone });
    const weekday = WEEKDAYS[day.weekday - 1];
    return (this.time.businessHours[weekday] ?? []).map(({ from, to }) => ({
      start: DateTime.fromISO(`${date}T${from}`, { zone: this.time.timezone }).toJSDate(),
      end: DateTime.fromISO(`${date}T${to}`, { zone: this.time.timezone }).toJSDate(),
    }));
  }

  /** Closing time of a working date (end of its last interval); undefined on closed days. */
  endOfBusinessDay(date: string): Date | undefined {
    return this.intervals(date).at(-1)?.end;
  }

  /** The next working date after `date`. */
  nextWorkingDay(date: string): string {
    let day = DateTime.fromISO(date, { zone: this.time.timezone });
    for (let i = 0; i < MAX_DAYS; i++) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day.toISODate()!)) return day.toISODate()!;
    }
    throw new Error('no working day within three years');
  }

  /** Working minutes between two instants (0 if `to` is not after `from`). */
  workingMinutesBetween(from: Date, to: Date): number {
    let total = 0;
    for (let day = this.local(from).startOf('day'); day.toJSDate() < to; day = day.plus({ days: 1 })) {
      for (const { start, end } of this.intervals(day.toISODate()!)) {
        const a = Math.max(start.getTime(), from.getTime());
        const b = Math.min(end.getTime(), to.getTime());
        if (b > a) total += b - a;
      }
    }
    return Math.floor(total / MINUTE);
  }

  /** The instant `minutes` working minutes after `from` (a start outside hours counts from the next opening). */
  addWorkingMinutes(from: Date, minutes: number): Date {
    let remaining = minutes * MINUTE;
    let day = this.local(from).startOf('day');
    for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
      for (const { start, end } of this.intervals(day.toISODate()!)) {
        const begin = Math.max(start.getTime(), from.getTime());
        if (end.getTime() <= begin) continue;
        if (remaining <= end.getTime() - begin) return new Date(begin + remaining);
        remaining -= end.getTime() - begin;
      }
    }
    throw new Error('no working time within three years');
  }

  private local(at: Date): DateTime {
    return DateTime.fromJSDate(at, { zone: this.time.timezone });
  }
}
