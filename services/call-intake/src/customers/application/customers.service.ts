import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BranchDirectory } from '@aftersales/service-kit';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { assertWarrantyDates, type Customer, type InstalledProduct } from '../domain/customer';
import { CustomerRepository, type Page } from '../infrastructure/customer.repository';

export interface CustomerInput {
  name: string;
  phone: string;
  address: string;
  postalCode: string;
}

export interface ProductInput {
  model: string;
  serial: string;
  purchaseDate?: string;
  warrantyEndsOn?: string;
}

@Injectable()
export class CustomersService {
  constructor(
    private readonly repo: CustomerRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  async create(branchId: string, input: CustomerInput): Promise<Customer> {
    const now = this.clock.now().toISOString();
    const customer: Customer = {
      id: randomUUID(),
      branchId,
      ...input,
      zone: this.branches.zoneOf(branchId, input.postalCode), // [19] the branch's postal-code rule
      createdAt: now,
      updatedAt: now,
    };
    await this.repo.insertCustomer(customer);
    return customer;
  }

  async update(branchId: string, id: string, input: Partial<CustomerInput>): Promise<Customer> {
    const current = await this.get(branchId, id);
    const next: Customer = { ...current, ...input, updatedAt: this.clock.now().toISOString() };
    next.zone = this.branches.zoneOf(branchId, next.postalCode);
    await this.repo.updateCustomer(next);
    return next;
  }

  /** A customer of this branch; another branch's customer is as unknown as a missing one. */
  async get(branchId: string, id: string): Promise<Customer> {
    const customer = await this.repo.findCustomer(id);
    if (!customer || customer.branchId !== branchId) throw new NotFoundError(`customer ${id} does not exist`);
    return customer;
  }

  search(
    branchId: string,
    q: { name?: string; phone?: string },
    page: number,
    pageSize: number,
  ): Promise<Page<Customer>> {
    return this.repo.searchCustomers(branchId, q, page, pageSize);
  }

  async addProduct(branchId: string, customerId: string, input: ProductInput, field = ''): Promise<InstalledProduct> {
    assertWarrantyDates(input, field);
    await this.get(branchId, customerId);
    const product: InstalledProduct = {
      id: randomUUID(),
      branchId,
      customerId,
      ...input,
      createdAt: this.clock.now().toISOString(),
    };
    await this.repo.insertProduct(product);
    return product;
  }

  async products(branchId: string, customerId: string): Promise<InstalledProduct[]> {
    await this.get(branchId, customerId);
    return this.repo.productsOf(customerId);
  }

  /** A product of this customer; anything else is unknown. */
  async product(branchId: string, customerId: string, productId: string): Promise<InstalledProduct> {
    const product = await this.repo.findProduct(productId);
    if (!product || product.branchId !== branchId || product.customerId !== customerId) {
      throw new NotFoundError(`product ${productId} of customer ${customerId} does not exist`);
    }
    return product;
  }
}
