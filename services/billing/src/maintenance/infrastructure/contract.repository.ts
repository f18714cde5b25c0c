import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, saveWithEvents, type SaveResult } from '@aftersales/messaging';
import { dropUndefined, fromDoc, toDoc, type Stored } from '../../shared/documents';
import type { Contract } from '../domain/contract';

type ContractDoc = Stored<Contract>;
export type LoadedContract = Contract & { version: number };

/** Contracts are aggregates: state and the events it raises are written in one document update (outbox). */
@Injectable()
export class ContractRepository {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection('contracts'));
  }

  private get collection() {
    return this.connection.db!.collection<ContractDoc>('contracts');
  }

  async insert(contract: Contract, events: CloudEvent[]): Promise<void> {
    await insertWithEvents(this.collection, toDoc(contract), events);
    this.outbox.kick();
  }

  async save(id: string, version: number, changes: Partial<Contract>, events: CloudEvent[]): Promise<SaveResult> {
    const result = await saveWithEvents(
      this.collection,
      id,
      version,
      dropUndefined(changes) as Partial<ContractDoc>,
      events,
    );
    if (result === 'saved') this.outbox.kick();
    return result;
  }

  async find(id: string): Promise<LoadedContract | null> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? fromDoc<Contract>(doc) : null;
  }

  /** Equality keys only (cheap on FerretDB): contracts listing the serial, filtered by customer here. */
  async findBySerial(serial: string): Promise<LoadedContract[]> {
    const docs = await this.collection.find({ serials: serial }).toArray();
    return docs.map((d) => fromDoc<Contract>(d));
  }

  async findActive(branchId?: string): Promise<LoadedContract[]> {
    const docs = await this.collection.find({ status: 'active', ...(branchId ? { branchId } : {}) }).toArray();
    return docs.map((d) => fromDoc<Contract>(d));
  }

  async list(branchId: string, customerId?: string): Promise<LoadedContract[]> {
    const docs = await this.collection
      .find({ branchId, ...(customerId ? { customerId } : {}) })
      .sort({ createdAt: 1 })
      .toArray();
    return docs.map((d) => fromDoc<Contract>(d));
  }
}
