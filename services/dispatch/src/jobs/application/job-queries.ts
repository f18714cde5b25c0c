import { Injectable } from '@nestjs/common';
import { assertBranchAccess, AuthUser, BranchDirectory, ForbiddenError, NotFoundError } from '@aftersales/service-kit';
import { BranchCalendars } from '../../shared/calendars';
import { Clock } from '../../shared/clock';
import { InjectConfig } from '@aftersales/service-kit';
import type { DispatchConfig } from '../../config';
import { TechnicianRepository } from '../../technicians/application/ports';
import { rankTechnicians, skillsMentioned, Suggestion } from '../../technicians/domain/technician';
import type { Job, JobStatus } from '../domain/job';
import { slaStatus, SlaStatus } from '../domain/sla';
import { loadVisible } from './job-commands';
import { JobRepository, Page } from './ports';

export interface TechnicianDay {
  technicianId: string;
  date: string;
  /** Jobs assigned and not finished: what is still to do, priority first then by SLA due time. */
  open: Job[];
  /** Jobs the technician arrived at on `date` (branch-local), in arrival order. */
  visited: Job[];
}

@Injectable()
export class JobQueries {
  constructor(
    private readonly jobs: JobRepository,
    private readonly technicians: TechnicianRepository,
    private readonly calendars: BranchCalendars,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
    @InjectConfig() private readonly config: DispatchConfig,
  ) {}

  async get(user: AuthUser, callId: string): Promise<Job> {
    return (await loadVisible(this.jobs, user, callId)).job;
  }

  async sla(user: AuthUser, callId: string): Promise<SlaStatus> {
    const { job } = await loadVisible(this.jobs, user, callId);
    return slaStatus(job, this.clock.now(), this.calendars.for(job.branchId), this.config.SLA_AT_RISK_WORKING_MINUTES);
  }

  /** Open jobs of a branch, carried-over first [18] then by SLA due time; `status: 'open'` is the director's queue. */
  async listOpen(
    user: AuthUser,
    branchId: string,
    filter: { status?: JobStatus; page: number; pageSize: number },
  ): Promise<Page<Job>> {
    assertBranchAccess(user, branchId);
    this.branches.get(branchId); // 404 for an unknown branch
    return this.jobs.listOpen(branchId, filter);
  }

  async technicianDay(user: AuthUser, branchId: string, technicianId: string, date?: string): Promise<TechnicianDay> {
    assertBranchAccess(user, branchId);
    if (user.roles.length === 1 && user.roles[0] === 'technician' && user.sub !== technicianId) {
      throw new ForbiddenError(`a technician sees only their own day`);
    }
    const technician = await this.technicians.get(technicianId);
    if (!technician || technician.branchId !== branchId) {
      throw new NotFoundError(`technician ${technicianId} does not exist in branch ${branchId}`);
    }
    const day = date ?? this.calendars.for(branchId).businessDate(this.clock.now());
    const [open, visited] = await Promise.all([
      this.jobs.openOfTechnician(technicianId),
      this.jobs.arrivedOn(technicianId, day),
    ]);
    return { technicianId, date: day, open, visited };
  }

  /**
   * Active technicians of the job's branch best placed for it: most matching skills, then fewest open jobs.
   * Wanted skills are the ones given, or else the roster skills the product model or problem mention.
   */
  async suggest(
    user: AuthUser,
    callId: string,
    skills?: string[],
  ): Promise<{ skills: string[]; technicians: Suggestion[] }> {
    const { job } = await loadVisible(this.jobs, user, callId);
    const roster = await this.technicians.listByBranch(job.branchId, { active: true });
    const wanted =
      skills && skills.length > 0
        ? skills.map((s) => s.toLowerCase())
        : skillsMentioned(`${job.call?.product.model ?? ''} ${job.call?.problem ?? ''}`, roster);
    const load = await this.jobs.openLoad(job.branchId);
    return { skills: wanted, technicians: rankTechnicians(roster, load, wanted) };
  }
}
