import { Controller, Get, Header, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { kpisCsv } from '../domain/branch-kpis';
import { KpiQueries } from '../application/kpi-queries';
import { RebuildReadModels } from '../application/rebuild';
import { KpiQueryDto, splitBranchIds } from './kpis.dto';

/** Who may read KPIs: head office for every branch; a branch's director and manager for their own. */
const KPI_READERS = ['service-dept', 'deputy-gm', 'integrator', 'director', 'manager'] as const;

@Controller()
export class KpisController {
  constructor(
    private readonly kpis: KpiQueries,
    private readonly rebuild: RebuildReadModels,
  ) {}

  /** [23] KPIs per branch over a period, all requested branches side by side. */
  @Get('kpis')
  @Roles(...KPI_READERS)
  async get(@CurrentUser() user: AuthUser, @Query() q: KpiQueryDto) {
    return {
      from: q.from,
      to: q.to,
      branches: await this.kpis.branchKpis(user, splitBranchIds(q.branchIds), q.from, q.to),
    };
  }

  /** The same table as CSV (one row per branch). */
  @Get('kpis.csv')
  @Roles(...KPI_READERS)
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(@CurrentUser() user: AuthUser, @Query() q: KpiQueryDto): Promise<string> {
    return kpisCsv(await this.kpis.branchKpis(user, splitBranchIds(q.branchIds), q.from, q.to));
  }

  /** Operator: drop the read models and replay every stored event through the projection. */
  @Post('admin/read-models/rebuild')
  @HttpCode(200)
  @Roles('service-dept')
  rebuildReadModels() {
    return this.rebuild.run();
  }
}
