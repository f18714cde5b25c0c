import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { CloudEvent } from '@aftersales/contracts';
import { jsonLogger, MessagingLogger } from './logger';
import { MessagingMetrics } from './metrics';
import { isWriteConflict, type OutboxFields } from './outbox';
import { EventPublisher } from './publisher';

export interface RelayOptions {
  /**
   * How often to search every watched collection for events not yet published (written by other replicas,
   * before a crash, or by a save that named no document in its kick). Saves that name their document are
   * published at once without a search.
   */
  intervalMs?: number;
  /** Documents per collection per pass. */
  batchSize?: number;
  metrics?: MessagingMetrics;
  logger?: MessagingLogger;
}

type Pending = Pick<OutboxFields, 'version' | 'outbox'> & { _id: unknown };

/**
 * Publishes what aggregates wrote to their outbox, then removes exactly those events. Runs at once when
 * `kick()`ed after a local save (reading just the saved documents by `_id` when the kick names them), and
 * searches every watched collection on an interval. A crash between publish and removal only
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
  /** Documents saved since the last pass, by collection name: read by `_id`, no search needed. */
  private readonly targets = new Map<string, Set<unknown>>();
  private sweepNext = true;
  private moreWaiting = false;

  constructor(
    private readonly publisher: EventPublisher,
    options: RelayOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 2000;
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

  /**
   * Ask for a pass now, after a save that wrote events. Naming the saved document lets the pass read just
   * it by `_id`; without it the pass searches every watched collection (on FerretDB a full scan of each).
   */
  kick(saved?: { collection: string; id: unknown }): void {
    if (saved) {
      const ids = this.targets.get(saved.collection) ?? new Set();
      this.targets.set(saved.collection, ids.add(saved.id));
    } else {
      this.sweepNext = true;
    }
    this.kicked = true;
    this.wake?.();
  }

  /**
   * One pass: a search of every watched collection (`sweep`), or else a read of the documents named by
   * kicks since the last pass. Returns the number of events published.
   */
  async pass(sweep = true): Promise<number> {
    let published = 0;
    let pending = 0;
    const targets = new Map(this.targets);
    this.targets.clear();
    this.moreWaiting = false;
    for (const collectionOf of this.collections) {
      const collection = collectionOf();
      if (!collection) continue;
      const projection = { version: 1, outbox: 1 };
      const ids = targets.get(collection.collectionName);
      if (!sweep && !ids) continue;
      const docs = (sweep
        ? await collection.find({ outboxPending: true }, { projection, limit: this.batchSize }).toArray()
        : await Promise.all(
            [...ids!].map((_id) => collection.findOne({ _id, outboxPending: true } as Document, { projection })),
          ).then((found) => found.filter((d) => d !== null))) as unknown as Pending[];
      if (sweep && docs.length === this.batchSize) this.moreWaiting = true;
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
      const sweep = this.sweepNext;
      this.sweepNext = false;
      try {
        await this.pass(sweep);
        failures = 0;
      } catch (err) {
        failures++;
        this.sweepNext = true; // the kicks this pass took are forgotten: search instead
        this.logger.warn({ err, failures }, 'outbox relay pass failed; events stay in the outbox');
      }
      if (failures === 0 && (this.moreWaiting || this.targets.size > 0 || this.sweepNext)) {
        this.sweepNext ||= this.moreWaiting;
        continue;
      }
      const pause = failures > 0 ? Math.min(this.intervalMs * 2 ** failures, 10_000) : this.intervalMs;
      if (!this.kicked)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.sweepNext = true;
            resolve();
          }, pause);
          this.wake = () => (clearTimeout(timer), resolve());
        });
      this.kicked = false;
    }
  }
}
