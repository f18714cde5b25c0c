import { Module } from '@nestjs/common';
import { MessagingModule } from '@aftersales/messaging';
import { MongoModule, ServiceKitModule } from '@aftersales/service-kit';
import { reportingConfig } from './config';
import { DailyReportsModule } from './daily-reports/daily-reports.module';
import {
  ProjectCallCancelled,
  ProjectSlaAtRisk,
  ProjectSlaBreached,
  ProjectProductTakenToShop,
  ProjectContractCreated,
  ProjectContractRenewed,
  ProjectContractExpiring,
  ProjectContractExpired,
  ProjectSurveySent,
  ProjectComplaintEscalated,
  ProjectComplaintCustomerNotified,
  ProjectTechnicianEvaluated,
  ProjectCallCarriedOver,
  ProjectCallClosed,
  ProjectCallReclassified,
  ProjectCallRegistered,
  ProjectComplaintReceived,
  ProjectComplaintResolved,
  ProjectInvoiceIssued,
  ProjectPaymentRecorded,
  ProjectProductCheckedIn,
  ProjectProductReturned,
  ProjectRepairCompleted,
  ProjectRepairOverdue,
  ProjectSurveyAnswered,
  ProjectTechnicianArrived,
  ProjectTechnicianAssigned,
  ProjectVisitCompleted,
} from './kpis/application/projection.handlers';
import { KpisModule } from './kpis/kpis.module';
import { ClockModule } from './shared/clock.module';

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: 'reporting', config: reportingConfig }),
    MongoModule.forService('reporting'),
    MessagingModule.forService('reporting', {
      handlers: [
        ProjectCallRegistered,
        ProjectCallReclassified,
        ProjectCallCarriedOver,
        ProjectCallClosed,
        ProjectTechnicianAssigned,
        ProjectTechnicianArrived,
        ProjectVisitCompleted,
        ProjectProductCheckedIn,
        ProjectRepairOverdue,
        ProjectRepairCompleted,
        ProjectProductReturned,
        ProjectInvoiceIssued,
        ProjectPaymentRecorded,
        ProjectSurveyAnswered,
        ProjectComplaintReceived,
        ProjectComplaintResolved,
        ProjectCallCancelled,
        ProjectSlaAtRisk,
        ProjectSlaBreached,
        ProjectProductTakenToShop,
        ProjectContractCreated,
        ProjectContractRenewed,
        ProjectContractExpiring,
        ProjectContractExpired,
        ProjectSurveySent,
        ProjectComplaintEscalated,
        ProjectComplaintCustomerNotified,
        ProjectTechnicianEvaluated,
      ],
    }),
    ClockModule,
    KpisModule,
    DailyReportsModule,
  ],
})
export class AppModule {}
