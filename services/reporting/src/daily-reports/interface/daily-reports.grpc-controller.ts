import { Controller } from '@nestjs/common';
import { GrpcMethod, Payload } from '@nestjs/microservices';
import { ReportingV1 } from '@aftersales/contracts/grpc';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { DailyReports } from '../application/daily-reports.service';
import type { DirectorReport, DirectorReportState } from '../domain/director-report';

const STATE: Record<DirectorReportState, ReportingV1.DailyReportState> = {
  draft: ReportingV1.DailyReportState.DAILY_REPORT_STATE_DRAFT,
  submitted: ReportingV1.DailyReportState.DAILY_REPORT_STATE_SUBMITTED,
  signed: ReportingV1.DailyReportState.DAILY_REPORT_STATE_SIGNED,
  received: ReportingV1.DailyReportState.DAILY_REPORT_STATE_RECEIVED,
};

export const toGrpcReport = (r: DirectorReport): ReportingV1.DirectorDailyReport => ({
  branchId: r.branchId,
  businessDate: r.businessDate,
  state: STATE[r.state],
  people: r.people,
  submittedBy: r.submittedBy ?? '',
  signedBy: r.signedBy ?? '',
  signedAt: r.signedAt ?? '',
  receivedAt: r.receivedAt ?? '',
});

/** reporting.v1.HeadOffice.ListDailyReports: the current revision of each day, newest first. */
@Controller()
export class DailyReportsGrpcController {
  constructor(private readonly reports: DailyReports) {}

  @GrpcMethod('HeadOffice', 'ListDailyReports')
  @Roles('director', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  async listDailyReports(
    @Payload() req: ReportingV1.ListDailyReportsRequest,
    @CurrentUser() user: AuthUser,
  ): Promise<ReportingV1.ListDailyReportsResponse> {
    const page = await this.reports.list(
      user,
      req.branchId,
      req.businessDate || undefined,
      req.pageSize,
      req.pageToken || undefined,
    );
    return { reports: page.reports.map(toGrpcReport), nextPageToken: page.nextPageToken };
  }
}
