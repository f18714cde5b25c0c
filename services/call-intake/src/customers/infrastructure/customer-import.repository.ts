import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../shared/indexes';
import type { Customer, InstalledProduct } from '../domain/customer';

export type ImportStatus = 'running' | 'completed' | 'failed';

export interface ImportRecord {
  id: string;
  branchId: string;
  idempotencyKey?: string;
  /** sha256 of the rows, so an Idempotency-Key reused for another file is refused. */
  contentHash: string;
  requestedBy: string;
  status: ImportStatus;
  rows: number;
  customers: number;
  existingCustomers: number;
  products: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

type ImportDoc = Omit<ImportRecord, 'id'> & { _id: string };
const toRecord = ({ _id, ...rest }: ImportDoc): ImportRecord => ({ id: _id, ...rest });

/** Writes of the bulk import: batched inserts tagged with the import id, and the compensation. */
@Injectable()
export class CustomerImportRepository implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private col<T extends Document>(name: string): Collection<T> {
    return this.connection.db!.collection<T>(name);
  }

  onApplicationBootstrap(): void {
    ensureIndexes(this.connection, 'customer-import', async () => {
      await this.col('customers').createIndex({ importId: 1 });
      await this.col('products').createIndex({ importId: 1 });
    });
  }

  async findImport(id: string): Promise<ImportRecord | null> {
    const doc = await this.col<ImportDoc>('customer_imports').findOne({ _id: id });
    return doc ? toRecord(doc) : null;
  }

  /** false when an import with this id already exists (a concurrent replay of the same key). */
  async startImport(r: ImportRecord): Promise<boolean> {
    const { id, ...rest } = r;
    try {
      await this.col<ImportDoc>('customer_imports').insertOne({ _id: id, ...rest });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return false;
      throw err;
    }
  }

  async finishImport(r: ImportRecord): Promise<void> {
    const { id, ...rest } = r;
    await this.col<ImportDoc>('customer_imports').replaceOne({ _id: id }, rest);
  }

  async deleteImport(id: string): Promise<void> {
    await this.col<ImportDoc>('customer_imports').deleteOne({ _id: id });
  }

  /** Serials of this list already installed in the branch (equality + $in, in chunks). */
  async existingSerials(branchId: string, serials: string[], chunk = 1000): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < serials.length; i += chunk) {
      const docs = await this.col('products')
        .find({ branchId, serial: { $in: serials.slice(i, i + chunk) } }, { projection: { serial: 1 } })
        .toArray();
      for (const d of docs) found.add(d.serial as string);
    }
    return found;
  }

  /** The branch's customers with these phones: phone → oldest customer id. */
  async customersByPhone(branchId: string, phones: string[], chunk = 1000): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < phones.length; i += chunk) {
      const docs = await this.col('customers')
        .find({ branchId, phone: { $in: phones.slice(i, i + chunk) } }, { projection: { phone: 1, createdAt: 1 } })
        .sort({ createdAt: 1, _id: 1 })
        .toArray();
      for (const d of docs) if (!found.has(d.phone as string)) found.set(d.phone as string, d._id as unknown as string);
    }
    return found;
  }

  async insertCustomers(importId: string, customers: Customer[], chunk: number): Promise<void> {
    const docs = customers.map(({ id, ...rest }) => ({
      _id: id,
      ...rest,
      nameLower: rest.name.toLowerCase(),
      importId,
    }));
    await this.insertChunks('customers', docs, chunk);
  }

  async insertProducts(importId: string, products: InstalledProduct[], chunk: number): Promise<void> {
    const docs = products.map(({ id, ...rest }) => ({ _id: id, ...rest, importId }));
    await this.insertChunks('products', docs, chunk);
  }

  /** Compensation (FerretDB has no transactions): everything this import wrote goes. */
  async deleteImported(importId: string): Promise<void> {
    await this.col('products').deleteMany({ importId });
    await this.col('customers').deleteMany({ importId });
  }

  private async insertChunks(name: string, docs: Array<Document & { _id: string }>, chunk: number): Promise<void> {
    for (let i = 0; i < docs.length; i += chunk) {
      await this.col<Document & { _id: string }>(name).insertMany(docs.slice(i, i + chunk), { ordered: false });
    }
  }
}
