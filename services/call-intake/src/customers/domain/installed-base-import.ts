/**
 * Bulk import of an installed base: one row = one installed product at a customer's. Plain rules, no I/O:
 * rows of one file that share name + phone are one customer, and a serial may appear only once per file.
 */
import type { FieldError } from '@aftersales/service-kit/domain-errors';

export const MAX_IMPORT_ROWS = 20_000;

export interface ImportRow {
  /** Line of the CSV file (header = line 1) or position in the JSON `rows` array (first = 1). */
  line: number;
  name: string;
  phone: string;
  address: string;
  postalCode: string;
  model: string;
  serial: string;
  purchaseDate?: string;
  warrantyEndsOn?: string;
}

export interface CustomerGroup {
  /** The first line naming this customer: their id is derived from it. */
  firstLine: number;
  rows: ImportRow[];
}

const customerKey = (r: ImportRow) => `${r.name.trim().toLowerCase()}\u0000${r.phone}`;

/** Groups rows into customers (same name + phone), in file order. */
export function groupByCustomer(rows: ImportRow[]): CustomerGroup[] {
  const groups = new Map<string, CustomerGroup>();
  for (const row of rows) {
    const key = customerKey(row);
    const group = groups.get(key);
    if (group) group.rows.push(row);
    else groups.set(key, { firstLine: row.line, rows: [row] });
  }
  return [...groups.values()];
}

/** A serial twice in the same file is a mistake in the file: each later line is reported. */
export function duplicateSerials(rows: ImportRow[]): FieldError[] {
  const seen = new Map<string, number>();
  const errors: FieldError[] = [];
  for (const row of rows) {
    const first = seen.get(row.serial);
    if (first === undefined) seen.set(row.serial, row.line);
    else errors.push({ field: `line ${row.line}: serial`, message: `serial "${row.serial}" already on line ${first}` });
  }
  return errors;
}
