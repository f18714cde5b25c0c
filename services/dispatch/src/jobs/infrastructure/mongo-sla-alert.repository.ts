import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox } from '@aftersales/messaging';
import { nativeCollection } from '../../shared/mongo';
import type { Job } from '../domain/job';
import { SlaAlertKind, SlaAlertRepository } from '../application/ports';

const ALERTS = 'sla_alerts';

@Injectable()
export class MongoSlaAlertRepository extends SlaAlertRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    super();
    this.outbox.watch(() => this.connection.db?.collection(ALERTS));
  }

  async claim(kind: SlaAlertKind, job: Job, event: CloudEvent, at: Date): Promise<'saved' | 'duplicate'> {
    const doc = { _id: `${kind}|${job.callId}`, kind, callId: job.callId, branchId: job.branchId, raisedAt: at };
    const alerts = await nativeCollection(this.connection, ALERTS);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await insertWithEvents(alerts, doc as never, [event]);
        if (result === 'saved') this.outbox.kick();
        return result;
      } catch (err) {
        // Two replicas inserting the same _id at once: the store may abort one as a write conflict instead
        // of a duplicate key. Try again: the retry meets the winner's document ('duplicate') or wins itself.
        if (!isWriteConflict(err) || attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
      }
    }
  }
}

/** MongoDB's WriteConflict (112) or PostgreSQL's serialization failure surfaced by FerretDB (SQLSTATE 40001). */
function isWriteConflict(err: unknown): boolean {
  const e = err as { code?: number; errmsg?: string; message?: string } | undefined;
  return e?.code === 112 || /SQLSTATE 40001|could not serialize access/.test(`${e?.errmsg ?? ''} ${e?.message ?? ''}`);
}
