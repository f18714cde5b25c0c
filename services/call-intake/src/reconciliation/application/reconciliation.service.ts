import { retryOnWriteConflict } from '@aftersales/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { BranchCalendar } from '@aftersales/calendar';
import { BranchDirectory } from '@aftersales/service-kit';
import { ConflictError, NotFoundError } from '@aftersales/service-kit/domain-errors';
import { CallStore } from '../../calls/application/call-store';
import type { CallStatus } from '../../calls/domain/call';
import { CallRepository } from '../../calls/infrastructure/call.repository';
import { Clock } from '../../shared/clock';

export interface OutstandingVoucher {
  callId: string;
  callNumber: string;
  voucherNo: string;
  status: CallStatus;
  businessDate: string;
}

export interface ReconciliationReport {
  id: string;
  branchId: string;
  businessDate: string;
  /** End of the branch's business day: calls received before it are reconciled. */
  cutoff: string;
  /** [18] Next working day: carried-over calls go to the director first thing then. */
  dueFor: string;
  /** Calls carried over for this date (over every run). */
  carriedOver: Array<{ callId: string; callNumber: string }>;
  /** Vouchers not yet logged out (calls neither closed nor cancelled) at the last run. */
  outstandingVouchers: OutstandingVoucher[];
  runs: number;
  firstRunAt: string;
  lastRunAt: string;
  lastRunBy: string;
}

type ReportDoc = Omit<ReconciliationReport, 'id'> & { _id: string };
const toReport = ({ _id, ...rest }: ReportDoc): ReconciliationReport => ({ id: _id, ...rest });

/** How far back the scheduler looks for a working day whose reconciliation never ran (e.g. service was down). */
const LOOKBACK_DAYS = 7;

/**
 * [18] Daily reconciliation of vouchers against the call log, per branch and business date. Every call
 * received before the end of that business day (that day or carried from before) and still not dispatched
 * is carried over with high priority — `intake.call.carried-over.v1` once per call per date, guarded by the
 * call's version, so re-runs and replicas raise nothing twice. The report (document `${branchId}:${date}`)
 * is rewritten by each run and lists the vouchers not yet logged out.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly calls: CallRepository,
    private readonly store: CallStore,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  private get reports(): Collection<ReportDoc> {
    return this.connection.db!.collection<ReportDoc>('reconciliations');
  }

  async run(
    branchId: string,
    businessDate: string,
    by: string,
    now: Date = this.clock.now(),
  ): Promise<ReconciliationReport> {
    const calendar = new BranchCalendar(this.branches.get(branchId));
    const cutoff = calendar.endOfBusinessDay(businessDate);
    if (!cutoff) {
      throw new ConflictError(`${branchId} is closed on ${businessDate} (weekend or holiday): nothing to reconcile`);
    }
    if (now < cutoff) {
      throw new ConflictError(`the business day ${businessDate} of ${branchId} ends at ${cutoff.toISOString()}`);
    }
    const dueFor = calendar.nextWorkingDay(businessDate);
    const before = (receivedAt: string) => receivedAt < cutoff.toISOString();

    const waiting = await this.calls.collection
      .find({ branchId, status: 'registered' }, { projection: { _id: 1, receivedAt: 1 } })
      .toArray();
    const carried: Array<{ callId: string; callNumber: string }> = [];
    for (const doc of waiting.filter((d) => before(d.receivedAt))) {
      const { call } = await this.store.update(doc._id, (c) => c.carryOver(businessDate, dueFor, now));
      if (call.props.carriedOver.some((c) => c.businessDate === businessDate)) {
        carried.push({ callId: call.id, callNumber: call.props.callNumber });
      }
    }

    const open = await this.calls.collection
      .find(
        { branchId, open: true },
        { projection: { _id: 1, callNumber: 1, voucherNo: 1, status: 1, businessDate: 1, receivedAt: 1, seq: 1 } },
      )
      .sort({ seq: 1 })
      .toArray();
    const outstandingVouchers = open
      .filter((d) => before(d.receivedAt))
      .map((d) => ({
        callId: d._id,
        callNumber: d.callNumber,
        voucherNo: d.voucherNo,
        status: d.status,
        businessDate: d.businessDate,
      }));

    const id = `${branchId}:${businessDate}`;
    const at = now.toISOString();
    // $addToSet: a call carried by an earlier or a racing run is listed once, and runs racing on the
    // same report never drop each other's entries (a lost write race is simply written again).
    await retryOnWriteConflict(
      () =>
        this.reports.updateOne(
          { _id: id },
          {
            $set: {
              branchId,
              businessDate,
              cutoff: cutoff.toISOString(),
              dueFor,
              outstandingVouchers,
              lastRunAt: at,
              lastRunBy: by,
            },
            $setOnInsert: { firstRunAt: at },
            $addToSet: { carriedOver: { $each: carried } },
            $inc: { runs: 1 },
          },
          { upsert: true },
        ),
      { upsert: true },
    );
    this.logger.log({
      msg: 'reconciled',
      branchId,
      businessDate,
      carried: carried.length,
      outstanding: outstandingVouchers.length,
    });
    return toReport((await this.reports.findOne({ _id: id }))!);
  }

  async report(branchId: string, businessDate: string): Promise<ReconciliationReport> {
    const doc = await this.reports.findOne({ _id: `${branchId}:${businessDate}` });
    if (!doc) throw new NotFoundError(`no reconciliation of ${branchId} for ${businessDate}`);
    return toReport(doc);
  }

  /**
   * Scheduled: for each branch, every recent working day whose end has passed and that has no report yet
   * (normally just today, at closing time). Returns the reports written.
   */
  async runDue(now: Date = this.clock.now()): Promise<ReconciliationReport[]> {
    const done: ReconciliationReport[] = [];
    for (const branch of this.branches.all()) {
      const calendar = new BranchCalendar(branch);
      const today = calendar.businessDate(now);
      const dates: string[] = [];
      for (let i = 0, d = new Date(now); i <= LOOKBACK_DAYS; i++, d = new Date(d.getTime() - 86_400_000)) {
        const date = calendar.businessDate(d);
        if (date <= today && !dates.includes(date)) dates.push(date);
      }
      for (const date of dates.reverse()) {
        const end = calendar.endOfBusinessDay(date);
        if (!end || end > now) continue;
        if (await this.reports.countDocuments({ _id: `${branch.id}:${date}` }, { limit: 1 })) continue;
        done.push(await this.run(branch.id, date, 'scheduler', now));
      }
    }
    return done;
  }
}
