import { Injectable } from '@nestjs/common';
import { CallClosedV1 } from '@aftersales/contracts';
import { NonRetryableError, type EventHandlerClass, type EventOf, type HandlerContext } from '@aftersales/messaging';
import { UnknownBranchError } from '@aftersales/service-kit';
import { UnknownPartError } from '../../pricing/domain/price-list';
import { InvoicesService } from './invoices.service';

/**
 * `intake.call.closed.v1` → one invoice per call [9][10][12][13]. A part missing from the branch price list
 * (or an unknown branch) cannot be fixed by retrying: the event goes to the dead-letter queue with the
 * reason; once the accountant adds the part it can be replayed, and the replay issues the one invoice.
 */
@Injectable()
export class InvoiceOnCallClosed implements EventHandlerClass<typeof CallClosedV1> {
  readonly contract = CallClosedV1;

  constructor(private readonly invoices: InvoicesService) {}

  async handle(event: EventOf<typeof CallClosedV1>, ctx: HandlerContext): Promise<void> {
    try {
      await this.invoices.invoiceClosedCall(event.data, ctx.eventKey);
    } catch (err) {
      if (err instanceof UnknownPartError || err instanceof UnknownBranchError)
        throw new NonRetryableError(err.message);
      throw err;
    }
  }
}
