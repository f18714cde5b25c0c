import { Global, Module } from '@nestjs/common';

import { InvoicesService } from './application/invoices.service';
import { InvoiceRepository } from './infrastructure/invoice.repository';
import { InvoicesController } from './interface/invoices.controller';

/**
 * Invoices from closed calls, payments, on-site cash hand-overs, credit notes. Global because the event
 * handler (InvoiceOnCallClosed) is instantiated by MessagingModule and needs InvoicesService.
 */
@Global()
@Module({
  controllers: [InvoicesController],
  providers: [InvoiceRepository, InvoicesService],
  exports: [InvoicesService],
})
export class InvoicingModule {}
