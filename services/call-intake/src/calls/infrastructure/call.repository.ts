import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../shared/indexes';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, saveWithEvents, type OutboxFields, type SaveResult } from '@aftersales/messaging';
import { OPEN_STATUSES, RepairCall, type CallProps, type CallStatus } from '../domain/call';

/**
 * The call document: the aggregate's state, the outbox fields, and equality keys for the hot queries
 * (FerretDB evaluates range filters outside SQL): `open`, `coveragePending`.
 */
export type CallDoc = Omit<CallProps, 'id'> & OutboxFields & { _id: string; open: boolean; coveragePending: boolean };

/** Drops undefined values (the driver would store them as null). */
const clean = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function toDoc(call: RepairCall): Omit<CallDoc, keyof OutboxFields> {
  const { id, ...props } = clean(call.props);
  return {
    _id: id,
    ...props,
    open: (OPEN_STATUSES as readonly CallStatus[]).includes(props.status),
    coveragePending: props.coverage.state === 'pending',
  };
}

export function toProps(doc: CallDoc): CallProps {
  const {
    _id,
    open: _o,
    coveragePending: _c,
    version: _v,
    outbox: _ob,
    outboxPending: _op,
    processed: _p,
    ...props
  } = doc;
  return { id: _id, ...props };
}

export interface LoadedCall {
  call: RepairCall;
  version: number;
  processed: string[];
}

@Injectable()
export class CallRepository implements OnApplicationBootstrap {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection('calls'));
  }

  get collection(): Collection<CallDoc> {
    return this.connection.db!.collection<CallDoc>('calls');
  }

  onApplicationBootstrap(): void {
    ensureIndexes(this.connection, 'calls', async () => {
      await this.collection.createIndex({ outboxPending: 1 });
      await this.collection.createIndex({ branchId: 1, seq: 1 }, { unique: true });
      await this.collection.createIndex({ branchId: 1, businessDate: 1 });
      await this.collection.createIndex({ branchId: 1, status: 1 });
      await this.collection.createIndex({ branchId: 1, open: 1 });
      await this.collection.createIndex({ coveragePending: 1 });
    });
  }

  async load(id: string): Promise<LoadedCall | null> {
    const doc = await this.collection.findOne({ _id: id });
    return doc
      ? { call: RepairCall.restore(toProps(doc)), version: doc.version, processed: doc.processed ?? [] }
      : null;
  }

  async insert(call: RepairCall, events: readonly CloudEvent[]): Promise<void> {
    const result = await insertWithEvents(this.collection, toDoc(call) as CallDoc, events);
    if (result === 'duplicate') throw new Error(`call ${call.id} already exists`);
    this.outbox.kick({ collection: this.collection.collectionName, id: call.id });
  }

  /** Saves the state and its events in one atomic update, expecting `version`. */
  async save(call: RepairCall, version: number, events: readonly CloudEvent[], causedBy?: string): Promise<SaveResult> {
    const { _id: _, ...set } = toDoc(call);
    const result = await saveWithEvents(this.collection, call.id, version, set as Partial<CallDoc>, events, {
      causedBy,
    });
    if (result === 'saved' && events.length > 0)
      this.outbox.kick({ collection: this.collection.collectionName, id: call.id });
    return result;
  }
}
