import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { Roster } from '../application/roster';

const skill = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,49}$/, 'a skill tag: letters, digits and dashes, e.g. "refrigeration"');

export class CreateTechnicianDto extends createZodDto(
  z.object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,100}$/, "the technician's user id (the `sub` of their token)")
      .describe("The technician's user id: arrival and visit outcomes are accepted from this user only"),
    name: z.string().trim().min(1).max(200),
    skills: z.array(skill).max(30).default([]),
  }),
) {}

export class ListTechniciansQuery extends createZodDto(
  z.object({ active: z.enum(['true', 'false']).optional().describe('Only active (or inactive) technicians') }),
) {}

const READERS = ['director', 'technician', 'manager', 'service-dept', 'deputy-gm', 'integrator'] as const;

@Controller('branches/:branchId/technicians')
export class TechniciansController {
  constructor(private readonly roster: Roster) {}

  @Post()
  @Roles('director')
  create(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: CreateTechnicianDto) {
    return this.roster.create(user, { ...body, branchId });
  }

  @Get()
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() query: ListTechniciansQuery) {
    return this.roster.list(user, branchId, query.active === undefined ? undefined : query.active === 'true');
  }

  /** Off the roster for new assignments; the technician and their history stay. Idempotent. */
  @Post(':technicianId/deactivate')
  @HttpCode(200)
  @Roles('director')
  deactivate(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('technicianId') technicianId: string,
  ) {
    return this.roster.deactivate(user, branchId, technicianId);
  }
}
