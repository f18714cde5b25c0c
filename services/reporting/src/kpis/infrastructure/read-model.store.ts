import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { isWriteConflict, retryOnWriteConflict } from '@aftersales/messaging';
import type { DayCounters } from '../domain/day-counters';
import type {
  CallInfo,
  ComplaintInfo,
  InvoiceInfo,
  TechnicianEvaluation,
  TechnicianInfo,
  TechnicianMinutes,
} from '../domain/projection';
import { WriteCombiner } from './write-combiner';

/**
 * How many event keys a counter document remembers for de-duplication. An event is stored in `events` only
 * after its effects are written (see Projector.consume), and a redelivery of a stored event is skipped
 * there; the keys on the counter document only have to cover an event whose effects were written but which
 * was not stored yet (a crash in between, then the redelivery) — the events of that one document in the time
 * a restart takes. Every update rewrites the whole document, so this is kept small: with 5000 keys a busy
 * day document was ~300 KB and its updates dominated the store's work (measured: 217 MB of row versions for
 * two documents after 1,500 calls on FerretDB).
 */
export const PROCESSED_PER_DOC = 500;

export const COLLECTIONS = {
  /** Raw store of every consumed event (`_id: source|id`), the source of a rebuild. */
  events: 'events',
  /**
   * Read models (dropped and rebuilt by a replay). Day counters are partitioned by month,
   * `kpi_days_YYYY_MM`: a query for a period touches only the months it spans, so its cost stays the
   * same however many years are stored, also on FerretDB 1.24, whose equality filters (even on `_id`)
   * compile to a JSONB `@>` that its btree indexes cannot serve, i.e. scan the whole collection.
   */
  kpiDays: 'kpi_days',
  technicianDays: 'technician_days',
  calls: 'calls',
  complaints: 'complaints',
  invoices: 'invoices',
  technicians: 'technicians',
  /**
   * [23] One document per technician and month (`technicianId|YYYY-MM`). Small: a branch has a few
   * technicians, so a year of 20 branches is a few thousand documents; queried by month (equality).
   */
  technicianEvaluations: 'technician_evaluations',
} as const;

/** `kpi_days_2026_03` for any date of March 2026. */
export const kpiDaysCollection = (date: string): string =>
  `${COLLECTIONS.kpiDays}_${date.slice(0, 7).replace('-', '_')}`;
const isKpiDaysCollection = (name: string): boolean => /^kpi_days_\d{4}_\d{2}$/.test(name);

/** The read models besides the monthly day counters (not the raw events, not the reports people wrote). */
export const READ_MODELS = [
  COLLECTIONS.technicianDays,
  COLLECTIONS.calls,
  COLLECTIONS.complaints,
  COLLECTIONS.invoices,
  COLLECTIONS.technicians,
  COLLECTIONS.technicianEvaluations,
] as const;

export type KpiDayDoc = Partial<DayCounters> & {
  _id: string;
  branchId: string;
  businessDate: string;
  processed?: string[];
};
export type TechnicianDayDoc = Partial<TechnicianMinutes> & {
  _id: string;
  branchId: string;
  businessDate: string;
  technicianId: string;
  processed?: string[];
};
export interface StoredEvent {
  _id: string;
  type: string;
  time: Date;
  event: CloudEvent;
}

export const kpiDayId = (branchId: string, date: string): string => `${branchId}|${date}`;
export const technicianDayId = (branchId: string, date: string, technicianId: string): string =>
  `${branchId}|${date}|${technicianId}`;

const isDuplicateKey = (err: unknown): boolean => (err as { code?: number }).code === 11000;

interface Increment {
  name: string;
  id: string;
  onInsert: Record<string, string>;
  inc: Record<string, number>;
  key: string;
}

/** Native-driver access to reporting's read models. */
@Injectable()
export class ReadModelStore {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  collection<T extends Document>(name: string): Collection<T> {
    return this.db().collection<T>(name);
  }

  private db() {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB is not connected yet');
    return db;
  }

  /** Whether the event was applied and stored before (a redelivery). */
  async hasEvent(key: string): Promise<boolean> {
    return (await this.collection<StoredEvent>(COLLECTIONS.events).countDocuments({ _id: key }, { limit: 1 })) > 0;
  }

  /** Keeps the event for rebuilds; a second copy of the same event is ignored. */
  storeEvent(key: string, event: CloudEvent): Promise<void> {
    return this.eventWrites.submit(COLLECTIONS.events, {
      _id: key,
      type: event.type,
      time: new Date(event.time),
      event,
    });
  }

  /** Events stored together: one insert of all that arrived while the previous one was under way. */
  private readonly eventWrites = new WriteCombiner<StoredEvent, void>(async (name, docs) => {
    try {
      await this.collection<StoredEvent>(name).insertMany(docs, { ordered: false });
    } catch (err) {
      const errors = (err as { writeErrors?: unknown[] }).writeErrors;
      if (!errors?.length || !errors.every(isDuplicateKey)) throw err;
    }
    return docs.map(() => undefined);
  });

  /**
   * `$inc` applied at most once per event key: the key is checked and recorded in the same single-document
   * update as the counters (`processed` + `$push … $slice`), so there is no window where a crash loses or
   * doubles an increment. Upserts the document on its first event. Increments of one document that arrive
   * while it is being written go out together as the next update (see WriteCombiner).
   */
  incrementOnce(
    name: string,
    id: string,
    onInsert: Record<string, string>,
    inc: Record<string, number>,
    key: string,
  ): Promise<'applied' | 'duplicate'> {
    return this.increments.submit(`${name}|${id}`, { name, id, onInsert, inc, key });
  }

  private readonly increments = new WriteCombiner<Increment, 'applied' | 'duplicate'>(async (_doc, items) => {
    const { name, id, onInsert } = items[0];
    // The same event twice in one batch (a redelivery racing the original) counts once.
    const first = new Map<string, number>();
    items.forEach((item, i) => first.has(item.key) || first.set(item.key, i));
    const isFirst = (item: Increment, i: number) => first.get(item.key) === i;
    const unique = items.filter(isFirst);
    const inc: Record<string, number> = {};
    for (const item of unique) for (const [field, n] of Object.entries(item.inc)) inc[field] = (inc[field] ?? 0) + n;
    if ((await this.incrementUnseen(name, id, onInsert, inc, [...first.keys()])) === 'applied') {
      return items.map((item, i) => (isFirst(item, i) ? 'applied' : 'duplicate'));
    }
    // Some event of the batch was counted before: settle each on its own.
    const results: Array<'applied' | 'duplicate'> = [];
    for (const [i, item] of items.entries()) {
      const applied =
        isFirst(item, i) && (await this.incrementUnseen(name, id, onInsert, item.inc, [item.key])) === 'applied';
      results.push(applied ? 'applied' : 'duplicate');
    }
    return results;
  });

  /** One update: the increments and the keys, unless one of the keys is already on the document ('seen'). */
  private async incrementUnseen(
    name: string,
    id: string,
    onInsert: Record<string, string>,
    inc: Record<string, number>,
    keys: string[],
  ): Promise<'applied' | 'seen'> {
    const coll = this.collection<Document>(name);
    // Other replicas write the same day documents: a lost race (MongoDB WriteConflict, FerretDB's
    // compare-and-swap) is simply tried again.
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        await coll.updateOne(
          { _id: id, processed: { $nin: keys } } as Document,
          {
            $inc: inc,
            $setOnInsert: onInsert,
            $push: { processed: { $each: keys, $slice: -PROCESSED_PER_DOC } },
          } as Document,
          { upsert: true },
        );
        return 'applied';
      } catch (err) {
        if (isWriteConflict(err)) {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
          continue;
        }
        // The upsert found no document to update: either a key is already there (seen), or another
        // replica created the document first (then update it on the next attempt).
        if (!isDuplicateKey(err)) throw err;
        if ((await coll.countDocuments({ _id: id, processed: { $in: keys } } as Document, { limit: 1 })) > 0) {
          return 'seen';
        }
      }
    }
    throw new Error(`could not apply ${keys.join(', ')} to ${name}/${id}`);
  }

  async setFields(name: string, id: string, set: Record<string, unknown>): Promise<void> {
    await retryOnWriteConflict(
      () => this.collection<Document>(name).updateOne({ _id: id } as Document, { $set: set }, { upsert: true }),
      { upsert: true },
    );
  }

  /** Replaces the whole document (a re-evaluation may drop fields the previous one had). */
  async replaceFields(name: string, id: string, doc: Record<string, unknown>): Promise<void> {
    await retryOnWriteConflict(
      () => this.collection<Document>(name).replaceOne({ _id: id } as Document, doc, { upsert: true }),
      { upsert: true },
    );
  }

  async technicianEvaluation(id: string): Promise<TechnicianEvaluation | undefined> {
    return this.lookup<TechnicianEvaluation>(COLLECTIONS.technicianEvaluations, id);
  }

  /** The evaluations of some months (one equality query per month), of the given branches. */
  async technicianEvaluations(
    branchIds: readonly string[],
    months: readonly string[],
  ): Promise<TechnicianEvaluation[]> {
    const docs: TechnicianEvaluation[] = [];
    for (const month of months) {
      const found = await this.collection<Document>(COLLECTIONS.technicianEvaluations)
        .find({ month }, { projection: { _id: 0 } })
        .toArray();
      docs.push(...(found as unknown as TechnicianEvaluation[]).filter((e) => branchIds.includes(e.branchId)));
    }
    return docs;
  }

  async call(callId: string): Promise<CallInfo | undefined> {
    return this.lookup<CallInfo>(COLLECTIONS.calls, callId);
  }
  async complaint(complaintId: string): Promise<ComplaintInfo | undefined> {
    return this.lookup<ComplaintInfo>(COLLECTIONS.complaints, complaintId);
  }
  async invoice(invoiceId: string): Promise<InvoiceInfo | undefined> {
    return this.lookup<InvoiceInfo>(COLLECTIONS.invoices, invoiceId);
  }
  async technician(technicianId: string): Promise<TechnicianInfo | undefined> {
    return this.lookup<TechnicianInfo>(COLLECTIONS.technicians, technicianId);
  }

  private async lookup<T>(name: string, id: string): Promise<T | undefined> {
    const doc = await this.collection<Document>(name).findOne({ _id: id } as Document);
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    void _id;
    return rest as T;
  }

  /**
   * The day documents of some branches over some dates: one query per month spanned (by `_id` with `$in`,
   * an index lookup on MongoDB; on FerretDB a scan of that one month's collection).
   */
  async kpiDays(keys: ReadonlyArray<{ branchId: string; date: string }>): Promise<KpiDayDoc[]> {
    const byMonth = new Map<string, string[]>();
    for (const { branchId, date } of keys) {
      const name = kpiDaysCollection(date);
      byMonth.set(name, [...(byMonth.get(name) ?? []), kpiDayId(branchId, date)]);
    }
    const docs: KpiDayDoc[] = [];
    for (const [name, ids] of byMonth) {
      const found = await this.collection<KpiDayDoc>(name)
        .find({ _id: { $in: ids } }, { projection: { processed: 0 } })
        .toArray();
      docs.push(...found);
    }
    return docs;
  }

  async technicianDay(branchId: string, date: string, technicianId: string): Promise<TechnicianDayDoc | null> {
    return this.collection<TechnicianDayDoc>(COLLECTIONS.technicianDays).findOne(
      { _id: technicianDayId(branchId, date, technicianId) },
      { projection: { processed: 0 } },
    );
  }

  /** The technicians with recorded A/B/C work on a branch's day (equality keys only). */
  async technicianDaysOf(branchId: string, date: string): Promise<TechnicianDayDoc[]> {
    return this.collection<TechnicianDayDoc>(COLLECTIONS.technicianDays)
      .find({ branchId, businessDate: date }, { projection: { processed: 0 } })
      .toArray();
  }

  /** Every read-model collection that exists: the monthly day counters and the others. */
  async readModelCollections(): Promise<string[]> {
    const names = (await this.db().listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    return names.filter((n) => isKpiDaysCollection(n) || (READ_MODELS as readonly string[]).includes(n)).sort();
  }

  async dropReadModels(): Promise<void> {
    for (const name of await this.readModelCollections()) await this.collection(name).drop();
  }

  /** Stored events in time order (ties by key, so a replay is deterministic). */
  storedEvents(): AsyncIterable<StoredEvent> {
    return this.collection<StoredEvent>(COLLECTIONS.events).find({}).sort({ time: 1, _id: 1 });
  }
}
