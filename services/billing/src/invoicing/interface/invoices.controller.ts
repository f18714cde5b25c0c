import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertBranchAccess, createZodDto, CurrentUser, Roles, type AuthUser } from '@aftersales/service-kit';
import { InvoicesService } from '../application/invoices.service';
import { renderInvoiceHtml } from './invoice.html';

const listSchema = z.object({
  kind: z.enum(['invoice', 'credit-note']).default('invoice'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
class InvoiceListQuery extends createZodDto(listSchema) {}

const paymentSchema = z.object({
  amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  method: z.enum(['cash', 'transfer', 'card']),
});
class PaymentDto extends createZodDto(paymentSchema) {}

const creditSchema = z.object({
  reason: z.string().min(1).max(500),
  amountMinor: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('Default: all not yet credited'),
});
class CreditNoteDto extends createZodDto(creditSchema) {}

const READERS = ['accountant', 'manager', 'director', 'service-dept', 'integrator'] as const;

@ApiTags('invoices')
@Controller('branches/:branchId')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get('invoices')
  @Roles(...READERS)
  list(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Query() query: InvoiceListQuery) {
    assertBranchAccess(user, branchId);
    return this.invoices.list(branchId, query.kind, query.page, query.pageSize);
  }

  @Get('invoices/:id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('id') id: string) {
    assertBranchAccess(user, branchId);
    return this.invoices.get(branchId, id);
  }

  /** Printable HTML (print to PDF from the browser). */
  @Get('invoices/:id/print')
  @Header('content-type', 'text/html; charset=utf-8')
  @Roles(...READERS)
  async print(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('id') id: string) {
    assertBranchAccess(user, branchId);
    return renderInvoiceHtml(await this.invoices.get(branchId, id));
  }

  @Post('invoices/:id/payments')
  @HttpCode(200)
  @Roles('accountant')
  pay(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('id') id: string,
    @Body() body: PaymentDto,
  ) {
    assertBranchAccess(user, branchId);
    return this.invoices.recordPayment(branchId, id, body, user.sub);
  }

  /** [10] The technician handed the on-site cash of this invoice to the accountant. */
  @Post('invoices/:id/cash-handover')
  @HttpCode(200)
  @Roles('accountant')
  handOver(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string, @Param('id') id: string) {
    assertBranchAccess(user, branchId);
    return this.invoices.handOverCash(branchId, id, user.sub);
  }

  @Post('invoices/:id/credit-notes')
  @Roles('accountant')
  credit(
    @CurrentUser() user: AuthUser,
    @Param('branchId') branchId: string,
    @Param('id') id: string,
    @Body() body: CreditNoteDto,
  ) {
    assertBranchAccess(user, branchId);
    return this.invoices.creditNote(branchId, id, body);
  }

  /** [10] Cash collected on site and not yet handed over, per technician. */
  @Get('outstanding-cash')
  @Roles(...READERS)
  outstandingCash(@CurrentUser() user: AuthUser, @Param('branchId') branchId: string) {
    assertBranchAccess(user, branchId);
    return this.invoices.outstandingCash(branchId);
  }
}
