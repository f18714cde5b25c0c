import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { CloudEvent } from '@aftersales/contracts';
import { jsonLogger, MessagingLogger } from './logger';
import { MessagingMetrics } from './metrics';
import { isWriteConflict, type OutboxFields } from './outbox';
import { EventPublisher } from './publisher';

export interface RelayOptions {
  /** How often to look for events written by other replicas or before a crash. */
  intervalMs?: number;
  /** Documents per collection per pass. */
  batchSize?: number;
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
}

type Pending = Pick<OutboxFields, 'version' | 'outbox'> & { _id: unknown };

/**
 * Publishes what aggregates wrote to their outbox, then removes exactly those events. Runs on a short
 * interval and at once when `kick()`ed after a local save. A crash between publish and removal only
 * causes the events to be published again (consumers de-duplicate); a failed publish leaves them in
 * place and the next pass retries with a growing pause. Several replicas may relay side by side.
 */
export class OutboxRelay {
  private readonly collections: Array<() => Collection | undefined> = [];
  private readonly intervalMs: number;
  private readonly batchSize: number;
  private readonly logger: MessagingLogger;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private kicked = false;

  constructor(
    private readonly publisher: EventPublisher,
    options: RelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 500;
    this.batchSize = options.batchSize ?? 100;
    this.logger = options.logger ?? jsonLogger;
    this.metrics = options.metrics;
  }
  private readonly metrics?: MessagingMetrics;

  /**
   * Relay the outbox of a collection. Pass a function when the collection only exists once the database
   * is connected (e.g. `() => connection.db?.collection('jobs')`); passes skip it until then.
   */
  watch(collection: Collection<any> | (() => Collection<any> | undefined)): this {
    this.collections.push(typeof collection === 'function' ? collection : () => collection);
    return this;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the pass under way (so what was confirmed is also marked) and stops. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Ask for a pass now (after a save that wrote events). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** One pass over every watched collection; returns the number of events published. */
  async pass(): Promise<number> {
    let published = 0;
    let pending = 0;
    for (const collectionOf of this.collections) {
      const collection = collectionOf();
      if (!collection) continue;
      const docs = (await collection
        .find({ outboxPending: true }, { projection: { version: 1, outbox: 1 }, limit: this.batchSize })
        .toArray()) as unknown as Pending[];
      const events = docs.flatMap((d) => d.outbox ?? []);
      pending += events.length;
      if (events.length === 0) {
        // Flag left set with an empty outbox (e.g. after a fallback removal): reset it.
        if (docs.length > 0)
          await collection.updateMany(
            { outboxPending: true, outbox: { $size: 0 } },
            { $set: { outboxPending: false } },
          );
        continue;
      }
      await this.publisher.publish(events);
      published += events.length;
      try {
        await this.markSent(collection, docs);
      } catch (err) {
        // A save raced the removal: what stayed is published again next pass; consumers de-duplicate.
        if (!isWriteConflict(err)) throw err;
      }
    }
    this.metrics?.outboxPending.set(pending - published);
    return published;
  }

  private async markSent(collection: Collection, docs: Pending[]): Promise<void> {
    // Common case, one write per document: nothing was saved since we read it, so the outbox is
    // exactly what we published.
    const ops: AnyBulkWriteOperation[] = docs.map((d) => ({
      updateOne: {
        filter: { _id: d._id, version: d.version } as Document,
        update: { $set: { outbox: [], outboxPending: false } },
      },
    }));
    const result = await collection.bulkWrite(ops, { ordered: false });
    if (result.matchedCount === docs.length) return;
    // Some document moved on (new events appended): remove exactly the events we published.
    const moved = await collection
      .find({ _id: { $in: docs.map((d) => d._id) }, outboxPending: true } as Document, { projection: { _id: 1 } })
      .toArray();
    for (const { _id } of moved) {
      const sent = docs.find((d) => String(d._id) === String(_id))?.outbox as CloudEvent[];
      await collection.updateOne({ _id }, { $pullAll: { outbox: sent } } as Document);
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let published = 0;
      try {
        published = await this.pass();
        failures = 0;
      } catch (err) {
        failures++;
        this.logger.warn({ err, failures }, 'outbox relay pass failed; events stay in the outbox');
      }
      if (published > 0 && failures === 0) continue; // more may be waiting
      const pause = failures > 0 ? Math.min(this.intervalMs * 2 ** failures, 10_000) : this.intervalMs;
      if (!this.kicked)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      this.kicked = false;
    }
  }
}
