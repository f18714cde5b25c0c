import { ValidationError } from '@aftersales/service-kit/domain-errors';

export type Zone = 'urban' | 'suburban';

/** A customer of one branch; the zone comes from the branch's postal-code rule and decides the SLA [19]. */
export interface Customer {
  id: string;
  branchId: string;
  name: string;
  phone: string;
  address: string;
  postalCode: string;
  zone: Zone;
  createdAt: string;
  updatedAt: string;
}

/** A product installed at a customer's: what a repair call is about. */
export interface InstalledProduct {
  id: string;
  branchId: string;
  customerId: string;
  model: string;
  serial: string;
  /** Local calendar dates, YYYY-MM-DD. `warrantyEndsOn` is the last day under warranty (see classification). */
  purchaseDate?: string;
  warrantyEndsOn?: string;
  createdAt: string;
}

/** A warranty cannot end before the product was bought. */
export function assertWarrantyDates(p: { purchaseDate?: string; warrantyEndsOn?: string }, field = ''): void {
  if (p.purchaseDate && p.warrantyEndsOn && p.warrantyEndsOn < p.purchaseDate) {
    throw new ValidationError('The warranty ends before the purchase date.', [
      { field: `${field}warrantyEndsOn`, message: 'must not be before purchaseDate' },
    ]);
  }
}
