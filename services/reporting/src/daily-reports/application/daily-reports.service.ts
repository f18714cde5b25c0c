import { Injectable } from '@nestjs/common';
import { DirectorReportReceivedV1, DirectorReportSignedV1, eventMeta, type CloudEvent } from '@aftersales/contracts';
import { eventSource } from '@aftersales/messaging';
import { assertBranchAccess, BranchDirectory, type AuthUser } from '@aftersales/service-kit';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@aftersales/service-kit/domain-errors';
import { ReadModelStore } from '../../kpis/infrastructure/read-model.store';
import { Clock } from '../../shared/clock';
import {
  DirectorReport,
  newDirectorReport,
  PersonTime,
  receiveDirectorReport,
  refreshDraft,
  reviseDirectorReport,
  signDirectorReport,
  submitDirectorReport,
} from '../domain/director-report';
import {
  addDEntry,
  DEntry,
  Minutes,
  newTechnicianReport,
  reportMinutes,
  submitTechnicianReport,
  TechnicianReport,
} from '../domain/technician-report';
import { DirectorReportDoc, ReportStore, TechnicianReportDoc } from '../infrastructure/report.store';

const SOURCE = eventSource('reporting');
const ATTEMPTS = 3;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface TechnicianReportView extends TechnicianReport {
  minutesA: number;
  minutesB: number;
  minutesC: number;
  minutesD: number;
}
export type DirectorReportView = DirectorReport;

const toTechnicianReport = (doc: TechnicianReportDoc): TechnicianReport => {
  const { _id, version, ...report } = doc;
  void _id;
  void version;
  return report;
};
const toDirectorReport = (doc: DirectorReportDoc): DirectorReport => {
  const { _id, version, outbox, outboxPending, processed, ...report } = doc;
  void [_id, version, outbox, outboxPending, processed];
  return report;
};

@Injectable()
export class DailyReports {
  constructor(
    private readonly reports: ReportStore,
    private readonly readModels: ReadModelStore,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  // ---- technician daily report [15] ----

  async technicianReport(
    user: AuthUser,
    branchId: string,
    date: string,
    technicianId: string,
  ): Promise<TechnicianReportView> {
    this.checkDay(user, branchId, date);
    if (user.roles.length === 1 && user.roles[0] === 'technician') this.assertOwn(user, technicianId);
    const doc = await this.reports.technicianReport(branchId, date, technicianId);
    const report = doc ? toTechnicianReport(doc) : newTechnicianReport(branchId, date, technicianId);
    return { ...report, ...reportMinutes(report, await this.recorded(branchId, date, technicianId)) };
  }

  /** [15] D time typed by the technician, on their own report only. */
  async addD(user: AuthUser, branchId: string, date: string, technicianId: string, entry: DEntry) {
    return this.changeTechnicianReport(user, branchId, date, technicianId, (report, recorded) =>
      addDEntry(report, entry, recorded),
    );
  }

  async submitTechnicianReport(user: AuthUser, branchId: string, date: string, technicianId: string) {
    return this.changeTechnicianReport(user, branchId, date, technicianId, (report, recorded) =>
      submitTechnicianReport(report, recorded, this.clock.now()),
    );
  }

  private async changeTechnicianReport(
    user: AuthUser,
    branchId: string,
    date: string,
    technicianId: string,
    change: (report: TechnicianReport, recorded: Minutes) => TechnicianReport,
  ): Promise<TechnicianReportView> {
    this.checkDay(user, branchId, date);
    this.assertOwn(user, technicianId);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const doc = await this.reports.technicianReport(branchId, date, technicianId);
      const recorded = await this.recorded(branchId, date, technicianId);
      const next = change(doc ? toTechnicianReport(doc) : newTechnicianReport(branchId, date, technicianId), recorded);
      if (await this.reports.saveTechnicianReport(next, doc?.version))
        return { ...next, ...reportMinutes(next, recorded) };
    }
    throw new ConflictError('the report changed meanwhile; try again');
  }

  // ---- director daily report [16][17] ----

  async currentDirectorReport(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    this.checkDay(user, branchId, date);
    const [current] = await this.reports.directorRevisions(branchId, date);
    if (!current) throw new NotFoundError(`no director report for ${branchId} on ${date}`);
    return toDirectorReport(current);
  }

  /** [16] The director drafts (or rebuilds the draft of) the day's report from the technicians' reports. */
  async draft(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    this.checkDay(user, branchId, date);
    const people = await this.people(branchId, date);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [current] = await this.reports.directorRevisions(branchId, date);
      if (!current) {
        const report = newDirectorReport(branchId, date, 1, people);
        if ((await this.reports.insertDirectorReport(report)) === 'saved') return report;
        continue;
      }
      const next = refreshDraft(toDirectorReport(current), people);
      if ((await this.reports.saveDirectorReport(current, next, [])) === 'saved') return next;
    }
    throw new ConflictError('the report changed meanwhile; try again');
  }

  async submit(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    const people = await this.people(branchId, date);
    return this.transition(user, branchId, date, (r) => ({
      next: submitDirectorReport(r, people, user.sub, this.clock.now()),
      events: [],
    }));
  }

  /** [17] Verified and signed by the manager of THAT branch (assertBranchAccess: another branch's → 403). */
  async sign(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    return this.transition(user, branchId, date, (r) => {
      const next = signDirectorReport(r, user.sub, this.clock.now());
      const signed = DirectorReportSignedV1.create(
        { branchId, businessDate: date, signedBy: user.sub, signedAt: next.signedAt! },
        eventMeta(SOURCE, `${branchId}|${date}`),
      );
      return { next, events: [signed] };
    });
  }

  /** [17] Received by the head-office service department. */
  async receive(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    return this.transition(user, branchId, date, (r) => {
      const next = receiveDirectorReport(r, user.sub, this.clock.now());
      const received = DirectorReportReceivedV1.create(
        { branchId, businessDate: date, signedBy: r.signedBy!, receivedBy: user.sub, receivedAt: next.receivedAt! },
        eventMeta(SOURCE, `${branchId}|${date}`),
      );
      return { next, events: [received] };
    });
  }

  /** A correction of a signed report: a new draft revision, the signed one untouched. */
  async revise(user: AuthUser, branchId: string, date: string): Promise<DirectorReportView> {
    this.checkDay(user, branchId, date);
    const people = await this.people(branchId, date);
    const [current] = await this.reports.directorRevisions(branchId, date);
    if (!current) throw new NotFoundError(`no director report for ${branchId} on ${date}`);
    const next = reviseDirectorReport(toDirectorReport(current), people);
    if ((await this.reports.insertDirectorReport(next)) !== 'saved') {
      throw new ConflictError(`revision ${next.revision} already exists`);
    }
    return next;
  }

  async list(
    user: AuthUser,
    branchId: string,
    businessDate: string | undefined,
    pageSize: number,
    pageToken: string | undefined,
  ): Promise<{ reports: DirectorReportView[]; nextPageToken: string }> {
    assertBranchAccess(user, branchId);
    this.branches.get(branchId);
    const size = Math.min(pageSize > 0 ? pageSize : 50, 200);
    const offset = pageToken ? Number.parseInt(Buffer.from(pageToken, 'base64url').toString(), 10) : 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new ValidationError('The page token is invalid.', [
        { field: 'pageToken', message: 'not a token of this API' },
      ]);
    }
    const docs = businessDate
      ? await this.reports.directorRevisions(branchId, businessDate)
      : await this.reports.directorReportsOf(branchId);
    // The current (highest) revision of each date, newest date first.
    const latest = new Map<string, DirectorReportDoc>();
    for (const doc of docs) {
      const seen = latest.get(doc.businessDate);
      if (!seen || seen.revision < doc.revision) latest.set(doc.businessDate, doc);
    }
    const all = [...latest.values()].sort((a, b) => b.businessDate.localeCompare(a.businessDate)).map(toDirectorReport);
    const page = all.slice(offset, offset + size);
    const more = offset + size < all.length;
    return { reports: page, nextPageToken: more ? Buffer.from(String(offset + size)).toString('base64url') : '' };
  }

  private async transition(
    user: AuthUser,
    branchId: string,
    date: string,
    decide: (report: DirectorReport) => { next: DirectorReport; events: CloudEvent[] },
  ): Promise<DirectorReportView> {
    this.checkDay(user, branchId, date);
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const [current] = await this.reports.directorRevisions(branchId, date);
      if (!current) throw new NotFoundError(`no director report for ${branchId} on ${date}`);
      const { next, events } = decide(toDirectorReport(current));
      if ((await this.reports.saveDirectorReport(current, next, events)) === 'saved') return next;
    }
    throw new ConflictError('the report changed meanwhile; try again');
  }

  /** [16] Categories and time per person: every technician with recorded work or a report that day. */
  private async people(branchId: string, date: string): Promise<PersonTime[]> {
    const [days, reports] = await Promise.all([
      this.readModels.technicianDaysOf(branchId, date),
      this.reports.technicianReportsOf(branchId, date),
    ]);
    const ids = [...new Set([...days.map((d) => d.technicianId), ...reports.map((r) => r.technicianId)])].sort();
    const people: PersonTime[] = [];
    for (const id of ids) {
      const day = days.find((d) => d.technicianId === id);
      const report = reports.find((r) => r.technicianId === id);
      const live = { minutesA: day?.minutesA ?? 0, minutesB: day?.minutesB ?? 0, minutesC: day?.minutesC ?? 0 };
      const technician = await this.readModels.technician(id);
      people.push({
        personId: id,
        name: technician?.name ?? id,
        ...reportMinutes(report && toTechnicianReport(report), live),
      });
    }
    return people;
  }

  private async recorded(branchId: string, date: string, technicianId: string): Promise<Minutes> {
    const day = await this.readModels.technicianDay(branchId, date, technicianId);
    return { minutesA: day?.minutesA ?? 0, minutesB: day?.minutesB ?? 0, minutesC: day?.minutesC ?? 0 };
  }

  private checkDay(user: AuthUser, branchId: string, date: string): void {
    assertBranchAccess(user, branchId);
    this.branches.get(branchId); // 404 for an unknown branch
    if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new ValidationError('The business date is invalid.', [
        { field: 'businessDate', message: 'expected YYYY-MM-DD' },
      ]);
    }
  }

  private assertOwn(user: AuthUser, technicianId: string): void {
    if (user.sub !== technicianId) throw new ForbiddenError('a technician may only write their own daily report');
  }
}
