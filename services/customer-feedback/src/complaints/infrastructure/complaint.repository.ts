import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, OutboxFields, saveWithEvents, SaveResult } from '@aftersales/messaging';
import type { Complaint } from '../domain/complaint';

export type ComplaintDoc = Complaint & OutboxFields & { _id: string };
export const COMPLAINTS = 'complaints';

@Injectable()
export class ComplaintRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection(COMPLAINTS));
  }

  private get collection(): Collection<ComplaintDoc> {
    return this.connection.db!.collection<ComplaintDoc>(COMPLAINTS);
  }

  async ensureIndexes(): Promise<void> {
    await this.collection.createIndex({ open: 1, receivedAt: 1 });
    await this.collection.createIndex({ branchId: 1, open: 1 });
  }

  async insert(complaint: Complaint, events: CloudEvent[], causedBy?: string): Promise<'saved' | 'duplicate'> {
    const doc = { _id: complaint.complaintId, ...complaint } as ComplaintDoc;
    const result = await insertWithEvents(this.collection, doc, events, { causedBy });
    if (result === 'saved') this.outbox.kick();
    return result;
  }

  async save(doc: ComplaintDoc, set: Partial<Complaint>, events: CloudEvent[]): Promise<SaveResult> {
    const result = await saveWithEvents<ComplaintDoc>(this.collection, doc._id, doc.version, set, events);
    if (result === 'saved' && events.length > 0) this.outbox.kick();
    return result;
  }

  get(id: string): Promise<ComplaintDoc | null> {
    return this.collection.findOne({ _id: id });
  }

  /** Open complaints, oldest first (equality keys `open` and `branchId`). */
  async open(branchId: string | undefined, skip: number, limit: number) {
    const filter = branchId ? { open: true, branchId } : { open: true };
    const [items, total] = await Promise.all([
      this.collection.find(filter).sort({ receivedAt: 1, _id: 1 }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items, total };
  }
}
