import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { BranchDirectory } from '@aftersales/service-kit';
import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { assertWarrantyDates, type Customer, type InstalledProduct } from '../domain/customer';
import { duplicateSerials, groupByCustomer, type ImportRow } from '../domain/installed-base-import';
import { CustomerImportRepository, type ImportRecord } from '../infrastructure/customer-import.repository';

/** Documents per insertMany: FerretDB writes ~1,000/s, so a chunk is about half a second of work. */
const CHUNK = 500;
/** At most this many line numbers are listed in an error (the count says how many there are). */
const MAX_LISTED = 100;

export interface ImportResult extends ImportRecord {
  /** true when an Idempotency-Key replay returned the earlier result and nothing was written. */
  replayed: boolean;
}

/**
 * Bulk import of an installed base, all or nothing: every row is checked before anything is written; the
 * writes are tagged with the import id and deleted again if any of them fails (FerretDB has no transactions).
 * Customers already in the branch (same phone) get the products added; a serial already installed in the
 * branch is a conflict (409 naming the lines): the file is refused rather than silently skipping rows.
 */
@Injectable()
export class ImportInstalledBaseService {
  private readonly logger = new Logger(ImportInstalledBaseService.name);

  constructor(
    private readonly repo: CustomerImportRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  async import(
    branchId: string,
    rows: ImportRow[],
    opts: { idempotencyKey?: string; requestedBy: string },
  ): Promise<ImportResult> {
    const fieldErrors = [...duplicateSerials(rows)];
    for (const row of rows) {
      try {
        assertWarrantyDates(row, `line ${row.line}: `);
      } catch (err) {
        if (err instanceof ValidationError) fieldErrors.push(...err.errors);
        else throw err;
      }
    }
    if (fieldErrors.length) throw invalid(fieldErrors);

    const contentHash = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    const importId = opts.idempotencyKey
      ? createHash('sha256').update(`${branchId}\u0000${opts.idempotencyKey}`).digest('hex').slice(0, 32)
      : randomUUID().replaceAll('-', '');

    if (opts.idempotencyKey) {
      const earlier = await this.repo.findImport(importId);
      if (earlier) {
        if (earlier.contentHash !== contentHash) {
          throw new ConflictError('This Idempotency-Key was already used for a different file.');
        }
        if (earlier.status === 'completed') return { ...earlier, replayed: true };
        if (earlier.status === 'running') throw new ConflictError(`Import ${importId} is still running.`);
        await this.repo.deleteImport(importId); // failed earlier (and compensated): try again
      }
    }

    const taken = await this.repo.existingSerials(
      branchId,
      rows.map((r) => r.serial),
    );
    if (taken.size) {
      const lines = rows.filter((r) => taken.has(r.serial)).map((r) => r.line);
      throw new ConflictError(
        `${lines.length} serial(s) are already installed in branch ${branchId}: ` +
          `line${lines.length > 1 ? 's' : ''} ${listed(lines)}. Nothing was imported.`,
      );
    }

    const groups = groupByCustomer(rows);
    const known = await this.repo.customersByPhone(branchId, [...new Set(groups.map((g) => g.rows[0].phone))]);
    const now = this.clock.now().toISOString();
    const customers: Customer[] = [];
    const products: InstalledProduct[] = [];
    for (const group of groups) {
      const first = group.rows[0];
      let customerId = known.get(first.phone);
      if (!customerId) {
        customerId = `imp-${importId}-c${group.firstLine}`;
        customers.push({
          id: customerId,
          branchId,
          name: first.name,
          phone: first.phone,
          address: first.address,
          postalCode: first.postalCode,
          zone: this.branches.zoneOf(branchId, first.postalCode), // [19]
          createdAt: now,
          updatedAt: now,
        });
      }
      for (const r of group.rows) {
        products.push({
          id: `imp-${importId}-p${r.line}`,
          branchId,
          customerId,
          model: r.model,
          serial: r.serial,
          ...(r.purchaseDate ? { purchaseDate: r.purchaseDate } : {}),
          ...(r.warrantyEndsOn ? { warrantyEndsOn: r.warrantyEndsOn } : {}),
          createdAt: now,
        });
      }
    }

    const record: ImportRecord = {
      id: importId,
      branchId,
      ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
      contentHash,
      requestedBy: opts.requestedBy,
      status: 'running',
      rows: rows.length,
      customers: customers.length,
      existingCustomers: groups.length - customers.length,
      products: products.length,
      startedAt: now,
    };
    if (!(await this.repo.startImport(record))) {
      throw new ConflictError(`Import ${importId} is already running or done; post again to get its result.`);
    }

    try {
      await this.repo.insertCustomers(importId, customers, CHUNK);
      await this.repo.insertProducts(importId, products, CHUNK);
    } catch (err) {
      const reason = (err as Error).message;
      this.logger.warn(`import ${importId} failed, removing what it wrote: ${reason}`);
      await this.repo.deleteImported(importId);
      await this.repo.finishImport({
        ...record,
        status: 'failed',
        finishedAt: this.clock.now().toISOString(),
        error: reason,
      });
      if ((err as { code?: number }).code === 11000) {
        throw new ConflictError(`Import ${importId} clashed with existing records (${reason}); nothing was imported.`);
      }
      throw err;
    }
    const done: ImportRecord = { ...record, status: 'completed', finishedAt: this.clock.now().toISOString() };
    await this.repo.finishImport(done);
    return { ...done, replayed: false };
  }
}

const listed = (lines: number[]) =>
  lines.slice(0, MAX_LISTED).join(', ') + (lines.length > MAX_LISTED ? ` and ${lines.length - MAX_LISTED} more` : '');

function invalid(errors: { field: string; message: string }[]): ValidationError {
  return new ValidationError(
    `${errors.length} problem(s) in the file; nothing was imported.`,
    errors.slice(0, MAX_LISTED),
  );
}
