import type { Category } from './job';

/** billing's Pricing.Quote answer, as dispatch needs it. */
export interface Quote {
  amountMinor: number;
  currency: string;
}

/**
 * [10] How the fee of an on-site visit is settled:
 * - `none`: category B (maintenance contract) or C (warranty), or a paid visit priced at zero;
 * - `cash`: paid (A) with a fee within the branch's cash limit, collected on site by the technician and
 *   handed over to the accountant;
 * - `invoice`: paid, but over the cash limit, or billing could not quote in time — no cash is taken and the
 *   voucher goes to the accountant to invoice (amount unknown in the second case).
 */
export type Fee =
  | { settlement: 'none' }
  | { settlement: 'cash'; amountMinor: number; currency: string }
  | { settlement: 'invoice'; reason: 'over-cash-limit'; amountMinor: number; currency: string }
  | { settlement: 'invoice'; reason: 'billing-unavailable' };

export const needsQuote = (category: Category | undefined): boolean => category === 'A';

export function decideFee(category: Category | undefined, quote: Quote | 'unavailable', cashLimitMinor: number): Fee {
  if (!needsQuote(category)) return { settlement: 'none' };
  if (quote === 'unavailable') return { settlement: 'invoice', reason: 'billing-unavailable' };
  if (quote.amountMinor <= 0) return { settlement: 'none' };
  if (quote.amountMinor <= cashLimitMinor) {
    return { settlement: 'cash', amountMinor: quote.amountMinor, currency: quote.currency };
  }
  return { settlement: 'invoice', reason: 'over-cash-limit', amountMinor: quote.amountMinor, currency: quote.currency };
}
