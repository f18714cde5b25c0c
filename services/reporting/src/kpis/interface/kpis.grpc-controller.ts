import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { ReportingV1 } from '@aftersales/contracts/grpc';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { KpiQueries } from '../application/kpi-queries';
import type { BranchKpis } from '../domain/branch-kpis';

/**
 * reporting.v1 BranchKpis has no fields for the figures added later (cancelled calls, SLA alerts,
 * contracts, surveys sent, escalations, notifications, technician evaluation): gRPC sends the proto's
 * fields only, until the proto gains them.
 */
const toProto = (k: BranchKpis): ReportingV1.BranchKpis => ({
  branchId: k.branchId,
  callsByCategory: k.callsByCategory,
  carriedOver: k.carriedOver,
  slaUrban: k.slaUrban,
  slaSuburban: k.slaSuburban,
  avgWorkingMinutesToArrival: k.avgWorkingMinutesToArrival,
  firstTimeFixRate: k.firstTimeFixRate,
  avgShopTurnaroundHours: k.avgShopTurnaroundHours,
  overdueRepairs: k.overdueRepairs,
  revenueInvoicedMinor: k.revenueInvoicedMinor,
  cashOutstandingMinor: k.cashOutstandingMinor,
  currency: k.currency,
  surveyAverages: k.surveyAverages,
  complaintsOpen: k.complaintsOpen,
  complaintsSerious: k.complaintsSerious,
});

/** reporting.v1.HeadOffice.GetBranchKpis: the REST /kpis table over gRPC. */
@Controller()
export class KpisGrpcController {
  constructor(private readonly kpis: KpiQueries) {}

  @GrpcMethod('HeadOffice', 'GetBranchKpis')
  @Roles('service-dept', 'deputy-gm', 'integrator', 'director', 'manager')
  async getBranchKpis(
    @Payload() req: ReportingV1.GetBranchKpisRequest,
    @CurrentUser() user: AuthUser,
  ): Promise<ReportingV1.GetBranchKpisResponse> {
    return { branches: (await this.kpis.branchKpis(user, req.branchIds ?? [], req.from, req.to)).map(toProto) };
  }
}
