import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';

/** A field or shop technician of one branch's roster. The id is the technician's user id (token `sub`). */
export interface Technician {
  id: string;
  branchId: string;
  name: string;
  /** Free-form skill tags, e.g. "washing-machines", "refrigeration"; compared case-insensitively. */
  skills: string[];
  active: boolean;
  createdAt: Date;
  deactivatedAt?: Date;
}

export interface NewTechnician {
  id: string;
  branchId: string;
  name: string;
  skills: string[];
}

export function createTechnician(input: NewTechnician, now: Date): Technician {
  const skills = [...new Set(input.skills.map((s) => s.trim().toLowerCase()).filter(Boolean))];
  if (!input.name.trim())
    throw new ValidationError('A technician needs a name.', [{ field: 'name', message: 'empty' }]);
  return { id: input.id, branchId: input.branchId, name: input.name.trim(), skills, active: true, createdAt: now };
}

/** Deactivating keeps the technician (history, reports) but takes them off new assignments. Idempotent. */
export function deactivateTechnician(t: Technician, now: Date): Technician {
  if (!t.active) return t;
  return { ...t, active: false, deactivatedAt: now };
}

export function assertAssignable(t: Technician): void {
  if (!t.active) throw new ConflictError(`technician ${t.id} is inactive and cannot be assigned`);
}

export interface Suggestion {
  technicianId: string;
  name: string;
  matchedSkills: string[];
  openJobs: number;
}

/**
 * Technicians best placed for a job: active ones only, most matching skills first, then the fewest open
 * jobs (current load), then by name for a stable order. `wanted` are lower-case skill tags.
 */
export function rankTechnicians(
  technicians: readonly Technician[],
  openJobsByTechnician: ReadonlyMap<string, number>,
  wanted: readonly string[],
): Suggestion[] {
  return technicians
    .filter((t) => t.active)
    .map((t) => ({
      technicianId: t.id,
      name: t.name,
      matchedSkills: t.skills.filter((s) => wanted.includes(s)),
      openJobs: openJobsByTechnician.get(t.id) ?? 0,
    }))
    .sort(
      (a, b) =>
        b.matchedSkills.length - a.matchedSkills.length || a.openJobs - b.openJobs || a.name.localeCompare(b.name),
    );
}

/**
 * The skills a job calls for when the director names none: every roster skill that appears as a word in
 * the product model or the problem text (e.g. skill "compressor" for "compressor is noisy").
 */
export function skillsMentioned(text: string, roster: readonly Technician[]): string[] {
  const words = new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9-]+/)
      .filter(Boolean),
  );
  return [...new Set(roster.flatMap((t) => t.skills))].filter((s) => words.has(s));
}
