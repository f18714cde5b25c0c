import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { InvoiceIssuedV1, PaymentRecordedV1, type CloudEvent } from '@aftersales/contracts';
import { BranchDirectory, ConflictError, NotFoundError } from '@aftersales/service-kit';
import { ContractsService } from '../../maintenance/application/contracts.service';
import { PriceListService } from '../../pricing/application/price-list.service';
import { sumMinor } from '../../pricing/domain/money';
import { Clock } from '../../shared/clock';
import { billingMeta } from '../../shared/events';
import {
  balanceOf,
  creditNoteFor,
  handOverCash,
  invoiceForClosedCall,
  invoiceIdForCall,
  recordPayment,
  statusOf,
  type ClosedCall,
  type ContractCover,
  type Invoice,
  type Payment,
} from '../domain/invoice';
import { InvoiceRepository, type LoadedInvoice } from '../infrastructure/invoice.repository';

const issuedEvent = (inv: Invoice) =>
  InvoiceIssuedV1.create(
    {
      branchId: inv.branchId,
      invoiceId: inv.id,
      invoiceNo: inv.invoiceNo,
      ...(inv.callId ? { callId: inv.callId } : {}),
      customerId: inv.customer.id,
      category: inv.category,
      lines: inv.lines.map((l) => ({
        description: l.description,
        qty: l.qty,
        unitPrice: l.unitPrice,
        amount: l.amount,
      })),
      total: inv.total,
      currency: inv.currency,
      issuedAt: inv.issuedAt,
    },
    billingMeta(inv.id),
  );

const paymentEvent = (inv: Invoice, p: Payment, recordedAt: Date): CloudEvent =>
  PaymentRecordedV1.create(
    {
      branchId: inv.branchId,
      invoiceId: inv.id,
      amount: p.amount,
      currency: inv.currency,
      method: p.method,
      ...(p.handedOverAt ? { handedOverAt: p.handedOverAt } : {}),
      recordedAt: recordedAt.toISOString(),
    },
    billingMeta(inv.id),
  );

export type InvoiceView = LoadedInvoice & { status: ReturnType<typeof statusOf>; balanceMinor: number };

const MAX_CONFLICT_RETRIES = 5;

@Injectable()
export class InvoicesService {
  constructor(
    private readonly repository: InvoiceRepository,
    private readonly priceLists: PriceListService,
    private readonly contracts: ContractsService,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * [10][13] Exactly one invoice per closed call however often the close arrives: the invoice `_id` is
   * derived from the callId, so a redelivery finds it (or fails the insert as a duplicate) and issues nothing.
   */
  async invoiceClosedCall(call: ClosedCall, eventKey?: string): Promise<'saved' | 'duplicate'> {
    if (await this.repository.find(invoiceIdForCall(call.callId))) return 'duplicate';
    const branch = this.branches.get(call.branchId);
    const prices = await this.priceLists.get(call.branchId);
    let cover: ContractCover | null = null;
    if (call.category === 'B' && call.product) {
      const day = DateTime.fromISO(call.closedAt).setZone(branch.timezone).toISODate()!;
      const found = await this.contracts.coverage(call.customer.id, call.product.serial, day);
      if (found)
        cover = {
          contractId: found.contract.id,
          coversLabour: found.term.coversLabour,
          coversParts: found.term.coversParts,
        };
    }
    const draft = invoiceForClosedCall(call, prices, cover, this.clock.now());
    const { result } = await this.repository.issue(draft, (inv) => [issuedEvent(inv)], eventKey);
    return result;
  }

  /** An invoice or credit note with its derived state: credited amount, balance, status. */
  async get(branchId: string, id: string): Promise<InvoiceView> {
    const inv = await this.repository.find(id);
    if (!inv || inv.branchId !== branchId) throw new NotFoundError(`invoice ${id} does not exist`);
    return this.view(inv);
  }

  async list(branchId: string, kind: Invoice['kind'], page: number, pageSize: number) {
    this.branches.get(branchId);
    const { items, total } = await this.repository.page(branchId, kind, page, pageSize);
    return { items: await Promise.all(items.map((i) => this.view(i))), page, pageSize, total };
  }

  /** [10] The accountant received the on-site cash from the technician: `billing.payment.recorded.v1`. */
  handOverCash(branchId: string, id: string, by: string): Promise<InvoiceView> {
    return this.update(branchId, id, (inv) => {
      const now = this.clock.now();
      const { payment, payments } = handOverCash(inv, now, by);
      const stillPending = payments.some((p) => p.method === 'cash-on-site' && !p.handedOverAt);
      return { changes: { payments, cashPending: stillPending }, events: [paymentEvent(inv, payment, now)] };
    });
  }

  recordPayment(
    branchId: string,
    id: string,
    input: { amountMinor: number; method: 'cash' | 'transfer' | 'card' },
    by: string,
  ): Promise<InvoiceView> {
    return this.update(branchId, id, (inv) => {
      const now = this.clock.now();
      const { payment, payments, paidMinor } = recordPayment(
        inv,
        { id: `pay-${randomUUID()}`, amount: input.amountMinor, method: input.method },
        now,
        by,
      );
      return { changes: { payments, paidMinor }, events: [paymentEvent(inv, payment, now)] };
    });
  }

  /**
   * A credit note corrects an issued invoice, which is never edited. The credited amount of an invoice is
   * derived from its credit notes, so issuing one is a single insert. Its `_id` is `<invoiceId>-cn-<k>`
   * (k = credit notes so far + 1): two concurrent credits of the same invoice collide on it, and the loser
   * gets a 409 instead of over-crediting.
   */
  async creditNote(
    branchId: string,
    id: string,
    input: { amountMinor?: number; reason: string },
  ): Promise<InvoiceView> {
    const inv = await this.get(branchId, id);
    const existing = await this.repository.creditNotesOf(inv.id);
    const draft = creditNoteFor(
      inv,
      { id: `${inv.id}-cn-${existing.length + 1}`, amount: input.amountMinor, reason: input.reason },
      this.clock.now(),
    );
    const { result, invoice } = await this.repository.issue(draft, (cn) => [issuedEvent(cn)]);
    if (result === 'duplicate')
      throw new ConflictError(`invoice ${inv.invoiceNo} was credited concurrently: try again`);
    return this.view({ ...invoice, version: 1 });
  }

  /** [10] Cash collected on site and not yet handed over, per technician. */
  async outstandingCash(branchId: string) {
    const branch = this.branches.get(branchId);
    const byTechnician = new Map<string, { technicianId: string; amountMinor: number; invoices: unknown[] }>();
    for (const inv of await this.repository.withCashPending(branchId)) {
      for (const p of inv.payments.filter((x) => x.method === 'cash-on-site' && !x.handedOverAt)) {
        const key = p.technicianId ?? 'unknown';
        const entry = byTechnician.get(key) ?? { technicianId: key, amountMinor: 0, invoices: [] };
        entry.amountMinor = sumMinor([entry.amountMinor, p.amount]);
        entry.invoices.push({
          invoiceId: inv.id,
          invoiceNo: inv.invoiceNo,
          amountMinor: p.amount,
          collectedAt: p.recordedAt,
        });
        byTechnician.set(key, entry);
      }
    }
    return { branchId, currency: branch.currency, technicians: [...byTechnician.values()] };
  }

  private async view(inv: LoadedInvoice): Promise<InvoiceView> {
    const credited =
      inv.kind === 'invoice' ? sumMinor((await this.repository.creditNotesOf(inv.id)).map((cn) => -cn.total)) : 0;
    const withCredits = { ...inv, creditedMinor: credited };
    return { ...withCredits, status: statusOf(withCredits), balanceMinor: balanceOf(withCredits) };
  }

  private async update(
    branchId: string,
    id: string,
    decide: (inv: InvoiceView) => { changes: Partial<Invoice>; events: CloudEvent[] },
  ): Promise<InvoiceView> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const inv = await this.get(branchId, id);
      const { changes, events } = decide(inv);
      if ((await this.repository.save(id, inv.version, changes, events)) === 'saved') return this.get(branchId, id);
    }
    throw new ConflictError(`invoice ${id} is being changed concurrently: try again`);
  }
}
