import type { Collection, Document } from 'mongodb';
import type { CloudEvent } from '@aftersales/contracts';

/**
 * Fields every aggregate document carries for the single-document outbox (FerretDB and a standalone
 * MongoDB have no multi-document transactions): the events a state change raises are written in the
 * same atomic update as the change, and the relay publishes them afterwards.
 */
export interface OutboxFields {
  /** Optimistic concurrency: every save expects the version it loaded and writes version + 1. */
  version: number;
  /** Events written with the state, not yet confirmed by the broker. */
  outbox: CloudEvent[];
  /** Equality key the relay queries on (cheap on FerretDB, where range and array filters are not). */
  outboxPending: boolean;
  /** Keys (`source|id`) of the last events applied to this document, so a redelivery changes nothing. */
  processed: string[];
}

export type SaveResult = 'saved' | 'conflict' | 'duplicate';

/**
 * A concurrent write to the same document won: WriteConflict (112), which MongoDB may return and the
 * patched FerretDB of infra/ferretdb.sh returns instead of losing an update; or PostgreSQL's
 * serialization failure (40001) when FerretDB runs under a stricter isolation. Reload and retry.
 */
export function isWriteConflict(err: unknown): boolean {
  const e = err as { code?: number; errmsg?: string; message?: string } | undefined;
  return e?.code === 112 || /SQLSTATE 40001|could not serialize access/.test(`${e?.errmsg ?? ''} ${e?.message ?? ''}`);
}

const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | undefined)?.code === 11000;

/**
 * Runs a single-document write again when it lost a race: write conflicts always, and duplicate-key
 * errors when `upsert` (two concurrent upserts may both try to insert). For `$inc` counters, upserts and
 * other writes that do not read first; aggregates use saveWithEvents' 'conflict' instead.
 */
export async function retryOnWriteConflict<T>(
  write: () => Promise<T>,
  options: { upsert?: boolean; attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const retry = isWriteConflict(err) || (options.upsert === true && isDuplicateKey(err));
      if (!retry || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

/** How many applied event keys a document remembers: far more than can be redelivered at once. */
export const PROCESSED_KEEP = 200;

export interface SaveOptions {
  /** The key of the event being handled (HandlerContext.eventKey), making the save idempotent. */
  causedBy?: string;
}

/** Inserts a new aggregate with the events its creation raises. A second insert of the same _id is a duplicate. */
export async function insertWithEvents<T extends Document>(
  collection: Collection<T>,
  doc: T,
  events: readonly CloudEvent[],
  options: SaveOptions = {},
): Promise<'saved' | 'duplicate'> {
  try {
    await collection.insertOne({
      ...doc,
      version: 1,
      outbox: [...events],
      outboxPending: events.length > 0,
      processed: options.causedBy ? [options.causedBy] : [],
    } as never);
    return 'saved';
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return 'duplicate';
    throw err;
  }
}

/**
 * Saves a change to an aggregate loaded at `expectedVersion`, with the events it raises, in ONE atomic
 * update. Returns `conflict` if someone else saved first (reload and decide again), `duplicate` if the
 * causing event was already applied.
 */
export async function saveWithEvents<T extends Document>(
  collection: Collection<T>,
  id: unknown,
  expectedVersion: number,
  set: Partial<T>,
  events: readonly CloudEvent[],
  options: SaveOptions = {},
): Promise<SaveResult> {
  const { causedBy } = options;
  const push: Document = {};
  if (events.length > 0) push.outbox = { $each: [...events] };
  if (causedBy) push.processed = { $each: [causedBy], $slice: -PROCESSED_KEEP };
  const update: Document = {
    $set: { ...set, version: expectedVersion + 1, ...(events.length > 0 ? { outboxPending: true } : {}) },
    ...(Object.keys(push).length > 0 ? { $push: push } : {}),
  };
  const filter: Document = { _id: id, version: expectedVersion, ...(causedBy ? { processed: { $ne: causedBy } } : {}) };
  let matched: number;
  try {
    matched = (await collection.updateOne(filter as never, update as never)).matchedCount;
  } catch (err) {
    if (isWriteConflict(err)) return 'conflict';
    throw err;
  }
  if (matched === 1) return 'saved';
  if (causedBy && (await collection.countDocuments({ _id: id, processed: causedBy } as never, { limit: 1 })) > 0) {
    return 'duplicate';
  }
  return 'conflict';
}

/** Whether this document already applied the event (for handlers that decide before they save). */
export const alreadyApplied = (doc: Pick<OutboxFields, 'processed'> | null | undefined, eventKey: string): boolean =>
  !!doc?.processed?.includes(eventKey);
