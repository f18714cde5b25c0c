/**
 * Branch reference data as plain types, so domain code (SLA clocks, cash limits) can take them without
 * depending on zod or Nest.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export type Zone = 'urban' | 'suburban';

/** Local wall-clock interval in the branch's time zone, "HH:MM" to "HH:MM". */
export interface TimeRange {
  from: string;
  to: string;
}

export interface Branch {
  id: string;
  name: string;
  /** IANA zone, e.g. Europe/Madrid: business hours and holidays are local to it. */
  timezone: string;
  currency: string;
  /** Working intervals per weekday; a day with none is closed. [19] counts only these hours. */
  businessHours: Record<Weekday, TimeRange[]>;
  /** Local dates (YYYY-MM-DD) on which the branch is closed. */
  holidays: string[];
  /** An address whose postal code starts with one of these prefixes is suburban; otherwise urban. [19] */
  suburban: { postalCodePrefixes: string[] };
  /** Largest fee a technician may collect in cash on site, in minor units of `currency`. [10] */
  cashLimitMinor: number;
  onDuty: { managerId: string; directorId: string };
}
