import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertBranchAccess, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { PriceListService } from '../application/price-list.service';

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const priceListSchema = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code, e.g. EUR'),
  labourRatePerHourMinor: minor.describe('Labour rate per hour, minor units'),
  callOutFeeMinor: minor,
  cashLimitMinor: minor.describe('[10] Largest fee a technician may collect in cash on site'),
  parts: z
    .array(z.object({ partNo: z.string().min(1).max(60), description: z.string().min(1).max(200), priceMinor: minor }))
    .max(10_000)
    .refine((parts) => new Set(parts.map((p) => p.partNo)).size === parts.length, 'part numbers must be unique'),
});
class PriceListDto extends createZodDto(priceListSchema) {}

@ApiTags('price-lists')
@Controller('branches/:branchId/price-list')
export class PriceListsController {
  constructor(private readonly priceLists: PriceListService) {}

  @Get()
  @Roles('accountant', 'manager', 'director', 'service-dept', 'integrator')
  get(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string) {
    assertBranchAccess(user, branchId);
    return this.priceLists.get(branchId);
  }

  /** The accountant replaces the branch's whole price list. */
  @Put()
  @Roles('accountant')
  put(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Body() body: PriceListDto) {
    assertBranchAccess(user, branchId);
    return this.priceLists.put(branchId, body, user.sub);
  }
}
