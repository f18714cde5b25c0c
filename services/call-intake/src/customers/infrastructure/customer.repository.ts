import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../shared/indexes';
import type { Customer, InstalledProduct } from '../domain/customer';

type CustomerDoc = Omit<Customer, 'id'> & { _id: string; nameLower: string };
type ProductDoc = Omit<InstalledProduct, 'id'> & { _id: string };

const toCustomer = ({ _id, nameLower: _n, ...rest }: CustomerDoc): Customer => ({ id: _id, ...rest });
const toProduct = ({ _id, ...rest }: ProductDoc): InstalledProduct => ({ id: _id, ...rest });
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** Customers and installed products: plain documents (no events are raised about them). */
@Injectable()
export class CustomerRepository implements OnApplicationBootstrap {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get customers(): Collection<CustomerDoc> {
    return this.connection.db!.collection<CustomerDoc>('customers');
  }
  private get products(): Collection<ProductDoc> {
    return this.connection.db!.collection<ProductDoc>('products');
  }

  onApplicationBootstrap(): void {
    ensureIndexes(this.connection, 'customer', async () => {
      await this.customers.createIndex({ branchId: 1, nameLower: 1 });
      await this.customers.createIndex({ branchId: 1, phone: 1 });
      await this.products.createIndex({ customerId: 1 });
      await this.products.createIndex({ branchId: 1, serial: 1 });
    });
  }

  async insertCustomer(c: Customer): Promise<void> {
    const { id, ...rest } = c;
    await this.customers.insertOne({ _id: id, ...rest, nameLower: c.name.toLowerCase() });
  }

  async updateCustomer(c: Customer): Promise<void> {
    const { id, ...rest } = c;
    await this.customers.replaceOne({ _id: id }, { ...rest, nameLower: c.name.toLowerCase() });
  }

  async findCustomer(id: string): Promise<Customer | null> {
    const doc = await this.customers.findOne({ _id: id });
    return doc ? toCustomer(doc) : null;
  }

  /** Name prefix (case-insensitive) and/or exact phone, in name order. */
  async searchCustomers(
    branchId: string | undefined,
    q: { name?: string; phone?: string },
    page: number,
    pageSize: number,
  ): Promise<Page<Customer>> {
    const filter: Record<string, unknown> = {};
    if (branchId) filter.branchId = branchId;
    if (q.phone) filter.phone = q.phone;
    if (q.name) filter.nameLower = { $regex: `^${escapeRegex(q.name.toLowerCase())}` };
    const [docs, total] = await Promise.all([
      this.customers
        .find(filter)
        .sort({ nameLower: 1, _id: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.customers.countDocuments(filter),
    ]);
    return { items: docs.map(toCustomer), page, pageSize, total };
  }

  async insertProduct(p: InstalledProduct): Promise<void> {
    const { id, ...rest } = p;
    await this.products.insertOne({ _id: id, ...rest });
  }

  async findProduct(id: string): Promise<InstalledProduct | null> {
    const doc = await this.products.findOne({ _id: id });
    return doc ? toProduct(doc) : null;
  }

  async productsOf(customerId: string): Promise<InstalledProduct[]> {
    const docs = await this.products.find({ customerId }).sort({ createdAt: 1, _id: 1 }).toArray();
    return docs.map(toProduct);
  }
}
