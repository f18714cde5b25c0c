import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, saveWithEvents, type OutboxFields, type SaveResult } from '@aftersales/messaging';
import type { Repair } from '../domain/repair';
import type { PickupReceipt } from '../domain/pickup-receipt';

/** Collections of the repair-shop database. */
export const REPAIRS = 'repairs';
export const RECEIPTS = 'pickup_receipts';
/**
 * The outbox of the repairs: one insert-only document per event, _id = the event's (deterministic) id.
 * Kept off the repair documents because FerretDB 1.24 applies every update as read → modify → write the
 * whole document back, with no version check in SQL: the relay clearing a repair's outbox could undo a
 * clerk's or technician's save made in between. Nobody but the relay ever updates these documents, and an
 * insert on a unique _id IS atomic there (PostgreSQL unique index), so each fact is written once.
 */
export const REPAIR_EVENTS = 'repair_events';
/** Cancellations seen, so a taken-to-shop event arriving after its call's cancellation is still flagged. */
export const CANCELLED_CALLS = 'cancelled_calls';

type RepairDoc = Document & { _id: string } & Partial<OutboxFields>;
type ReceiptDoc = Document & { _id: string; version: number };

export interface Loaded<T> {
  value: T;
  version: number;
}

/** Top-level fields that may be absent: stored as null so that a $set can clear them. */
const OPTIONAL_REPAIR_FIELDS = [
  'checkIn',
  'scheduledFor',
  'dueAt',
  'completedBy',
  'completedAt',
  'verifiedBy',
  'verifiedAt',
  'returned',
  'returnWithoutRepair',
] as const;

/** WriteConflict (112): MongoDB, or a FerretDB that refuses a lost update, says a concurrent write won. */
const isWriteConflict = (err: unknown): boolean => (err as { code?: number } | undefined)?.code === 112;

const OUTBOX_KEYS = new Set(['_id', 'version', 'outbox', 'outboxPending', 'processed']);

function repairToFields(repair: Repair): Document {
  const fields: Document = { ...repair };
  for (const key of OPTIONAL_REPAIR_FIELDS) fields[key] = repair[key] ?? null;
  return fields;
}

function repairFromDoc(doc: Document): Repair {
  const repair: Document = {};
  for (const [key, value] of Object.entries(doc)) {
    if (OUTBOX_KEYS.has(key) || value === null) continue;
    repair[key] = value;
  }
  return repair as Repair;
}

function receiptFromDoc(doc: ReceiptDoc): PickupReceipt {
  const { _id, version: _v, voidedAt, ...rest } = doc;
  return { ...(rest as Omit<PickupReceipt, 'receiptNo'>), receiptNo: _id, ...(voidedAt ? { voidedAt } : {}) };
}

/**
 * The repair-shop store on the native driver (FerretDB-safe: single-document atomic writes, equality
 * filters for the hot queries). Repairs are outbox aggregates: their events are written with them.
 */
@Injectable()
export class ShopStore implements OnApplicationBootstrap {
  private readonly logger = new Logger('ShopStore');

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection(REPAIR_EVENTS));
  }

  /** Indexes for the register, the scheduler and the director's list; best effort once connected. */
  onApplicationBootstrap(): void {
    this.connection
      .asPromise()
      .then(async () => {
        await this.repairs.createIndex({ branchId: 1, 'checkIn.checkInDate': 1 });
        await this.repairs.createIndex({ overdueArmed: 1 });
        await this.repairs.createIndex({ branchId: 1, overdue: 1 });
      })
      .catch((err: Error) => this.logger.warn(`could not create indexes: ${err.message}`));
  }

  private get repairs(): Collection<RepairDoc> {
    return this.connection.db!.collection<RepairDoc>(REPAIRS);
  }
  private get events(): Collection<Document & { _id: string }> {
    return this.connection.db!.collection<Document & { _id: string }>(REPAIR_EVENTS);
  }
  private get receipts(): Collection<ReceiptDoc> {
    return this.connection.db!.collection<ReceiptDoc>(RECEIPTS);
  }
  private get cancellations(): Collection<Document & { _id: string }> {
    return this.connection.db!.collection<Document & { _id: string }>(CANCELLED_CALLS);
  }

  /** Publish soon what was just saved. */
  kick(): void {
    this.outbox.kick();
  }

  // ---- repairs -----------------------------------------------------------------------------------

  async findRepair(callId: string): Promise<Loaded<Repair> | null> {
    const doc = await this.repairs.findOne({ _id: callId });
    return doc ? { value: repairFromDoc(doc), version: doc.version as number } : null;
  }

  /** Opens a repair (raises no event). A second insert of the same callId is a duplicate. */
  insertRepair(repair: Repair, causedBy?: string): Promise<'saved' | 'duplicate'> {
    return insertWithEvents(this.repairs, { _id: repair.callId, ...repairToFields(repair) }, [], { causedBy });
  }

  /**
   * Saves a change: first its events (each once: a duplicate id means this fact was already written, by
   * an earlier attempt or another replica), then the state, guarded by its version. Events first, so a
   * crash in between is repaired by retrying the command (same fact, same id) rather than losing the
   * event. Returns the state save's result and how many events were new.
   */
  async saveRepair(
    repair: Repair,
    expectedVersion: number,
    events: CloudEvent[],
    causedBy?: string,
  ): Promise<{ result: SaveResult; newEvents: number }> {
    let newEvents = 0;
    for (const event of events) {
      const doc = { _id: event.id, type: event.type, callId: repair.callId, branchId: repair.branchId };
      if ((await insertWithEvents(this.events, doc, [event])) === 'saved') newEvents++;
    }
    const result = await saveWithEvents(this.repairs, repair.callId, expectedVersion, repairToFields(repair), [], {
      causedBy,
    });
    return { result, newEvents };
  }

  /** Events written for a repair (whether relayed yet or not), oldest first. */
  async eventsOf(callId: string): Promise<Array<{ id: string; type: string }>> {
    const docs = await this.events.find({ callId }, { projection: { type: 1 } }).toArray();
    return docs.map((d) => ({ id: d._id, type: String(d.type) }));
  }

  /** [14] Repairs whose overdue check is armed and due by `now`. */
  async findDue(now: Date, limit = 500): Promise<Array<Loaded<Repair>>> {
    const docs = await this.repairs
      .find({ overdueArmed: true, dueAt: { $lte: now } }, { limit, sort: { dueAt: 1 } })
      .toArray();
    return docs.map((doc) => ({ value: repairFromDoc(doc), version: doc.version as number }));
  }

  /** [14] The director's list: repairs of a branch currently overdue. */
  async listOverdue(branchId: string): Promise<Repair[]> {
    const docs = await this.repairs.find({ branchId, overdue: true }, { sort: { dueAt: 1 } }).toArray();
    return docs.map(repairFromDoc);
  }

  /** [11][12] The in/out register of a branch: products checked in between two local dates, inclusive. */
  async listRegister(
    branchId: string,
    from: string,
    to: string,
    skip: number,
    limit: number,
  ): Promise<{ items: Repair[]; total: number }> {
    const filter = { branchId, 'checkIn.checkInDate': { $gte: from, $lte: to } };
    const [docs, total] = await Promise.all([
      this.repairs.find(filter, { sort: { 'checkIn.checkedInAt': 1, _id: 1 }, skip, limit }).toArray(),
      this.repairs.countDocuments(filter),
    ]);
    return { items: docs.map(repairFromDoc), total };
  }

  // ---- pickup receipts ---------------------------------------------------------------------------

  async findReceipt(receiptNo: string): Promise<PickupReceipt | null> {
    const doc = await this.receipts.findOne({ _id: receiptNo });
    return doc ? receiptFromDoc(doc) : null;
  }

  /** A second insert of the same number is reported, never overwritten. */
  async insertReceipt(receipt: PickupReceipt): Promise<'saved' | 'duplicate'> {
    const { receiptNo, voidedAt, ...rest } = receipt;
    try {
      await this.receipts.insertOne({ _id: receiptNo, ...rest, voidedAt: voidedAt ?? null, version: 1 });
      return 'saved';
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return 'duplicate';
      throw err;
    }
  }

  /**
   * issued → voided, only from `issued` for that call: false when it was not issued or a concurrent write
   * won (the caller re-reads the receipt and decides).
   */
  async voidReceipt(receipt: PickupReceipt): Promise<boolean> {
    try {
      const result = await this.receipts.updateOne(
        { _id: receipt.receiptNo, callId: receipt.callId, status: 'issued' },
        { $set: { status: 'voided', voidedAt: receipt.voidedAt ?? null }, $inc: { version: 1 } },
      );
      return result.modifiedCount === 1;
    } catch (err) {
      if (isWriteConflict(err)) return false;
      throw err;
    }
  }

  // ---- cancellations -----------------------------------------------------------------------------

  async recordCancellation(callId: string, branchId: string, reason: string, at: Date): Promise<void> {
    await this.cancellations.updateOne({ _id: callId }, { $setOnInsert: { branchId, reason, at } }, { upsert: true });
  }

  async findCancellation(callId: string): Promise<{ reason: string } | null> {
    const doc = await this.cancellations.findOne({ _id: callId });
    return doc ? { reason: String(doc.reason) } : null;
  }
}
