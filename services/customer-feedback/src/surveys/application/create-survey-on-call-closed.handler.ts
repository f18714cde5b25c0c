import { Injectable } from '@nestjs/common';
import { CallClosedV1 } from '@aftersales/contracts';
import { EventHandlerClass, EventOf, HandlerContext, NonRetryableError } from '@aftersales/messaging';
import { UnknownBranchError } from '@aftersales/service-kit';
import { SurveysService } from './surveys.service';

/** [24] Every closed call gets a survey: one per call, however often the close event arrives. */
@Injectable()
export class CreateSurveyOnCallClosed implements EventHandlerClass<typeof CallClosedV1> {
  readonly contract = CallClosedV1;

  constructor(private readonly surveys: SurveysService) {}

  async handle(event: EventOf<typeof CallClosedV1>, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    try {
      await this.surveys.createForClosedCall(
        {
          callId: d.callId,
          branchId: d.branchId,
          technicianId: d.technicianId,
          voucherNo: d.voucherNo,
          recipient: {
            customerId: d.customer.id,
            name: d.customer.name,
            phone: d.customer.phone,
            address: d.customer.address,
          },
          closedAt: new Date(d.closedAt),
        },
        ctx.eventKey,
      );
    } catch (err) {
      // A branch missing from the directory will not appear by retrying: park it in the DLQ with the reason.
      if (err instanceof UnknownBranchError) throw new NonRetryableError(err.message);
      throw err;
    }
  }
}
