import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { retryOnWriteConflict } from '@aftersales/messaging';
import type { PriceList } from '../domain/price-list';

type PriceListDoc = Omit<PriceList, 'branchId'> & { _id: string; version: number };

/** One document per branch (`_id` = branchId). Price lists raise no events, so plain writes suffice. */
@Injectable()
export class PriceListRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get collection() {
    return this.connection.db!.collection<PriceListDoc>('price_lists');
  }

  async find(branchId: string): Promise<(PriceList & { version: number }) | null> {
    const doc = await this.collection.findOne({ _id: branchId });
    if (!doc) return null;
    const { _id, ...rest } = doc;
    return { ...rest, branchId: _id };
  }

  /** Seeds a default once; a concurrent seed or save wins (duplicate key ignored). */
  async insertIfAbsent(list: PriceList): Promise<void> {
    const { branchId, ...rest } = list;
    try {
      await this.collection.insertOne({ ...rest, _id: branchId, version: 1 });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
  }

  /** Replaces the branch's list (last writer wins: an accountant edits the whole list at once). */
  async replace(list: PriceList): Promise<void> {
    const { branchId, ...rest } = list;
    await retryOnWriteConflict(
      () => this.collection.updateOne({ _id: branchId }, { $set: rest, $inc: { version: 1 } }, { upsert: true }),
      { upsert: true },
    );
  }
}
