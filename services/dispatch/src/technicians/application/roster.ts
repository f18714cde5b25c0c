import { Injectable } from '@nestjs/common';
import { assertBranchAccess, AuthUser, BranchDirectory, ConflictError, NotFoundError } from '@aftersales/service-kit';
import { Clock } from '../../shared/clock';
import { createTechnician, deactivateTechnician, NewTechnician, Technician } from '../domain/technician';
import { TechnicianRepository } from './ports';

/** A branch's technicians roster, managed by its director. */
@Injectable()
export class Roster {
  constructor(
    private readonly technicians: TechnicianRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  async create(user: AuthUser, input: NewTechnician): Promise<Technician> {
    assertBranchAccess(user, input.branchId);
    this.branches.get(input.branchId);
    const technician = createTechnician(input, this.clock.now());
    if ((await this.technicians.insert(technician)) === 'duplicate') {
      throw new ConflictError(`technician ${input.id} already exists`);
    }
    return technician;
  }

  async list(user: AuthUser, branchId: string, active?: boolean): Promise<Technician[]> {
    assertBranchAccess(user, branchId);
    this.branches.get(branchId);
    return this.technicians.listByBranch(branchId, { active });
  }

  async deactivate(user: AuthUser, branchId: string, id: string): Promise<Technician> {
    assertBranchAccess(user, branchId);
    const technician = await this.technicians.get(id);
    if (!technician || technician.branchId !== branchId) {
      throw new NotFoundError(`technician ${id} does not exist in branch ${branchId}`);
    }
    const next = deactivateTechnician(technician, this.clock.now());
    if (next !== technician) await this.technicians.update(next);
    return next;
  }
}
