import { Injectable } from '@nestjs/common';
import { BranchDirectory, InjectConfig } from '@aftersales/service-kit';
import type { BillingConfig } from '../../config';
import { Clock } from '../../shared/clock';
import {
  priceJob,
  withinCashLimit,
  type CataloguePart,
  type Category,
  type Job,
  type PriceList,
} from '../domain/price-list';
import { PriceListRepository } from '../infrastructure/price-list.repository';

export interface PriceListInput {
  currency: string;
  labourRatePerHourMinor: number;
  callOutFeeMinor: number;
  cashLimitMinor: number;
  parts: CataloguePart[];
}

@Injectable()
export class PriceListService {
  constructor(
    private readonly repository: PriceListRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: BillingConfig,
  ) {}

  /**
   * The branch's price list. A branch without one gets the default seeded (and stored, so invoices and
   * quotes agree from then on): labour rate and call-out fee from BILLING_DEFAULT_*, parts from
   * BILLING_DEFAULT_PARTS, currency and [10] cash limit from the branch directory.
   */
  async get(branchId: string): Promise<PriceList & { version: number }> {
    const branch = this.branches.get(branchId); // unknown branch → 404
    const found = await this.repository.find(branchId);
    if (found) return found;
    await this.repository.insertIfAbsent({
      branchId,
      currency: branch.currency,
      labourRatePerHourMinor: this.config.BILLING_DEFAULT_LABOUR_RATE_MINOR,
      callOutFeeMinor: this.config.BILLING_DEFAULT_CALL_OUT_FEE_MINOR,
      cashLimitMinor: branch.cashLimitMinor,
      parts: this.config.BILLING_DEFAULT_PARTS,
      source: 'default',
    });
    return (await this.repository.find(branchId))!;
  }

  async put(branchId: string, input: PriceListInput, by: string): Promise<PriceList & { version: number }> {
    this.branches.get(branchId);
    await this.repository.replace({
      branchId,
      ...input,
      source: 'saved',
      updatedAt: this.clock.now().toISOString(),
      updatedBy: by,
    });
    return (await this.repository.find(branchId))!;
  }

  /**
   * [10] What a job would cost, as the invoice would show it. A is charged in full and C is free; B is
   * quoted at zero because the request names no contract (its terms decide at invoicing time).
   */
  async quote(branchId: string, category: Category, job: Job) {
    const list = await this.get(branchId);
    const charged = category === 'A';
    const { lines, total } = priceJob(list, job, {
      labour: charged,
      parts: charged,
      callOut: charged,
      reason: category === 'B' ? 'maintenance contract' : 'warranty (free service)',
    });
    return {
      lines,
      amountMinor: total,
      currency: list.currency,
      cashLimitMinor: list.cashLimitMinor,
      withinCashLimit: withinCashLimit(total, list.cashLimitMinor),
    };
  }
}
