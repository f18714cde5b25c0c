import type { OutboxFields } from '@aftersales/messaging';

/** A domain record stored as a document: `id` becomes `_id`, plus the outbox fields of an aggregate. */
export type Stored<T extends { id: string }> = Omit<T, 'id'> & { _id: string } & Partial<OutboxFields>;

/** Document → domain record (drops the outbox bookkeeping). */
export function fromDoc<T extends { id: string }>(doc: Stored<T>): T & { version: number } {
  const { _id, outbox: _o, outboxPending: _p, processed: _r, version, ...rest } = doc;
  return { ...(rest as unknown as Omit<T, 'id'>), id: _id, version: version ?? 1 } as T & { version: number };
}

/** Domain record → document body for an insert. */
export function toDoc<T extends { id: string }>(record: T): Stored<T> {
  const { id, ...rest } = record;
  return { ...dropUndefined(rest), _id: id } as Stored<T>;
}

/** `$set` must not carry undefined (the driver would store null): leave such keys out. */
export function dropUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
