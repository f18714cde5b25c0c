import { ConflictError } from '@aftersales/service-kit/domain-errors';
import { UnknownPartError, type PriceList } from '../../pricing/domain/price-list';
import {
  balanceOf,
  creditNoteFor,
  formatInvoiceNo,
  handOverCash,
  invoiceForClosedCall,
  recordPayment,
  statusOf,
  type ClosedCall,
  type Invoice,
} from './invoice';

const prices: PriceList = {
  branchId: 'br-north',
  currency: 'EUR',
  labourRatePerHourMinor: 4000,
  callOutFeeMinor: 2500,
  cashLimitMinor: 15000,
  parts: [{ partNo: 'BELT', description: 'Drive belt', priceMinor: 1250 }],
  source: 'saved',
};
const call: ClosedCall = {
  branchId: 'br-north',
  callId: 'c1',
  voucherNo: 'V1',
  category: 'A',
  customer: { id: 'cu1', name: 'Ana', phone: '600', address: 'Calle 1' },
  product: { model: 'WM', serial: 'SN-1' },
  technicianId: 't1',
  completion: 'on-site',
  labourMinutes: 50,
  parts: [{ partNo: 'BELT', qty: 2 }],
  closedAt: '2026-06-01T10:00:00Z',
};
const now = new Date('2026-06-01T12:00:00Z');
const issued = (draft: ReturnType<typeof invoiceForClosedCall>): Invoice => ({
  ...draft,
  series: 'br-north:INV',
  seq: 1,
  invoiceNo: 'BR-NORTH-000001',
});

describe('invoice from a closed call [6][10][13]', () => {
  it('A: call-out + labour (rounded once) + parts', () => {
    const inv = invoiceForClosedCall(call, prices, null, now);
    expect(inv.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['call-out', 2500],
      ['labour', 3333],
      ['part', 2500],
    ]);
    expect(inv.total).toBe(8333);
    expect(inv.id).toBe('inv-c1');
    expect(statusOf(issued(inv))).toBe('open');
  });

  it('B: the contract terms decide (labour covered includes the call-out; parts charged)', () => {
    const inv = invoiceForClosedCall(
      { ...call, category: 'B' },
      prices,
      { contractId: 'K', coversLabour: true, coversParts: false },
      now,
    );
    expect(inv.lines.map((l) => [l.kind, l.amount, l.noCharge])).toEqual([
      ['call-out', 0, 'maintenance contract K'],
      ['labour', 0, 'maintenance contract K'],
      ['part', 2500, undefined],
    ]);
    expect(inv.total).toBe(2500);
    const full = invoiceForClosedCall({ ...call, category: 'B' }, prices, null, now);
    expect(full.total).toBe(8333);
    expect(full.coverageNote).toMatch(/no maintenance contract found for SN-1/);
  });

  it('C: a zero-value service record that still lists what was done', () => {
    const inv = invoiceForClosedCall({ ...call, category: 'C' }, prices, null, now);
    expect(inv.total).toBe(0);
    expect(inv.lines).toHaveLength(3);
    expect(statusOf(issued(inv))).toBe('no-charge');
  });

  it('unknown parts are refused', () => {
    expect(() => invoiceForClosedCall({ ...call, parts: [{ partNo: 'X', qty: 1 }] }, prices, null, now)).toThrow(
      UnknownPartError,
    );
  });

  it('[10] cash on site: paid by the technician, pending until handed over', () => {
    const inv = issued(invoiceForClosedCall({ ...call, cashCollected: 8333 }, prices, null, now));
    expect(inv).toMatchObject({ paidMinor: 8333, cashPending: true });
    expect(statusOf(inv)).toBe('paid');
    const { payment } = handOverCash(inv, now, 'acc');
    expect(payment).toMatchObject({
      method: 'cash-on-site',
      technicianId: 't1',
      handedOverAt: now.toISOString(),
      receivedBy: 'acc',
    });
    expect(() => handOverCash({ ...inv, payments: [payment] }, now, 'acc')).toThrow(ConflictError);
  });

  it('payments never exceed the balance; credit notes never exceed the total', () => {
    const inv = issued(invoiceForClosedCall(call, prices, null, now));
    const paid = recordPayment(inv, { id: 'p', amount: 3333, method: 'transfer' }, now, 'acc');
    expect(balanceOf({ ...inv, paidMinor: paid.paidMinor })).toBe(5000);
    expect(() => recordPayment(inv, { id: 'p', amount: 8334, method: 'card' }, now, 'acc')).toThrow(ConflictError);
    const cn = creditNoteFor(inv, { id: 'cn', reason: 'wrong part' }, now);
    expect(cn).toMatchObject({ kind: 'credit-note', total: -8333, creditsInvoiceId: 'inv-c1' });
    expect(() => creditNoteFor({ ...inv, creditedMinor: 8000 }, { id: 'cn', amount: 334, reason: 'x' }, now)).toThrow(
      ConflictError,
    );
    expect(formatInvoiceNo('br-north', 'credit-note', 7)).toBe('BR-NORTH-CN-000007');
  });
});
