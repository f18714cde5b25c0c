import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { retryOnWriteConflict } from '@aftersales/messaging';

export interface CallNumbers {
  seq: number;
  callNumber: string;
  voucherNo: string;
}

/**
 * [8] Numbers in a branch's repair-call log: one counter document per branch, `$inc` in a single atomic
 * findOneAndUpdate (upsert), so two replicas never hand out the same number and none is skipped. The
 * service voucher issued with the call takes the same sequence, so the two series match one to one.
 * (A crash between taking the number and writing the call would leave a gap; the reconciliation report
 * lists numbers by sequence, so a gap would be visible there.)
 */
@Injectable()
export class CallNumberAllocator {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async next(branchId: string): Promise<CallNumbers> {
    const counters = this.connection.db!.collection<{ _id: string; seq: number }>('counters');
    // Racing increments lose on a write conflict (or a duplicate first insert) and go again.
    const doc = await retryOnWriteConflict(
      () =>
        counters.findOneAndUpdate(
          { _id: `calls:${branchId}` },
          { $inc: { seq: 1 } },
          { upsert: true, returnDocument: 'after' },
        ),
      { upsert: true },
    );
    if (!doc) throw new Error(`no call number for ${branchId}`);
    const n = String(doc.seq).padStart(6, '0');
    const prefix = branchId.toUpperCase();
    return { seq: doc.seq, callNumber: `${prefix}-${n}`, voucherNo: `V-${prefix}-${n}` };
  }
}
