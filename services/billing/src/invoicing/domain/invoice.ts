import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';
import { sumMinor } from '../../pricing/domain/money';
import {
  priceJob,
  type Category,
  type Charging,
  type PricedLine,
  type PriceList,
} from '../../pricing/domain/price-list';

/** What billing needs of `intake.call.closed.v1` (kept as a plain type so the domain imports no contracts). */
export interface ClosedCall {
  branchId: string;
  callId: string;
  voucherNo: string;
  category: Category;
  customer: { id: string; name: string; phone: string; address: string };
  product?: { model: string; serial: string };
  technicianId: string;
  completion: 'on-site' | 'shop';
  labourMinutes: number;
  parts: ReadonlyArray<{ partNo: string; qty: number }>;
  cashCollected?: number;
  closedAt: string;
}

/** The contract terms that cover a B call, as found by billing on the close date. */
export interface ContractCover {
  contractId: string;
  coversLabour: boolean;
  coversParts: boolean;
}

export type PaymentMethod = 'cash-on-site' | 'cash' | 'transfer' | 'card';

export interface Payment {
  id: string;
  method: PaymentMethod;
  amount: number;
  recordedAt: string;
  recordedBy: string;
  /** cash-on-site: the technician holding the cash until the hand-over [10]. */
  technicianId?: string;
  handedOverAt?: string;
  receivedBy?: string;
}

export type DocumentKind = 'invoice' | 'credit-note';

/** An issued invoice or credit note. Never edited once issued: only payments, hand-overs and credits are added. */
export interface Invoice {
  id: string;
  kind: DocumentKind;
  branchId: string;
  /** Numbering series, `<branchId>:INV` or `<branchId>:CN`: gap-free per series. */
  series: string;
  seq: number;
  invoiceNo: string;
  callId?: string;
  voucherNo?: string;
  customer: { id: string; name: string; phone?: string; address?: string };
  technicianId?: string;
  category: Category;
  lines: PricedLine[];
  total: number;
  currency: string;
  issuedAt: string;
  /** B: the contract that covered it; or why it was charged in full. */
  coverageNote?: string;
  payments: Payment[];
  paidMinor: number;
  creditedMinor: number;
  /** [10] Cash collected on site not yet handed over to the accountant (equality key for the report). */
  cashPending: boolean;
  /** Credit note: the invoice it corrects, and why. */
  creditsInvoiceId?: string;
  reason?: string;
}

export type InvoiceStatus = 'issued' | 'no-charge' | 'open' | 'paid' | 'credited';

export const invoiceIdForCall = (callId: string): string => `inv-${callId}`;
export const seriesOf = (branchId: string, kind: DocumentKind): string =>
  `${branchId}:${kind === 'invoice' ? 'INV' : 'CN'}`;
/** br-north, 42 → "BR-NORTH-000042"; credit notes "BR-NORTH-CN-000007". */
export const formatInvoiceNo = (branchId: string, kind: DocumentKind, seq: number): string =>
  `${branchId.toUpperCase()}-${kind === 'credit-note' ? 'CN-' : ''}${String(seq).padStart(6, '0')}`;

/** What the customer still owes. */
export const balanceOf = (inv: Pick<Invoice, 'total' | 'paidMinor' | 'creditedMinor'>): number =>
  inv.total - inv.creditedMinor - inv.paidMinor;

export function statusOf(inv: Invoice): InvoiceStatus {
  if (inv.kind === 'credit-note') return 'issued';
  if (inv.total === 0) return 'no-charge';
  if (inv.creditedMinor >= inv.total) return 'credited';
  return balanceOf(inv) <= 0 ? 'paid' : 'open';
}

/** [6] What the customer pays per category: A everything, B per the contract terms, C nothing. */
export function chargingFor(category: Category, cover: ContractCover | null): Charging {
  switch (category) {
    case 'A':
      return { labour: true, parts: true, callOut: true };
    case 'B':
      // No contract found on the close date: charged in full, noted on the invoice; a credit note corrects it.
      if (!cover) return { labour: true, parts: true, callOut: true };
      return {
        labour: !cover.coversLabour,
        parts: !cover.coversParts,
        callOut: !cover.coversLabour,
        reason: `maintenance contract ${cover.contractId}`,
      };
    case 'C':
      return { labour: false, parts: false, callOut: false, reason: 'warranty (free service)' };
  }
}

export type InvoiceDraft = Omit<Invoice, 'seq' | 'invoiceNo' | 'series'>;

/**
 * [10][13] The invoice for a closed call. A: call-out + labour + parts; B: as the contract's terms say;
 * C: a zero-value service record kept for audit. When cash was collected on site [10] the invoice is paid
 * in cash by the technician, and the cash stays "to hand over" until the accountant records the hand-over.
 */
export function invoiceForClosedCall(
  call: ClosedCall,
  prices: PriceList,
  cover: ContractCover | null,
  issuedAt: Date,
): InvoiceDraft {
  const { lines, total } = priceJob(prices, call, chargingFor(call.category, cover));
  const cash = call.cashCollected ?? 0;
  const payments: Payment[] =
    cash > 0
      ? [
          {
            id: `cash-${call.callId}`,
            method: 'cash-on-site',
            amount: cash,
            recordedAt: call.closedAt,
            recordedBy: call.technicianId,
            technicianId: call.technicianId,
          },
        ]
      : [];
  return {
    id: invoiceIdForCall(call.callId),
    kind: 'invoice',
    branchId: call.branchId,
    callId: call.callId,
    voucherNo: call.voucherNo,
    customer: call.customer,
    technicianId: call.technicianId,
    category: call.category,
    lines,
    total,
    currency: prices.currency,
    issuedAt: issuedAt.toISOString(),
    ...(call.category === 'B'
      ? {
          coverageNote: cover
            ? `covered by maintenance contract ${cover.contractId}`
            : `no maintenance contract found for ${call.product?.serial ?? 'the product'} on the close date: charged in full`,
        }
      : {}),
    payments,
    paidMinor: sumMinor(payments.map((p) => p.amount)),
    creditedMinor: 0,
    cashPending: cash > 0,
  };
}

/** [10] The accountant received the technician's on-site cash. */
export function handOverCash(inv: Invoice, at: Date, by: string): { payments: Payment[]; payment: Payment } {
  const pending = inv.payments.find((p) => p.method === 'cash-on-site' && !p.handedOverAt);
  if (!pending) throw new ConflictError(`invoice ${inv.invoiceNo} has no on-site cash waiting to be handed over`);
  const payment = { ...pending, handedOverAt: at.toISOString(), receivedBy: by };
  return { payment, payments: inv.payments.map((p) => (p === pending ? payment : p)) };
}

/** A payment against the balance; an invoice is never overpaid. */
export function recordPayment(
  inv: Invoice,
  input: { id: string; amount: number; method: Exclude<PaymentMethod, 'cash-on-site'> },
  at: Date,
  by: string,
): { payment: Payment; payments: Payment[]; paidMinor: number } {
  if (inv.kind !== 'invoice') throw new ConflictError('payments are recorded against invoices, not credit notes');
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    throw new ValidationError('amount must be a positive integer of minor units', [
      { field: 'amountMinor', message: 'must be positive' },
    ]);
  }
  const balance = balanceOf(inv);
  if (input.amount > balance) {
    throw new ConflictError(
      `invoice ${inv.invoiceNo} has ${balance} minor units outstanding; ${input.amount} is too much`,
    );
  }
  const payment: Payment = { ...input, recordedAt: at.toISOString(), recordedBy: by };
  return { payment, payments: [...inv.payments, payment], paidMinor: inv.paidMinor + input.amount };
}

/**
 * A credit note corrects an issued invoice (which is never edited): one negative line for `amount`
 * (the whole uncredited total by default). Its numbers come from the branch's own credit-note series.
 */
export function creditNoteFor(
  inv: Invoice,
  input: { id: string; amount?: number; reason: string },
  at: Date,
): InvoiceDraft {
  if (inv.kind !== 'invoice') throw new ConflictError('a credit note corrects an invoice, not another credit note');
  const creditable = inv.total - inv.creditedMinor;
  const amount = input.amount ?? creditable;
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new ConflictError(`invoice ${inv.invoiceNo} has nothing left to credit`);
  }
  if (amount > creditable) {
    throw new ConflictError(`invoice ${inv.invoiceNo} can be credited at most ${creditable} minor units`);
  }
  const line: PricedLine = {
    kind: 'credit',
    description: `Credit for invoice ${inv.invoiceNo}: ${input.reason}`,
    qty: 1,
    unitPrice: -amount,
    amount: -amount,
  };
  return {
    id: input.id,
    kind: 'credit-note',
    branchId: inv.branchId,
    ...(inv.callId ? { callId: inv.callId } : {}),
    customer: inv.customer,
    category: inv.category,
    lines: [line],
    total: -amount,
    currency: inv.currency,
    issuedAt: at.toISOString(),
    payments: [],
    paidMinor: 0,
    creditedMinor: 0,
    cashPending: false,
    creditsInvoiceId: inv.id,
    reason: input.reason,
  };
}
