import { Injectable } from '@nestjs/common';
import {
  CallCancelledV1,
  ComplaintCustomerNotifiedV1,
  ComplaintEscalatedV1,
  ContractCreatedV1,
  ContractExpiredV1,
  ContractExpiringV1,
  ContractRenewedV1,
  ProductTakenToShopV1,
  SlaAtRiskV1,
  SlaBreachedV1,
  SurveySentV1,
  TechnicianEvaluatedV1,
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

@Injectable()
export class ProjectCallCancelled implements EventHandlerClass<typeof CallCancelledV1> {
  readonly contract = CallCancelledV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof CallCancelledV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectSlaAtRisk implements EventHandlerClass<typeof SlaAtRiskV1> {
  readonly contract = SlaAtRiskV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof SlaAtRiskV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectSlaBreached implements EventHandlerClass<typeof SlaBreachedV1> {
  readonly contract = SlaBreachedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof SlaBreachedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectProductTakenToShop implements EventHandlerClass<typeof ProductTakenToShopV1> {
  readonly contract = ProductTakenToShopV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ProductTakenToShopV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectContractCreated implements EventHandlerClass<typeof ContractCreatedV1> {
  readonly contract = ContractCreatedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ContractCreatedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectContractRenewed implements EventHandlerClass<typeof ContractRenewedV1> {
  readonly contract = ContractRenewedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ContractRenewedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectContractExpiring implements EventHandlerClass<typeof ContractExpiringV1> {
  readonly contract = ContractExpiringV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ContractExpiringV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectContractExpired implements EventHandlerClass<typeof ContractExpiredV1> {
  readonly contract = ContractExpiredV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ContractExpiredV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectSurveySent implements EventHandlerClass<typeof SurveySentV1> {
  readonly contract = SurveySentV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof SurveySentV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectComplaintEscalated implements EventHandlerClass<typeof ComplaintEscalatedV1> {
  readonly contract = ComplaintEscalatedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ComplaintEscalatedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectComplaintCustomerNotified implements EventHandlerClass<typeof ComplaintCustomerNotifiedV1> {
  readonly contract = ComplaintCustomerNotifiedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof ComplaintCustomerNotifiedV1>, ctx: HandlerContext): Promise<void> {
    return this.projector.consume(event, ctx.eventKey);
  }
}

@Injectable()
export class ProjectTechnicianEvaluated implements EventHandlerClass<typeof TechnicianEvaluatedV1> {
  readonly contract = TechnicianEvaluatedV1;
  constructor(private readonly projector: Projector) {}
  handle(event: EventOf<typeof TechnicianEvaluatedV1>, ctx: HandlerContext): Promise<void> {
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
  ProjectCallCancelled,
  ProjectSlaAtRisk,
  ProjectSlaBreached,
  ProjectProductTakenToShop,
  ProjectContractCreated,
  ProjectContractRenewed,
  ProjectContractExpiring,
  ProjectContractExpired,
  ProjectSurveySent,
  ProjectComplaintEscalated,
  ProjectComplaintCustomerNotified,
  ProjectTechnicianEvaluated,
];
