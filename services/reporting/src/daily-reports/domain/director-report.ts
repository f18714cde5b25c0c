import { ConflictError } from '@aftersales/service-kit/domain-errors';

/** [17] draft → submitted → signed → received; a signed report never changes (a correction is a new revision). */
export type DirectorReportState = 'draft' | 'submitted' | 'signed' | 'received';

/** [16] Categories and time per person on the report's day. */
export interface PersonTime {
  personId: string;
  name: string;
  minutesA: number;
  minutesB: number;
  minutesC: number;
  minutesD: number;
}

export interface DirectorReport {
  branchId: string;
  businessDate: string;
  revision: number;
  state: DirectorReportState;
  people: PersonTime[];
  submittedBy?: string;
  submittedAt?: string;
  signedBy?: string;
  signedAt?: string;
  receivedBy?: string;
  receivedAt?: string;
}

export const newDirectorReport = (
  branchId: string,
  businessDate: string,
  revision: number,
  people: PersonTime[],
): DirectorReport => ({ branchId, businessDate, revision, state: 'draft', people });

function requireState(report: DirectorReport, state: DirectorReportState, action: string): void {
  if (report.state !== state) {
    throw new ConflictError(
      `cannot ${action} a ${report.state} report (revision ${report.revision}): it must be ${state}`,
    );
  }
}

/** The director rebuilds the draft from the technicians' reports as they are now. */
export function refreshDraft(report: DirectorReport, people: PersonTime[]): DirectorReport {
  requireState(report, 'draft', 'rebuild');
  return { ...report, people };
}

/** [16] The director submits it to the branch manager, with the figures as they are at that moment. */
export function submitDirectorReport(
  report: DirectorReport,
  people: PersonTime[],
  by: string,
  at: Date,
): DirectorReport {
  requireState(report, 'draft', 'submit');
  return { ...report, people, state: 'submitted', submittedBy: by, submittedAt: at.toISOString() };
}

/** [17] The branch manager verifies and signs it; from now on it is immutable. */
export function signDirectorReport(report: DirectorReport, by: string, at: Date): DirectorReport {
  requireState(report, 'submitted', 'sign');
  return { ...report, state: 'signed', signedBy: by, signedAt: at.toISOString() };
}

/** [17] The head-office service department receives the signed report. */
export function receiveDirectorReport(report: DirectorReport, by: string, at: Date): DirectorReport {
  requireState(report, 'signed', 'receive');
  return { ...report, state: 'received', receivedBy: by, receivedAt: at.toISOString() };
}

/** A correction of a signed (or received) report: a new draft revision; the signed one stays as it was. */
export function reviseDirectorReport(report: DirectorReport, people: PersonTime[]): DirectorReport {
  if (report.state !== 'signed' && report.state !== 'received') {
    throw new ConflictError(
      `a ${report.state} report is corrected in place: only a signed report needs a new revision`,
    );
  }
  return newDirectorReport(report.branchId, report.businessDate, report.revision + 1, people);
}
