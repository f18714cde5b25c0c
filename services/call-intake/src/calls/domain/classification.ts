/**
 * [6] Service category of a repair call:
 *  - C (free service) when the product's warranty is active on the call date — wins over B;
 *  - B (maintenance contract) when billing says an active contract covers the product on the call date;
 *  - A (paid service) otherwise.
 *
 * The call date is the branch-local business date (YYYY-MM-DD) of the moment the call was received, not the
 * UTC date. Warranty rule, written down: `warrantyEndsOn` is the LAST day of warranty, so a call on that day
 * is C and a call on the day after is not. A call before the purchase date is not under warranty either.
 * The same "last day counts" rule is what billing applies to a contract's `endsOn`.
 */
export type Category = 'A' | 'B' | 'C';

export interface WarrantyTerms {
  purchaseDate?: string;
  warrantyEndsOn?: string;
}

/** What billing answered about contract coverage, or `unknown` when it could not be asked in time. */
export type CoverageAnswer = { covered: true; contractId: string } | { covered: false } | 'unknown';

export interface Classification {
  category: Category;
  /** Billing did not answer: A for now, to be reclassified once coverage is known. */
  provisional: boolean;
  reason: string;
  contractId?: string;
}

/** Dates are ISO calendar dates, so string order is date order. */
export function warrantyActive(terms: WarrantyTerms, callDate: string): boolean {
  if (!terms.warrantyEndsOn) return false;
  if (terms.purchaseDate && callDate < terms.purchaseDate) return false;
  return callDate <= terms.warrantyEndsOn;
}

export function classify(terms: WarrantyTerms, callDate: string, coverage: CoverageAnswer): Classification {
  if (warrantyActive(terms, callDate)) {
    return { category: 'C', provisional: false, reason: `warranty active until ${terms.warrantyEndsOn}` };
  }
  if (coverage === 'unknown') {
    return { category: 'A', provisional: true, reason: 'billing did not answer: provisional until coverage is known' };
  }
  if (coverage.covered) {
    return {
      category: 'B',
      provisional: false,
      reason: `maintenance contract ${coverage.contractId}`,
      contractId: coverage.contractId,
    };
  }
  return { category: 'A', provisional: false, reason: 'no warranty and no contract on the call date' };
}
