import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { DailyReports } from '../application/daily-reports.service';
import { DEntryDto, ListReportsDto } from './daily-reports.dto';

const READERS = ['technician', 'director', 'manager', 'service-dept', 'deputy-gm', 'integrator'] as const;

/** [15] Technician daily work reports. */
@Controller('branches/:branchId/technician-reports/:businessDate/:technicianId')
export class TechnicianReportsController {
  constructor(private readonly reports: DailyReports) {}

  @Get()
  @Roles(...READERS)
  get(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('businessDate') date: string,
    @Param('technicianId') technicianId: string,
  ) {
    return this.reports.technicianReport(user, branchId, date, technicianId);
  }

  /** D time (inspection, parts management, equipment upkeep, training), own report only. */
  @Post('d-entries')
  @HttpCode(200)
  @Roles('technician')
  addD(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('businessDate') date: string,
    @Param('technicianId') technicianId: string,
    @Body() body: DEntryDto,
  ) {
    return this.reports.addD(user, branchId, date, technicianId, body);
  }

  @Post('submit')
  @HttpCode(200)
  @Roles('technician')
  submit(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('businessDate') date: string,
    @Param('technicianId') technicianId: string,
  ) {
    return this.reports.submitTechnicianReport(user, branchId, date, technicianId);
  }
}

/** [16][17] Director daily reports: draft → submitted → signed → received. */
@Controller('branches/:branchId/director-reports')
export class DirectorReportsController {
  constructor(private readonly reports: DailyReports) {}

  @Get()
  @Roles('director', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  list(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: ListReportsDto) {
    return this.reports.list(user, branchId, q.businessDate, q.pageSize ?? 0, q.pageToken);
  }

  @Get(':businessDate')
  @Roles('director', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  get(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.currentDirectorReport(user, branchId, date);
  }

  /** Drafts the day's report from the technicians' reports (or rebuilds the draft). */
  @Post(':businessDate')
  @HttpCode(200)
  @Roles('director')
  draft(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.draft(user, branchId, date);
  }

  @Post(':businessDate/submit')
  @HttpCode(200)
  @Roles('director')
  submit(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.submit(user, branchId, date);
  }

  @Post(':businessDate/sign')
  @HttpCode(200)
  @Roles('manager')
  sign(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.sign(user, branchId, date);
  }

  @Post(':businessDate/receive')
  @HttpCode(200)
  @Roles('service-dept')
  receive(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.receive(user, branchId, date);
  }

  /** A correction of a signed report: a new draft revision. */
  @Post(':businessDate/revise')
  @HttpCode(200)
  @Roles('director')
  revise(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('businessDate') date: string) {
    return this.reports.revise(user, branchId, date);
  }
}
