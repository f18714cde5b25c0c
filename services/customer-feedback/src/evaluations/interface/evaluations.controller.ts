import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { assertBranchAccess, AuthUser, createZodDto, CurrentUser, isHeadOffice, Roles } from '@aftersales/service-kit';
import { evaluationView, EvaluationsService } from '../application/evaluations.service';

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export const listEvaluationsSchema = z.strictObject({
  month: month.optional(),
  technicianId: z.string().min(1).max(100).optional(),
  branchId: z.string().min(1).optional(),
});
export class ListEvaluationsQuery extends createZodDto(listEvaluationsSchema) {}

@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  /** [23] Monthly technician evaluations: averages per item (2 decimals) and the number of surveys. */
  @Get()
  @Roles('service-dept', 'deputy-gm', 'director', 'manager', 'integrator')
  async list(@CurrentUser() user: AuthUser, @Query() query: ListEvaluationsQuery) {
    if (query.branchId) assertBranchAccess(user, query.branchId);
    const branchId = query.branchId ?? (isHeadOffice(user) ? undefined : user.branchId);
    const docs = await this.evaluations.list({ ...query, branchId });
    return { items: docs.map(evaluationView) };
  }

  /** Operator: publish the month's evaluations (once per technician-month; re-running adds nothing). */
  @Post(':month/run')
  @HttpCode(200)
  @Roles('service-dept')
  run(@Param('month') m: string) {
    return this.evaluations.runOnce(m);
  }
}
