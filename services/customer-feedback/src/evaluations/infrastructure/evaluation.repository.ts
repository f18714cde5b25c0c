import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { Outbox, OutboxFields, retryOnWriteConflict, saveWithEvents, SaveResult } from '@aftersales/messaging';
import { Evaluation, evaluationId, Sums } from '../domain/evaluation';

export type EvaluationDoc = Evaluation & OutboxFields & { _id: string };
export const EVALUATIONS = 'evaluations';

@Injectable()
export class EvaluationRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection(EVALUATIONS));
  }

  private get collection(): Collection<EvaluationDoc> {
    return this.connection.db!.collection<EvaluationDoc>(EVALUATIONS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ month: 1, published: 1 });
    await this.collection.createIndex({ technicianId: 1 });
  }

  /**
   * Adds one survey's ratings to the running sums of (technician, month) with $inc, exactly once: the
   * update only matches while the survey is not yet in `surveyIds`. The document is created by the first
   * answer (upsert). Returns false when the survey was already counted.
   */
  async add(
    key: { technicianId: string; month: string; branchId: string },
    surveyId: string,
    ratings: Sums,
  ): Promise<boolean> {
    const _id = evaluationId(key.technicianId, key.month);
    const update = {
      $inc: {
        count: 1,
        version: 1,
        'sums.attitude': ratings.attitude,
        'sums.skill': ratings.skill,
        'sums.arrivalTime': ratings.arrivalTime,
        'sums.promiseKeeping': ratings.promiseKeeping,
      },
      $push: { surveyIds: surveyId },
    };
    const filter = { _id, surveyIds: { $ne: surveyId } };
    try {
      const r = await retryOnWriteConflict(() =>
        this.collection.updateOne(
          filter,
          {
            ...update,
            $setOnInsert: { ...key, published: false, outbox: [], outboxPending: false, processed: [] },
          } as never,
          { upsert: true },
        ),
      );
      return r.matchedCount + (r.upsertedCount ?? 0) > 0;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      // The document exists: either it already counts this survey (no match), or another answer created
      // it at the same moment (match now, without upsert).
      const r = await retryOnWriteConflict(() => this.collection.updateOne(filter, update as never));
      return r.matchedCount > 0;
    }
  }

  async save(doc: EvaluationDoc, set: Partial<Evaluation>, events: CloudEvent[]): Promise<SaveResult> {
    const result = await saveWithEvents<EvaluationDoc>(this.collection, doc._id, doc.version, set, events);
    if (result === 'saved' && events.length > 0) this.outbox.kick();
    return result;
  }

  get(technicianId: string, month: string): Promise<EvaluationDoc | null> {
    return this.collection.findOne({ _id: evaluationId(technicianId, month) });
  }

  unpublished(month: string): Promise<EvaluationDoc[]> {
    return this.collection.find({ month, published: false }).toArray();
  }

  list(filter: { month?: string; technicianId?: string; branchId?: string }): Promise<EvaluationDoc[]> {
    const q: Record<string, string> = {};
    if (filter.month) q.month = filter.month;
    if (filter.technicianId) q.technicianId = filter.technicianId;
    if (filter.branchId) q.branchId = filter.branchId;
    return this.collection.find(q).sort({ month: -1, technicianId: 1 }).limit(1000).toArray();
  }
}
