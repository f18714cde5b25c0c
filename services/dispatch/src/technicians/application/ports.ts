import type { Technician } from '../domain/technician';

export abstract class TechnicianRepository {
  abstract get(id: string): Promise<Technician | null>;
  /** 'duplicate' when the id is taken (in any branch). */
  abstract insert(t: Technician): Promise<'saved' | 'duplicate'>;
  abstract update(t: Technician): Promise<void>;
  abstract listByBranch(branchId: string, filter: { active?: boolean }): Promise<Technician[]>;
}
