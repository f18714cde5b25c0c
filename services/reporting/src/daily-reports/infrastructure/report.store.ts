import { Injectable } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { CloudEvent } from '@aftersales/contracts';
import {
  insertWithEvents,
  isWriteConflict,
  Outbox,
  saveWithEvents,
  type OutboxFields,
  type SaveResult,
} from '@aftersales/messaging';
import { ReadModelStore } from '../../kpis/infrastructure/read-model.store';
import type { DirectorReport } from '../domain/director-report';
import type { TechnicianReport } from '../domain/technician-report';

export const TECHNICIAN_REPORTS = 'technician_reports';
export const DIRECTOR_REPORTS = 'director_reports';

export type DirectorReportDoc = DirectorReport & OutboxFields & { _id: string };
export type TechnicianReportDoc = TechnicianReport & { _id: string; version: number };

export const directorReportId = (branchId: string, date: string, revision: number): string =>
  `${branchId}|${date}|r${revision}`;
export const technicianReportId = (branchId: string, date: string, technicianId: string): string =>
  `${branchId}|${date}|${technicianId}`;

/**
 * The reports people write. Not read models: a rebuild never touches them. Director reports are
 * aggregates with the single-document outbox (the signed/received events leave with the state change).
 */
@Injectable()
export class ReportStore {
  constructor(
    private readonly store: ReadModelStore,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.safe(DIRECTOR_REPORTS));
  }

  private safe(name: string): Collection<Document> | undefined {
    try {
      return this.store.collection(name);
    } catch {
      return undefined; // not connected yet: the relay asks again
    }
  }

  private get directors(): Collection<DirectorReportDoc> {
    return this.store.collection<DirectorReportDoc>(DIRECTOR_REPORTS);
  }
  private get technicians(): Collection<TechnicianReportDoc> {
    return this.store.collection<TechnicianReportDoc>(TECHNICIAN_REPORTS);
  }

  /** Every revision of a branch's day, newest first (equality keys; a handful of documents). */
  async directorRevisions(branchId: string, businessDate: string): Promise<DirectorReportDoc[]> {
    const docs = await this.directors.find({ branchId, businessDate }).toArray();
    return docs.sort((a, b) => b.revision - a.revision);
  }

  /** The branch's reports, every date and revision (a year is a few hundred small documents). */
  async directorReportsOf(branchId: string): Promise<DirectorReportDoc[]> {
    return this.directors.find({ branchId }, { projection: { outbox: 0, processed: 0 } }).toArray();
  }

  async insertDirectorReport(report: DirectorReport): Promise<'saved' | 'duplicate'> {
    const _id = directorReportId(report.branchId, report.businessDate, report.revision);
    return insertWithEvents(this.directors, { _id, ...report } as DirectorReportDoc, []);
  }

  async saveDirectorReport(doc: DirectorReportDoc, next: DirectorReport, events: CloudEvent[]): Promise<SaveResult> {
    const result = await saveWithEvents(
      this.directors,
      doc._id,
      doc.version,
      next as Partial<DirectorReportDoc>,
      events,
    );
    if (result === 'saved' && events.length) this.outbox.kick();
    return result;
  }

  async technicianReport(branchId: string, date: string, technicianId: string): Promise<TechnicianReportDoc | null> {
    return this.technicians.findOne({ _id: technicianReportId(branchId, date, technicianId) });
  }

  async technicianReportsOf(branchId: string, businessDate: string): Promise<TechnicianReportDoc[]> {
    return this.technicians.find({ branchId, businessDate }).toArray();
  }

  /** Optimistic save: insert at version 1, else update the version that was loaded. */
  async saveTechnicianReport(report: TechnicianReport, loadedVersion: number | undefined): Promise<boolean> {
    const _id = technicianReportId(report.branchId, report.businessDate, report.technicianId);
    if (loadedVersion === undefined) {
      try {
        await this.technicians.insertOne({ _id, ...report, version: 1 });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    }
    try {
      const { matchedCount } = await this.technicians.updateOne(
        { _id, version: loadedVersion },
        { $set: { ...report, version: loadedVersion + 1 } },
      );
      return matchedCount === 1;
    } catch (err) {
      if (isWriteConflict(err)) return false; // someone saved first: reload and decide again
      throw err;
    }
  }
}
