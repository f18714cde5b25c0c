import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertBranchAccess, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { ContractsService } from '../application/contracts.service';

const day = z.iso.date();
const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const createSchema = z.object({
  customerId: z.string().min(1).max(100),
  customerName: z.string().min(1).max(200).optional(),
  serials: z.array(z.string().min(1).max(100)).min(1).max(500),
  startsOn: day,
  endsOn: day.describe('Last covered day'),
  coversLabour: z.boolean(),
  coversParts: z.boolean(),
  feeMinor: minor,
});
class CreateContractDto extends createZodDto(createSchema) {}

const renewSchema = z.object({
  endsOn: day.describe('Last day of the new term (which starts the day after the current end)'),
  feeMinor: minor.optional(),
  coversLabour: z.boolean().optional(),
  coversParts: z.boolean().optional(),
});
class RenewContractDto extends createZodDto(renewSchema) {}

class RenewalAttemptDto extends createZodDto(z.object({ note: z.string().min(1).max(2000) })) {}
class ExpiryRunDto extends createZodDto(z.object({ date: day.describe('Branch-local date to run the job for') })) {}
class ContractQueryDto extends createZodDto(z.object({ customerId: z.string().min(1).optional() })) {}

const READERS = ['accountant', 'manager', 'director', 'clerk', 'service-dept', 'integrator'] as const;

@ApiTags('contracts')
@Controller('branches/:branchId/contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @Roles('accountant')
  create(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: CreateContractDto) {
    assertBranchAccess(user, branchId);
    return this.contracts.create(branchId, body);
  }

  @Get()
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() query: ContractQueryDto) {
    assertBranchAccess(user, branchId);
    return this.contracts.list(branchId, query.customerId);
  }

  @Get(':id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('id') id: string) {
    assertBranchAccess(user, branchId);
    return this.contracts.get(branchId, id);
  }

  @Post(':id/renew')
  @HttpCode(200)
  @Roles('accountant')
  renew(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('id') id: string,
    @Body() body: RenewContractDto,
  ) {
    assertBranchAccess(user, branchId);
    return this.contracts.renew(branchId, id, body);
  }

  /** [20] A try at renewing (visit or call), on the follow-up the expiry notice opened. */
  @Post(':id/renewal-attempts')
  @HttpCode(200)
  @Roles('accountant', 'director', 'manager')
  attempt(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('id') id: string,
    @Body() body: RenewalAttemptDto,
  ) {
    assertBranchAccess(user, branchId);
    return this.contracts.addRenewalAttempt(branchId, id, user.sub, body.note);
  }

  /** Operator re-run of the [20] expiry job for a given branch-local date (idempotent). */
  @Post('expiry-runs')
  @HttpCode(200)
  @Roles('accountant', 'manager')
  runExpiry(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: ExpiryRunDto) {
    assertBranchAccess(user, branchId);
    return this.contracts.runExpiry(body.date, branchId);
  }
}
