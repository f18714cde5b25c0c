import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { NotFoundError } from '../errors/domain-errors';
import type { Branch, Zone } from './branch';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected HH:MM');
const range = z
  .object({ from: hhmm, to: hhmm })
  .refine((r) => r.from < r.to, { message: '"from" must be before "to"' });
const day = z.array(range);
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'unknown IANA time zone');

const branchSchema: z.ZodType<Branch> = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  timezone,
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code'),
  businessHours: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
  holidays: z.array(z.iso.date()),
  suburban: z.object({ postalCodePrefixes: z.array(z.string().regex(/^[0-9A-Z]+$/)) }),
  cashLimitMinor: z.number().int().min(0),
  onDuty: z.object({ managerId: z.string().min(1), directorId: z.string().min(1) }),
});

export const branchesFileSchema = z.object({
  branches: z
    .array(branchSchema)
    .min(1)
    .refine((list) => new Set(list.map((b) => b.id)).size === list.length, 'branch ids must be unique'),
});

/** Reads and validates the branch directory; errors name the file and the bad field. */
export function loadBranches(file: string): Branch[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`branches file ${file}: ${(err as Error).message}`);
  }
  const parsed = branchesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`branches file ${file}: ${detail}`);
  }
  return parsed.data.branches;
}

/** A 404 when it escapes to HTTP: the id came from the caller. */
export class UnknownBranchError extends NotFoundError {
  constructor(readonly branchId: string) {
    super(`unknown branch "${branchId}"`);
  }
}

/** The branch reference data every service shares (DOMAIN.md "Branches"). */
export class BranchDirectory {
  private readonly byId: ReadonlyMap<string, Branch>;

  constructor(branches: readonly Branch[]) {
    this.byId = new Map(branches.map((b) => [b.id, b]));
  }

  static fromFile(file: string): BranchDirectory {
    return new BranchDirectory(loadBranches(file));
  }

  get(id: string): Branch {
    const branch = this.byId.get(id);
    if (!branch) throw new UnknownBranchError(id);
    return branch;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): Branch[] {
    return [...this.byId.values()];
  }

  /** Urban or suburban, by the branch's postal-code rule; spaces and case in the code are ignored. */
  zoneOf(branchId: string, postalCode: string): Zone {
    const code = postalCode.replace(/\s+/g, '').toUpperCase();
    const suburban = this.get(branchId).suburban.postalCodePrefixes.some((prefix) => code.startsWith(prefix));
    return suburban ? 'suburban' : 'urban';
  }
}
