import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, OutboxFields, saveWithEvents, SaveResult } from '@aftersales/messaging';
import type { Survey } from '../domain/survey';

/** A survey as stored: the domain record, keyed by surveyId, plus the outbox fields. */
export type SurveyDoc = Survey & OutboxFields & { _id: string };

export const SURVEYS = 'surveys';

/** Writes go through the outbox helpers (state + events in one atomic update); reads use the native driver. */
@Injectable()
export class SurveyRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection(SURVEYS));
  }

  private get collection(): Collection<SurveyDoc> {
    return this.connection.db!.collection<SurveyDoc>(SURVEYS);
  }

  async ensureIndexes(): Promise<void> {
    // No unique index on tokenHash: unsent surveys have none, and FerretDB has no partial/sparse indexes.
    // 256 random bits make a collision impossible in practice.
    await this.collection.createIndex({ tokenHash: 1 });
    await this.collection.createIndex({ status: 1 });
    await this.collection.createIndex({ callId: 1 });
  }

  /** 'duplicate' when the survey for this call already exists. */
  insert(survey: Survey, causedBy?: string): Promise<'saved' | 'duplicate'> {
    return insertWithEvents(this.collection, { _id: survey.surveyId, ...survey } as SurveyDoc, [], { causedBy });
  }

  async save(doc: SurveyDoc, set: Partial<Survey>, events: CloudEvent[] = []): Promise<SaveResult> {
    const result = await saveWithEvents<SurveyDoc>(this.collection, doc._id, doc.version, set, events);
    if (result === 'saved' && events.length > 0)
      this.outbox.kick({ collection: this.collection.collectionName, id: doc._id });
    return result;
  }

  get(surveyId: string): Promise<SurveyDoc | null> {
    return this.collection.findOne({ _id: surveyId });
  }

  byCall(callId: string): Promise<SurveyDoc | null> {
    return this.collection.findOne({ callId });
  }

  byTokenHash(tokenHash: string): Promise<SurveyDoc | null> {
    return this.collection.findOne({ tokenHash });
  }

  /**
   * Candidates for sending: status is an equality key (cheap on FerretDB); the time test is done by the
   * caller with the domain rule. Bounded by `limit` per pass.
   */
  candidates(status: 'scheduled' | 'sending', limit: number): Promise<SurveyDoc[]> {
    return this.collection.find({ status }).sort({ nextAttemptAt: 1 }).limit(limit).toArray();
  }

  async list(
    filter: { branchId?: string; status?: string },
    skip: number,
    limit: number,
  ): Promise<{ items: SurveyDoc[]; total: number }> {
    const q: Record<string, string> = {};
    if (filter.branchId) q.branchId = filter.branchId;
    if (filter.status) q.status = filter.status;
    const [items, total] = await Promise.all([
      this.collection.find(q).sort({ closedAt: -1 }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments(q),
    ]);
    return { items, total };
  }
}
