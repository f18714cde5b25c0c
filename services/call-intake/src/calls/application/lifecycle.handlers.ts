import { Injectable } from '@nestjs/common';
import {
  ProductReturnedV1,
  ProductTakenToShopV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
  type EventContract,
} from '@aftersales/contracts';
import { NonRetryableError, type EventHandlerClass, type EventOf, type HandlerContext } from '@aftersales/messaging';
import type { RepairCall } from '../domain/call';
import { CallStore } from './call-store';

/**
 * The call log follows dispatch and the repair shop. Each fact is applied once (the event key is stored
 * with the change, so a redelivery is a duplicate) and never moves a call backwards (see RepairCall).
 */
@Injectable()
abstract class LifecycleHandler<C extends EventContract> implements EventHandlerClass<C> {
  abstract readonly contract: C;
  constructor(private readonly store: CallStore) {}

  protected abstract apply(call: RepairCall, event: EventOf<C>): void;

  async handle(event: EventOf<C>, ctx: HandlerContext): Promise<void> {
    const { callId } = event.data as { callId: string };
    await this.store.update(callId, (call) => this.apply(call, event), {
      causedBy: ctx.eventKey,
      // Calls are written before their registered event leaves, so an unknown call cannot become known later.
      missing: () => new NonRetryableError(`${event.type} for unknown call ${callId}`),
    });
  }
}

@Injectable()
export class DispatchOnTechnicianAssigned extends LifecycleHandler<typeof TechnicianAssignedV1> {
  readonly contract = TechnicianAssignedV1;
  protected apply(call: RepairCall, e: EventOf<typeof TechnicianAssignedV1>) {
    call.assign({ ...e.data, cause: e.type });
  }
}

@Injectable()
export class OnSiteOnTechnicianArrived extends LifecycleHandler<typeof TechnicianArrivedV1> {
  readonly contract = TechnicianArrivedV1;
  protected apply(call: RepairCall, e: EventOf<typeof TechnicianArrivedV1>) {
    call.arrive({ technicianId: e.data.technicianId, arrivedAt: e.data.arrivedAt, cause: e.type });
  }
}

@Injectable()
export class CompleteOnVisitCompleted extends LifecycleHandler<typeof VisitCompletedV1> {
  readonly contract = VisitCompletedV1;
  protected apply(call: RepairCall, e: EventOf<typeof VisitCompletedV1>) {
    const d = e.data;
    call.completeOnSite({
      technicianId: d.technicianId,
      labourMinutes: d.labourMinutes,
      parts: d.parts,
      ...(d.cashCollected !== undefined ? { cashCollected: d.cashCollected } : {}),
      completedAt: d.customerSignedAt,
      customerSignedAt: d.customerSignedAt,
      cause: e.type,
    });
  }
}

@Injectable()
export class InShopOnProductTakenToShop extends LifecycleHandler<typeof ProductTakenToShopV1> {
  readonly contract = ProductTakenToShopV1;
  protected apply(call: RepairCall, e: EventOf<typeof ProductTakenToShopV1>) {
    call.takeToShop({
      technicianId: e.data.technicianId,
      receiptNo: e.data.receiptNo,
      at: e.data.customerSignedAt,
      cause: e.type,
    });
  }
}

@Injectable()
export class CompleteOnProductReturned extends LifecycleHandler<typeof ProductReturnedV1> {
  readonly contract = ProductReturnedV1;
  protected apply(call: RepairCall, e: EventOf<typeof ProductReturnedV1>) {
    const d = e.data;
    call.returnFromShop({
      technicianId: d.technicianId,
      labourMinutes: d.labourMinutes,
      parts: d.parts,
      receiptNo: d.receiptNo,
      completedAt: d.returnedAt,
      customerSignedAt: d.customerSignedAt,
      cause: e.type,
    });
  }
}
