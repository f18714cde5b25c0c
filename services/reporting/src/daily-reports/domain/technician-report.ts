import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';

/** [6] Category D: general administrative work, typed in by the technician. */
export const D_KINDS = ['inspection', 'parts-management', 'equipment-upkeep', 'training'] as const;
export type DKind = (typeof D_KINDS)[number];

export interface DEntry {
  kind: DKind;
  minutes: number;
  note?: string;
}

export interface Minutes {
  minutesA: number;
  minutesB: number;
  minutesC: number;
}

/**
 * [15] A technician's daily work report: A/B/C minutes come from the work recorded (visits, repair
 * cards: the projection), D entries are typed in. Submitting freezes the A/B/C figures as they are then.
 */
export interface TechnicianReport {
  branchId: string;
  businessDate: string;
  technicianId: string;
  state: 'draft' | 'submitted';
  dEntries: DEntry[];
  /** A/B/C minutes frozen at submission. */
  submitted?: Minutes & { at: string };
}

const DAY_MINUTES = 24 * 60;

export const newTechnicianReport = (
  branchId: string,
  businessDate: string,
  technicianId: string,
): TechnicianReport => ({
  branchId,
  businessDate,
  technicianId,
  state: 'draft',
  dEntries: [],
});

export function addDEntry(report: TechnicianReport, entry: DEntry, recorded: Minutes): TechnicianReport {
  if (report.state !== 'draft')
    throw new ConflictError('the daily report was submitted: D time can no longer be added');
  const total = recorded.minutesA + recorded.minutesB + recorded.minutesC + sumD(report.dEntries) + entry.minutes;
  if (total > DAY_MINUTES) {
    throw new ValidationError('A day has 1440 minutes.', [
      { field: 'minutes', message: `the day would total ${total} minutes` },
    ]);
  }
  return { ...report, dEntries: [...report.dEntries, entry] };
}

export function submitTechnicianReport(report: TechnicianReport, recorded: Minutes, at: Date): TechnicianReport {
  if (report.state !== 'draft') throw new ConflictError('the daily report is already submitted');
  return { ...report, state: 'submitted', submitted: { ...recorded, at: at.toISOString() } };
}

export const sumD = (entries: readonly DEntry[]): number => entries.reduce((s, e) => s + e.minutes, 0);

/** What the report shows: frozen figures once submitted, the live projection before. */
export const reportMinutes = (report: TechnicianReport | undefined, live: Minutes): Minutes & { minutesD: number } => {
  const abc = report?.submitted ?? live;
  return {
    minutesA: abc.minutesA,
    minutesB: abc.minutesB,
    minutesC: abc.minutesC,
    minutesD: sumD(report?.dEntries ?? []),
  };
};
