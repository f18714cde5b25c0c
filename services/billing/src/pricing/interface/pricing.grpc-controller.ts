import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import type { BillingV1 } from '@aftersales/contracts/grpc';
import {
  assertBranchAccess,
  CurrentUser,
  fieldErrors,
  Roles,
  ValidationError,
  type AuthUser,
} from '@aftersales/service-kit';
import { PriceListService } from '../application/price-list.service';
import type { Category } from '../domain/price-list';

// Proto enum values (loaded with enums: Number): 0 is CATEGORY_UNSPECIFIED and is rejected.
const CATEGORY: Record<number, Category> = { 1: 'A', 2: 'B', 3: 'C' };

const quoteSchema = z.object({
  branchId: z.string().min(1),
  category: z.number().refine((c) => c in CATEGORY, 'CATEGORY_A, CATEGORY_B or CATEGORY_C'),
  labourMinutes: z.number().int().min(0),
  parts: z.array(z.object({ partNo: z.string().min(1), qty: z.number().int().min(1) })),
});

/** `aftersales.billing.v1.Pricing`: dispatch asks on site whether a fee may be collected in cash [10]. */
@Controller()
export class PricingGrpcController {
  constructor(private readonly priceLists: PriceListService) {}

  @GrpcMethod('Pricing', 'Quote')
  @Roles('technician', 'director', 'clerk', 'accountant', 'service-dept', 'integrator')
  async quote(
    @Payload() request: BillingV1.QuoteRequest,
    @CurrentUser() user: AuthUser,
  ): Promise<BillingV1.QuoteResponse> {
    const parsed = quoteSchema.safeParse(request);
    if (!parsed.success) throw new ValidationError('The request is invalid.', fieldErrors(parsed.error));
    const { branchId, category, labourMinutes, parts } = parsed.data;
    assertBranchAccess(user, branchId);
    const quote = await this.priceLists.quote(branchId, CATEGORY[category]!, { labourMinutes, parts });
    return {
      amountMinor: quote.amountMinor,
      currency: quote.currency,
      cashLimitMinor: quote.cashLimitMinor,
      withinCashLimit: quote.withinCashLimit,
      lines: quote.lines.map((l) => ({
        description: l.description,
        qty: l.qty,
        unitPriceMinor: l.unitPrice,
        amountMinor: l.amount,
      })),
    };
  }
}
