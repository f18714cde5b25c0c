import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import type { ReportingV1 } from '@aftersales/contracts/grpc';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { KpiQueries } from '../application/kpi-queries';

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
    return { branches: await this.kpis.branchKpis(user, req.branchIds ?? [], req.from, req.to) };
  }
}
