import { parse, type CsvError } from 'csv-parse';
import { ValidationError, type FieldError } from '@aftersales/service-kit/domain-errors';
import { z } from 'zod';
import { assertWarrantyDates } from '../domain/customer';
import { duplicateSerials, MAX_IMPORT_ROWS, type ImportRow } from '../domain/installed-base-import';
import { CustomerInputSchema, ProductInputSchema } from './customers.controller';

export const CSV_COLUMNS = [
  'name',
  'phone',
  'address',
  'postalCode',
  'model',
  'serial',
  'purchaseDate',
  'warrantyEndsOn',
] as const;

/** One row = one installed product at a customer's: the same schemas as the single-record endpoints. */
export const ImportRowSchema = z.strictObject({ ...CustomerInputSchema.shape, ...ProductInputSchema.shape });

/** At most this many field errors are listed; the message gives the total. */
const MAX_LISTED = 100;

function fail(errors: FieldError[], total = errors.length): never {
  throw new ValidationError(`${total} problem(s) in the file; nothing was imported.`, errors.slice(0, MAX_LISTED));
}

const lineNo = (e: FieldError) => Number(/^line (\d+)/.exec(e.field)?.[1] ?? 0);

/** Validates every row (none is written unless all pass); `lineOf(i)` numbers them for the caller. */
export function validateRows(raw: unknown[], lineOf: (i: number) => number): ImportRow[] {
  if (raw.length === 0) fail([{ field: 'rows', message: 'the file has no rows' }]);
  if (raw.length > MAX_IMPORT_ROWS) {
    fail([{ field: 'rows', message: `at most ${MAX_IMPORT_ROWS} rows per import (got ${raw.length})` }]);
  }
  const rows: ImportRow[] = [];
  const errors: FieldError[] = [];
  raw.forEach((value, i) => {
    const line = lineOf(i);
    const parsed = ImportRowSchema.safeParse(value);
    if (parsed.success) {
      rows.push({ line, ...parsed.data });
      try {
        assertWarrantyDates(parsed.data, `line ${line}: `);
      } catch (err) {
        if (err instanceof ValidationError) errors.push(...err.errors);
        else throw err;
      }
    } else {
      for (const issue of parsed.error.issues) {
        const path = issue.path.length
          ? issue.path.join('.')
          : ((issue as { keys?: string[] }).keys?.join(',') ?? 'row');
        errors.push({ field: `line ${line}: ${path}`, message: issue.message });
      }
    }
  });
  errors.push(...duplicateSerials(rows));
  if (errors.length) fail(errors.sort((a, b) => lineNo(a) - lineNo(b)));
  return rows;
}

/** JSON body `{ rows: [...] }`: rows numbered from 1. */
export function rowsFromJson(body: unknown): ImportRow[] {
  const shape = z.strictObject({ rows: z.array(z.unknown()) }).safeParse(body);
  if (!shape.success) {
    fail(shape.error.issues.map((i) => ({ field: i.path.join('.') || 'rows', message: i.message })));
  }
  return validateRows(shape.data.rows, (i) => i + 1);
}

/**
 * CSV with the header `name,phone,address,postalCode,model,serial,purchaseDate,warrantyEndsOn` (any order,
 * all present). Rows are numbered by their line in the file (header = line 1); empty cells of the optional
 * dates mean "not known".
 */
export async function rowsFromCsv(text: string): Promise<ImportRow[]> {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = await new Promise((resolve, reject) =>
      parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true, max_record_size: 4096 }, (err, out) =>
        err ? reject(err) : resolve(out as unknown as typeof records),
      ),
    );
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    fail([{ field: `line ${e.lines ?? '?'}: csv`, message: e.message }]);
  }
  if (records.length === 0) fail([{ field: 'line 1: header', message: 'the file is empty' }]);
  const header = records[0].record;
  const headerErrors: FieldError[] = [];
  for (const c of CSV_COLUMNS) {
    if (!header.includes(c)) headerErrors.push({ field: `line 1: ${c}`, message: 'column missing from the header' });
  }
  for (const c of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) {
      headerErrors.push({ field: `line 1: ${c}`, message: 'unknown column' });
    }
  }
  if (headerErrors.length) fail(headerErrors);
  const data = records.slice(1);
  const objects = data.map(({ record }) => {
    const o: Record<string, string> = {};
    header.forEach((c, i) => {
      const v = record[i] ?? '';
      const optional = c === 'purchaseDate' || c === 'warrantyEndsOn';
      if (v !== '' || !optional) o[c] = v; // an empty date cell = not known
    });
    return o;
  });
  return validateRows(objects, (i) => data[i].info.lines);
}
