import { Injectable } from '@nestjs/common';
import { assertBranchAccess, AuthUser, BranchDirectory, InjectConfig, isHeadOffice } from '@aftersales/service-kit';
import type { ReportingConfig } from '../../config';
import { BranchKpis, branchKpis } from '../domain/branch-kpis';
import { sumCounters } from '../domain/day-counters';
import { datesOf } from '../domain/period';
import { KpiDayDoc, ReadModelStore } from '../infrastructure/read-model.store';

@Injectable()
export class KpiQueries {
  constructor(
    private readonly store: ReadModelStore,
    private readonly branches: BranchDirectory,
    @InjectConfig() private readonly config: ReportingConfig,
  ) {}

  /**
   * KPIs of each branch over [from, to], side by side. Reads at most one document per (branch, date), from
   * the monthly collections the period spans, so the cost depends on the period and the branches, never
   * on the history stored.
   * No branch named = every branch the caller may see (head office: all; a branch role: its own).
   */
  async branchKpis(user: AuthUser, branchIds: readonly string[], from: string, to: string): Promise<BranchKpis[]> {
    const dates = datesOf(from, to, this.config.KPI_MAX_DAYS);
    const ids = branchIds.length
      ? [...branchIds]
      : isHeadOffice(user)
        ? this.branches
            .all()
            .map((b) => b.id)
            .sort()
        : [user.branchId];
    const branches = ids.map((id) => {
      assertBranchAccess(user, id);
      return this.branches.get(id); // 404 for an unknown branch
    });
    const keys = branches.flatMap((b) => dates.map((date) => ({ branchId: b.id, date })));
    const docs = await this.store.kpiDays(keys);
    const byBranch = new Map<string, KpiDayDoc[]>();
    for (const doc of docs) byBranch.set(doc.branchId, [...(byBranch.get(doc.branchId) ?? []), doc]);
    // [23] technician evaluations are monthly: those of the months the period touches
    const months = [...new Set(dates.map((d) => d.slice(0, 7)))];
    const evaluations = await this.store.technicianEvaluations(
      branches.map((b) => b.id),
      months,
    );
    return branches.map((b) =>
      branchKpis(
        b.id,
        b.currency,
        sumCounters(byBranch.get(b.id) ?? []),
        evaluations.filter((e) => e.branchId === b.id),
      ),
    );
  }
}
