import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { CloudEvent } from '@aftersales/contracts';
import { insertWithEvents, Outbox, saveWithEvents, type SaveResult } from '@aftersales/messaging';
import { dropUndefined, fromDoc, toDoc, type Stored } from '../../shared/documents';
import { formatInvoiceNo, seriesOf, type Invoice, type InvoiceDraft } from '../domain/invoice';

type InvoiceDoc = Stored<Invoice>;
/** Per-series counter: `last` is always the number of an invoice that exists (or 0). */
type CounterDoc = { _id: string; last: number };
export type LoadedInvoice = Invoice & { version: number };

const MAX_NUMBERING_ATTEMPTS = 100;

/**
 * Invoices and credit notes (one collection, `kind` tells them apart) and their gap-free numbering.
 *
 * Gap-free numbers without transactions: the unique index on (series, seq) is the truth and the counter
 * document only a hint. To issue, read the counter `last`, insert the invoice at `last + 1` (the insert
 * carries the invoice.issued event: outbox), then raise the counter to that number with `$max`.
 *  - The number is consumed only by an invoice that was really inserted, so a failed insert (duplicate
 *    delivery, crash before the insert) burns no number.
 *  - A crash between the insert and the counter update leaves the counter behind: the next issuer's insert
 *    at that number fails on the unique index, it raises the counter past it and tries the next number.
 *  - Two issuers racing for the same number: one insert wins, the other moves on to the next number.
 * The counter only ever holds numbers of existing invoices and each new number is counter + 1, so every
 * series is 1, 2, 3… with no gaps. The invoice `_id` is derived from the callId, so a redelivered close
 * fails the insert on `_id` and issues nothing.
 */
@Injectable()
export class InvoiceRepository {
  private indexes?: Promise<unknown>;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection('invoices'));
  }

  private get invoices() {
    return this.connection.db!.collection<InvoiceDoc>('invoices');
  }

  private get counters() {
    return this.connection.db!.collection<CounterDoc>('invoice_counters');
  }

  private ensureIndexes(): Promise<unknown> {
    this.indexes ??= Promise.all([
      this.invoices.createIndex({ series: 1, seq: 1 }, { unique: true, name: 'series_seq_unique' }),
      this.invoices.createIndex({ branchId: 1, kind: 1, seq: -1 }, { name: 'branch_list' }),
      this.invoices.createIndex({ branchId: 1, cashPending: 1 }, { name: 'cash_pending' }),
      this.invoices.createIndex({ creditsInvoiceId: 1 }, { name: 'credits_invoice' }),
    ]).catch((err) => {
      this.indexes = undefined; // try again next time
      throw err;
    });
    return this.indexes;
  }

  /**
   * Issues a draft under the next number of its series, with the events `eventsFor` builds for the final
   * invoice. 'duplicate' when an invoice with the draft's `_id` already exists (nothing issued).
   */
  async issue(
    draft: InvoiceDraft,
    eventsFor: (invoice: Invoice) => CloudEvent[],
    causedBy?: string,
  ): Promise<{ result: 'saved' | 'duplicate'; invoice: Invoice }> {
    await this.ensureIndexes();
    const series = seriesOf(draft.branchId, draft.kind);
    // One numbering at a time per series in this process: concurrent ones would all take the same next
    // number and all but one retry (measured: 2.4 insert attempts per invoice under load). Other replicas
    // still race, and the unique index and the retry below still settle that.
    return this.oneAtATime(series, () => this.issueNumbered(series, draft, eventsFor, causedBy));
  }

  private readonly numbering = new Map<string, Promise<unknown>>();

  private oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (this.numbering.get(key) ?? Promise.resolve()).then(work, work);
    const settled = result.catch(() => undefined);
    this.numbering.set(key, settled);
    void settled.then(() => this.numbering.get(key) === settled && this.numbering.delete(key));
    return result;
  }

  private async issueNumbered(
    series: string,
    draft: InvoiceDraft,
    eventsFor: (invoice: Invoice) => CloudEvent[],
    causedBy?: string,
  ): Promise<{ result: 'saved' | 'duplicate'; invoice: Invoice }> {
    for (let attempt = 0; attempt < MAX_NUMBERING_ATTEMPTS; attempt++) {
      const last = (await this.counters.findOne({ _id: series }))?.last ?? 0;
      const seq = last + 1;
      const invoice: Invoice = { ...draft, series, seq, invoiceNo: formatInvoiceNo(draft.branchId, draft.kind, seq) };
      const result = await insertWithEvents(this.invoices, toDoc(invoice), eventsFor(invoice), { causedBy });
      if (result === 'saved') {
        await this.raiseCounter(series, seq);
        this.outbox.kick({ collection: this.invoices.collectionName, id: invoice.id });
        return { result, invoice };
      }
      const existing = await this.find(draft.id);
      if (existing) {
        // A crash may also have left its events unpublished: have them relayed now, not at the next search.
        this.outbox.kick({ collection: this.invoices.collectionName, id: existing.id });
        await this.raiseCounter(existing.series, existing.seq); // heal a counter left behind by a crash
        return { result: 'duplicate', invoice: existing };
      }
      await this.raiseCounter(series, seq); // the number is taken by another invoice: skip past it
    }
    throw new Error(`could not number an invoice in series ${series}: too much contention`);
  }

  private async raiseCounter(series: string, seq: number): Promise<void> {
    await this.counters.updateOne({ _id: series }, { $max: { last: seq } }, { upsert: true });
  }

  async save(id: string, version: number, changes: Partial<Invoice>, events: CloudEvent[]): Promise<SaveResult> {
    const result = await saveWithEvents(
      this.invoices,
      id,
      version,
      dropUndefined(changes) as Partial<InvoiceDoc>,
      events,
    );
    if (result === 'saved') this.outbox.kick({ collection: this.invoices.collectionName, id });
    return result;
  }

  async find(id: string): Promise<LoadedInvoice | null> {
    const doc = await this.invoices.findOne({ _id: id });
    return doc ? fromDoc<Invoice>(doc) : null;
  }

  /** Newest first, by number; equality keys only. */
  async page(branchId: string, kind: Invoice['kind'], page: number, pageSize: number) {
    const filter = { branchId, kind };
    const [items, total] = await Promise.all([
      this.invoices
        .find(filter)
        .sort({ seq: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.invoices.countDocuments(filter),
    ]);
    return { items: items.map((d) => fromDoc<Invoice>(d)), total };
  }

  /** Credit notes of an invoice (equality key), oldest first. */
  async creditNotesOf(invoiceId: string): Promise<LoadedInvoice[]> {
    const docs = await this.invoices.find({ creditsInvoiceId: invoiceId }).sort({ seq: 1 }).toArray();
    return docs.map((d) => fromDoc<Invoice>(d));
  }

  async withCashPending(branchId: string): Promise<LoadedInvoice[]> {
    const docs = await this.invoices.find({ branchId, cashPending: true }).sort({ seq: 1 }).toArray();
    return docs.map((d) => fromDoc<Invoice>(d));
  }
}
