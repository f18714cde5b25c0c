import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { z } from 'zod';
import { createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { JobCommands } from '../application/job-commands';
import { JobQueries } from '../application/job-queries';

const READERS = ['director', 'technician', 'clerk', 'manager', 'service-dept', 'deputy-gm', 'integrator'] as const;

const signature = z.object({
  signedBy: z.string().trim().min(1).max(200).describe('Name of the customer who signed the voucher'),
  signedAt: z.iso.datetime({ offset: true }).describe('When the customer signed, on site'),
});
const toSignature = (s: z.infer<typeof signature>) => ({ signedBy: s.signedBy, signedAt: new Date(s.signedAt) });

export class AssignDto extends createZodDto(z.object({ technicianId: z.string().min(1).max(100) })) {}

export class CompleteOnSiteDto extends createZodDto(
  z.object({
    labourMinutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    parts: z
      .array(z.object({ partNo: z.string().trim().min(1).max(100), qty: z.number().int().positive().max(1000) }))
      .max(100)
      .default([]),
    signature,
  }),
) {}

export class TakeToShopDto extends createZodDto(
  z.object({
    receiptNo: z.string().trim().min(1).max(100).describe('[11] Pickup receipt number given to the customer'),
    fault: z.string().trim().min(1).max(2000),
    signature,
  }),
) {}

export class ListJobsQuery extends createZodDto(
  z.object({
    status: z
      .enum(['open', 'assigned', 'on-site'])
      .optional()
      .describe("'open' = awaiting assignment: the director's queue"),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  }),
) {}

export class DayQuery extends createZodDto(z.object({ date: z.iso.date().optional() })) {}

export class SuggestQuery extends createZodDto(
  z.object({
    skills: z
      .string()
      .regex(/^[A-Za-z0-9-]+(,[A-Za-z0-9-]+)*$/, 'comma-separated skill tags')
      .optional()
      .describe('Skills wanted; by default the roster skills the product model or problem mention'),
  }),
) {}

const bearer = (authorization?: string) => /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];

@Controller()
export class JobsController {
  constructor(
    private readonly commands: JobCommands,
    private readonly queries: JobQueries,
  ) {}

  /** Open jobs of a branch (paginated): carried-over first [18], then by SLA due time. */
  @Get('branches/:branchId/jobs')
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: ListJobsQuery) {
    return this.queries.listOpen(user, branchId, q);
  }

  /** [8][18] The director's queue: jobs awaiting assignment, carried-over first, then by SLA due time. */
  @Get('branches/:branchId/dispatch-queue')
  @Roles('director', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  queue(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: ListJobsQuery) {
    return this.queries.listOpen(user, branchId, { ...q, status: 'open' });
  }

  @Get('branches/:branchId/technicians/:technicianId/day')
  @Roles('director', 'technician', 'manager', 'service-dept', 'deputy-gm', 'integrator')
  day(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('technicianId') technicianId: string,
    @Query() q: DayQuery,
  ) {
    return this.queries.technicianDay(user, branchId, technicianId, q.date);
  }

  @Get('jobs/:callId')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    return this.queries.get(user, callId);
  }

  @Get('jobs/:callId/sla')
  @Roles(...READERS)
  sla(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    return this.queries.sla(user, callId);
  }

  @Get('jobs/:callId/technician-suggestions')
  @Roles('director')
  suggest(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Query() q: SuggestQuery) {
    return this.queries.suggest(user, callId, q.skills?.split(','));
  }

  /** [8] Assign, or reassign (the history is kept). */
  @Post('jobs/:callId/assignment')
  @HttpCode(200)
  @Roles('director')
  assign(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: AssignDto) {
    return this.commands.assign(user, callId, body.technicianId);
  }

  @Post('jobs/:callId/arrival')
  @HttpCode(200)
  @Roles('technician')
  arrive(@CurrentUser() user: AuthUser, @Param('callId') callId: string) {
    return this.commands.arrive(user, callId);
  }

  @Post('jobs/:callId/completion')
  @HttpCode(200)
  @Roles('technician')
  complete(
    @CurrentUser() user: AuthUser,
    @Param('callId') callId: string,
    @Body() body: CompleteOnSiteDto,
    @Headers('authorization') authorization?: string,
  ) {
    return this.commands.completeOnSite(
      user,
      callId,
      { labourMinutes: body.labourMinutes, parts: body.parts, signature: toSignature(body.signature) },
      bearer(authorization),
    );
  }

  @Post('jobs/:callId/taken-to-shop')
  @HttpCode(200)
  @Roles('technician')
  takeToShop(@CurrentUser() user: AuthUser, @Param('callId') callId: string, @Body() body: TakeToShopDto) {
    return this.commands.takeToShop(user, callId, {
      receiptNo: body.receiptNo,
      fault: body.fault,
      signature: toSignature(body.signature),
    });
  }
}
