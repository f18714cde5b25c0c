import { z } from 'zod';
import { defineEvent } from '../define';
import { BusinessDate, Category, Currency, Id, Instant, MinorUnits } from './common';

export const InvoiceLine = z.object({
  description: z.string().min(1),
  qty: z.number().int().positive(),
  unitPrice: MinorUnits,
  amount: MinorUnits.describe('qty × unitPrice'),
});

export const InvoiceIssuedV1 = defineEvent({
  type: 'billing.invoice.issued.v1',
  producer: 'billing',
  consumers: ['reporting'],
  description: '[10][13] An invoice was issued: for a closed paid call, a shop return or cash taken on site.',
  data: {
    invoiceId: Id,
    invoiceNo: z.string().min(1),
    callId: Id.optional().describe('Absent for invoices not tied to a call, e.g. a contract fee'),
    customerId: Id,
    category: Category,
    lines: z.array(InvoiceLine).min(1),
    total: MinorUnits.describe('Sum of the line amounts'),
    currency: Currency,
    issuedAt: Instant,
  },
});

export const PaymentRecordedV1 = defineEvent({
  type: 'billing.payment.recorded.v1',
  producer: 'billing',
  consumers: ['reporting'],
  description: '[10] A payment against an invoice was recorded, including cash handed over by a technician.',
  data: {
    invoiceId: Id,
    amount: MinorUnits.positive(),
    currency: Currency,
    method: z.enum(['cash-on-site', 'cash', 'transfer', 'card']),
    handedOverAt: Instant.optional().describe('[10] When on-site cash reached the accountant'),
    recordedAt: Instant,
  },
});

/** What every contract event says about the contract [20]. */
const ContractTerms = {
  contractId: Id,
  customerId: Id,
  serials: z.array(z.string().min(1)).min(1).describe('Serial numbers of the covered products'),
  startsOn: BusinessDate,
  endsOn: BusinessDate.describe('Last covered day'),
  coversLabour: z.boolean(),
  coversParts: z.boolean(),
};

export const ContractCreatedV1 = defineEvent({
  type: 'billing.contract.created.v1',
  producer: 'billing',
  consumers: ['call-intake', 'reporting'],
  description: '[6][20] A maintenance contract was signed: its products are category B while it is active.',
  data: ContractTerms,
});

export const ContractRenewedV1 = defineEvent({
  type: 'billing.contract.renewed.v1',
  producer: 'billing',
  consumers: ['call-intake', 'reporting'],
  description: '[20] The contract was renewed; startsOn/endsOn are the new term.',
  data: { ...ContractTerms, previousEndsOn: BusinessDate },
});

export const ContractExpiringV1 = defineEvent({
  type: 'billing.contract.expiring.v1',
  producer: 'billing',
  consumers: ['call-intake', 'reporting'],
  description: '[20] One month before the end: the expiry notice went to the customer and renewal is to be tried.',
  data: { ...ContractTerms, noticeSentAt: Instant },
});

export const ContractExpiredV1 = defineEvent({
  type: 'billing.contract.expired.v1',
  producer: 'billing',
  consumers: ['call-intake', 'reporting'],
  description: '[20] The contract ended without renewal (lapsed): its products are no longer category B.',
  data: { ...ContractTerms, renewalAttempts: z.number().int().nonnegative() },
});
