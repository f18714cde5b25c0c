import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, OutboxFields, saveWithEvents } from '@aftersales/messaging';
import { compact, nativeCollection, withoutNulls } from '../../shared/mongo';
import { AWAITING_ARRIVAL, isOpen, Job, JobStatus } from '../domain/job';
import { JobRepository, Page, StoredJob } from '../application/ports';

const JOBS = 'jobs';

/**
 * A job document: the aggregate (minus callId, which is the _id) plus equality keys for the hot queries
 * (FerretDB evaluates range and $in filters outside SQL): `registered`, `open`, `slaWatch`, `arrivedOn`.
 */
type JobDocument = Omit<Job, 'callId'> & {
  _id: string;
  registered: boolean;
  open: boolean;
  slaWatch: boolean;
  arrivedOn?: string;
} & OutboxFields;

function toDocument(job: Job): Omit<JobDocument, keyof OutboxFields> {
  const { callId, ...rest } = job;
  return compact({
    ...rest,
    _id: callId,
    registered: !!job.call,
    open: isOpen(job),
    slaWatch: !!job.call && AWAITING_ARRIVAL.includes(job.status) && !job.slaBreachedRaised,
    arrivedOn: job.arrival?.businessDate,
  });
}

function toJob(doc: JobDocument): Job {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { _id, registered, open, slaWatch, arrivedOn, version, outbox, outboxPending, processed, ...rest } = doc;
  return withoutNulls({ ...rest, callId: _id });
}

const stored = (doc: JobDocument): StoredJob => ({
  job: toJob(doc),
  version: doc.version,
  processed: doc.processed ?? [],
});

@Injectable()
export class MongoJobRepository extends JobRepository implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    super();
    this.outbox.watch(() => this.connection.db?.collection(JOBS));
  }

  onApplicationBootstrap(): void {
    // Not awaited: the store may come up after the service; the indexes only speed up queries.
    void this.collection()
      .then((c) =>
        Promise.all([
          c.createIndex({ branchId: 1, open: 1 }),
          c.createIndex({ technicianId: 1, open: 1 }),
          c.createIndex({ technicianId: 1, arrivedOn: 1 }),
          c.createIndex({ slaWatch: 1 }),
          c.createIndex({ outboxPending: 1 }),
        ]),
      )
      .catch((err: Error) => this.logger.warn(`could not create job indexes: ${err.message}`));
  }

  private collection(): Promise<Collection<JobDocument>> {
    return nativeCollection<JobDocument>(this.connection, JOBS);
  }

  async load(callId: string): Promise<StoredJob | null> {
    const doc = await (await this.collection()).findOne({ _id: callId });
    return doc ? stored(doc) : null;
  }

  async insert(job: Job, events: CloudEvent[], causedBy?: string): Promise<'saved' | 'duplicate'> {
    const result = await insertWithEvents(await this.collection(), toDocument(job) as JobDocument, events, {
      causedBy,
    });
    if (result === 'saved' && events.length > 0) this.outbox.kick({ collection: JOBS, id: job.callId });
    return result;
  }

  async save(job: Job, version: number, events: CloudEvent[], causedBy?: string) {
    const { _id, ...fields } = toDocument(job);
    const result = await saveWithEvents(await this.collection(), _id, version, fields as Partial<JobDocument>, events, {
      causedBy,
    });
    if (result === 'saved' && events.length > 0) this.outbox.kick({ collection: JOBS, id: _id });
    return result;
  }

  async listOpen(branchId: string, filter: { status?: JobStatus; page: number; pageSize: number }): Promise<Page<Job>> {
    const query = { branchId, open: true, ...(filter.status ? { status: filter.status } : {}) };
    const c = await this.collection();
    const [docs, total] = await Promise.all([
      c
        .find(query, {
          sort: { priority: -1, slaDueAt: 1, _id: 1 },
          skip: (filter.page - 1) * filter.pageSize,
          limit: filter.pageSize,
        })
        .toArray(),
      c.countDocuments(query),
    ]);
    return { items: docs.map(toJob), total, page: filter.page, pageSize: filter.pageSize };
  }

  async watchedBySla(): Promise<StoredJob[]> {
    return (await (await this.collection()).find({ slaWatch: true }).toArray()).map(stored);
  }

  async openOfTechnician(technicianId: string): Promise<Job[]> {
    const docs = await (
      await this.collection()
    )
      .find({ technicianId, open: true }, { sort: { priority: -1, slaDueAt: 1 } })
      .toArray();
    return docs.map(toJob);
  }

  async arrivedOn(technicianId: string, businessDate: string): Promise<Job[]> {
    const docs = await (
      await this.collection()
    )
      .find({ technicianId, arrivedOn: businessDate }, { sort: { 'arrival.at': 1 } })
      .toArray();
    return docs.map(toJob);
  }

  async openLoad(branchId: string): Promise<Map<string, number>> {
    const docs = await (
      await this.collection()
    )
      .find({ branchId, open: true }, { projection: { technicianId: 1 } })
      .toArray();
    const load = new Map<string, number>();
    for (const { technicianId } of docs) if (technicianId) load.set(technicianId, (load.get(technicianId) ?? 0) + 1);
    return load;
  }
}
