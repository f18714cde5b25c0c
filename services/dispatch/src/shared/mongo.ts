import type { Connection } from 'mongoose';
import type { Collection, Document } from 'mongodb';

/**
 * The native driver collection of the service's connection (writes go through the outbox helpers, which
 * take driver collections). The connection is lazy: wait for it once, then it stays (the driver reconnects).
 */
export async function nativeCollection<T extends Document>(
  connection: Connection,
  name: string,
): Promise<Collection<T>> {
  if (!connection.db) await connection.asPromise();
  return connection.db!.collection<T>(name);
}

/** Drops `undefined` (the driver would store null) and maps null back to undefined on the way in. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as T;
}
