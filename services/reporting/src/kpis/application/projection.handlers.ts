import { Injectable } from '@nestjs/common';
import {
  CallCarriedOverV1,
  CallClosedV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  ComplaintReceivedV1,
  ComplaintResolvedV1,
  InvoiceIssuedV1,
  PaymentRecordedV1,
  ProductCheckedInV1,
  ProductReturnedV1,
  RepairCompletedV1,
  RepairOverdueV1,
  SurveyAnsweredV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import type { EventHandlerClass, EventOf, HandlerContext } from '@aftersales/messaging';
import { Projector } from './projector';

// One handler class per consumed type (listed in app.module.ts); each feeds the same projection, which
// stores the raw event for rebuilds and updates the counters idempotently.

@Injectable()
export class ProjectCallRegistered implements EventHandlerClass<typeof CallRegisteredV1> {
  readonly contract = CallRegisteredV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof CallRegisteredV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectCallReclassified implements EventHandlerClass<typeof CallReclassifiedV1> {
  readonly contract = CallReclassifiedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof CallReclassifiedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectCallCarriedOver implements EventHandlerClass<typeof CallCarriedOverV1> {
  readonly contract = CallCarriedOverV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof CallCarriedOverV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectCallClosed implements EventHandlerClass<typeof CallClosedV1> {
  readonly contract = CallClosedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof CallClosedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectTechnicianAssigned implements EventHandlerClass<typeof TechnicianAssignedV1> {
  readonly contract = TechnicianAssignedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof TechnicianAssignedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectTechnicianArrived implements EventHandlerClass<typeof TechnicianArrivedV1> {
  readonly contract = TechnicianArrivedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof TechnicianArrivedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectVisitCompleted implements EventHandlerClass<typeof VisitCompletedV1> {
  readonly contract = VisitCompletedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof VisitCompletedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectProductCheckedIn implements EventHandlerClass<typeof ProductCheckedInV1> {
  readonly contract = ProductCheckedInV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ProductCheckedInV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectRepairOverdue implements EventHandlerClass<typeof RepairOverdueV1> {
  readonly contract = RepairOverdueV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof RepairOverdueV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectRepairCompleted implements EventHandlerClass<typeof RepairCompletedV1> {
  readonly contract = RepairCompletedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof RepairCompletedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectProductReturned implements EventHandlerClass<typeof ProductReturnedV1> {
  readonly contract = ProductReturnedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ProductReturnedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectInvoiceIssued implements EventHandlerClass<typeof InvoiceIssuedV1> {
  readonly contract = InvoiceIssuedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof InvoiceIssuedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectPaymentRecorded implements EventHandlerClass<typeof PaymentRecordedV1> {
  readonly contract = PaymentRecordedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof PaymentRecordedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectSurveyAnswered implements EventHandlerClass<typeof SurveyAnsweredV1> {
  readonly contract = SurveyAnsweredV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof SurveyAnsweredV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectComplaintReceived implements EventHandlerClass<typeof ComplaintReceivedV1> {
  readonly contract = ComplaintReceivedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ComplaintReceivedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectComplaintResolved implements EventHandlerClass<typeof ComplaintResolvedV1> {
  readonly contract = ComplaintResolvedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ComplaintResolvedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

export const PROJECTION_HANDLERS = [
  ProjectCallRegistered,
  ProjectCallReclassified,
  ProjectCallCarriedOver,
  ProjectCallClosed,
  ProjectTechnicianAssigned,
  ProjectTechnicianArrived,
  ProjectVisitCompleted,
  ProjectProductCheckedIn,
  ProjectRepairOverdue,
  ProjectRepairCompleted,
  ProjectProductReturned,
  ProjectInvoiceIssued,
  ProjectPaymentRecorded,
  ProjectSurveyAnswered,
  ProjectComplaintReceived,
  ProjectComplaintResolved,
];
