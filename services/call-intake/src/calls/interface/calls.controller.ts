import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { BranchDirectory, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { z } from 'zod';
import { CustomerInputSchema, ProductInputSchema } from '../../customers/interface/customers.controller';
import { checkBranch, IdParam, LocalDate, paging, text } from '../../shared/http';
import { CallCommands } from '../application/call-commands.service';
import { CallQueries } from '../application/call-queries.service';
import { RegisterCallService } from '../application/register-call.service';

const RegisterCallSchema = z
  .strictObject({
    channel: z.enum(['phone', 'document']).describe('[8] How the call came in'),
    customerId: IdParam.optional().describe('An existing customer of the branch…'),
    customer: CustomerInputSchema.optional().describe('…or a new one'),
    productId: IdParam.optional().describe("One of the customer's installed products…"),
    product: ProductInputSchema.optional().describe('…or a new one'),
    problem: text(2000),
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        '[8][19] When the call came in, if it is registered later (a letter or fax read after it arrived, a phone ' +
          'call noted on paper): the SLA and the day in the log count from it. Not in the future, at most 7 days ' +
          'back. Default: now',
      ),
  })
  .superRefine((v, ctx) => {
    if (!!v.customerId === !!v.customer) {
      ctx.addIssue({ code: 'custom', path: ['customer'], message: 'give exactly one of customerId or customer' });
    }
    if (!!v.productId === !!v.product) {
      ctx.addIssue({ code: 'custom', path: ['product'], message: 'give exactly one of productId or product' });
    }
    if (v.productId && !v.customerId) {
      ctx.addIssue({ code: 'custom', path: ['productId'], message: 'an existing product needs customerId' });
    }
  });
class RegisterCallDto extends createZodDto(RegisterCallSchema) {}

class CancelCallDto extends createZodDto(z.strictObject({ reason: text(500) })) {}

const Status = z.enum(['registered', 'dispatched', 'on-site', 'in-shop', 'completed', 'closed', 'cancelled']);
class CallLogQueryDto extends createZodDto(
  z.strictObject({
    date: LocalDate,
    status: Status.optional(),
    category: z.enum(['A', 'B', 'C']).optional(),
    ...paging,
  }),
) {}
class PagingDto extends createZodDto(z.strictObject({ ...paging })) {}
class CallParams extends createZodDto(z.object({ branchId: z.string(), callId: IdParam })) {}

const READERS = ['clerk', 'director', 'manager', 'accountant', 'service-dept', 'deputy-gm', 'integrator'] as const;

@Controller('branches/:branchId/calls')
export class CallsController {
  constructor(
    private readonly registerCall: RegisterCallService,
    private readonly commands: CallCommands,
    private readonly queries: CallQueries,
    private readonly branches: BranchDirectory,
  ) {}

  /** [8] Register a repair call: numbered in the log, voucher issued, classified A/B/C. */
  @Post()
  @Roles('clerk')
  async register(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: RegisterCallDto) {
    checkBranch(this.branches, user, branchId);
    return this.registerCall.register(branchId, body, user);
  }

  /** [8] The repair-call log of one business date, filtered by status and category. */
  @Get()
  @Roles(...READERS)
  async log(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: CallLogQueryDto) {
    checkBranch(this.branches, user, branchId);
    return this.queries.log(branchId, q.date, { status: q.status, category: q.category }, q.page, q.pageSize);
  }

  /** Calls not yet closed or cancelled. */
  @Get('open')
  @Roles(...READERS)
  async open(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() q: PagingDto) {
    checkBranch(this.branches, user, branchId);
    return this.queries.open(branchId, q.page, q.pageSize);
  }

  /** One call with its timeline (each state change with its time and cause). */
  @Get(':callId')
  @Roles(...READERS)
  async get(@CurrentUser() user: AuthUser, @Param() p: CallParams) {
    checkBranch(this.branches, user, p.branchId);
    return this.queries.get(p.branchId, p.callId);
  }

  /** [9][12] Log the signed voucher out and close the call; only a completed call (409 otherwise). */
  @Post(':callId/close')
  @HttpCode(200)
  @Roles('clerk')
  async close(@CurrentUser() user: AuthUser, @Param() p: CallParams) {
    checkBranch(this.branches, user, p.branchId);
    return this.commands.close(p.branchId, p.callId, user.sub);
  }

  @Post(':callId/cancel')
  @HttpCode(200)
  @Roles('clerk')
  async cancel(@CurrentUser() user: AuthUser, @Param() p: CallParams, @Body() body: CancelCallDto) {
    checkBranch(this.branches, user, p.branchId);
    return this.commands.cancel(p.branchId, p.callId, body.reason, user.sub);
  }
}
