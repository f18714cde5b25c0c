import { Module } from '@nestjs/common';
import { DailyReports } from './application/daily-reports.service';
import { ReportStore } from './infrastructure/report.store';
import { DirectorReportsController, TechnicianReportsController } from './interface/daily-reports.controller';
import { DailyReportsGrpcController } from './interface/daily-reports.grpc-controller';

/** [15][16][17] Technician and director daily reports with the manager's sign-off. */
@Module({
  controllers: [TechnicianReportsController, DirectorReportsController, DailyReportsGrpcController],
  providers: [ReportStore, DailyReports],
})
export class DailyReportsModule {}
