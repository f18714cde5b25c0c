import { Injectable } from '@nestjs/common';
import { ProductTakenToShopV1 } from '@aftersales/contracts';
import { EventHandlerClass, EventOf, HandlerContext, NonRetryableError } from '@aftersales/messaging';
import { addLogFields } from '@aftersales/service-kit';
import { DomainError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { assertCanOpenRepair, issueReceipt } from '../domain/pickup-receipt';
import { openRepair } from '../domain/repair';
import { ShopStore } from '../infrastructure/shop.store';
import { BranchCalendars } from './calendars';
import { flagIfCancelled } from './flag-repair-on-call-cancelled';

/**
 * [11] The technician took the product to the shop and gave the customer a pickup receipt: the shop
 * records the receipt (its own record, by number) and opens the repair (id = callId, so a redelivered
 * event is a duplicate and changes nothing). A receipt number that is void, or was issued for another
 * call, can never open a repair: the event is dead-lettered with the reason and nothing is written.
 */
@Injectable()
export class OpenRepairOnTakenToShop implements EventHandlerClass<typeof ProductTakenToShopV1> {
  readonly contract = ProductTakenToShopV1;

  constructor(
    private readonly store: ShopStore,
    private readonly calendars: BranchCalendars,
    private readonly clock: Clock,
  ) {}

  async handle(event: EventOf<typeof ProductTakenToShopV1>, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    addLogFields({ callId: d.callId, branchId: d.branchId });
    if (await this.store.findRepair(d.callId)) return; // already opened: a duplicate delivery
    if (!this.calendars.has(d.branchId)) throw new NonRetryableError(`unknown branch "${d.branchId}"`);
    const now = this.clock.now();

    const receipt = issueReceipt({ receiptNo: d.receiptNo, branchId: d.branchId, callId: d.callId }, now);
    if ((await this.store.insertReceipt(receipt)) === 'duplicate') {
      // The same call's receipt from an earlier, interrupted delivery is fine; anything else is refused.
      const existing = (await this.store.findReceipt(d.receiptNo))!;
      try {
        assertCanOpenRepair(existing, d.callId);
      } catch (err) {
        if (err instanceof DomainError) throw new NonRetryableError(err.message);
        throw err;
      }
    }

    const repair = openRepair(
      {
        callId: d.callId,
        branchId: d.branchId,
        technicianId: d.technicianId,
        receiptNo: d.receiptNo,
        product: { model: d.product.model, serial: d.product.serial },
        fault: d.fault,
        pickupSignedAt: new Date(d.customerSignedAt),
      },
      now,
    );
    if ((await this.store.insertRepair(repair, ctx.eventKey)) === 'duplicate') return;
    // The call may have been cancelled before this event arrived (events come out of order).
    await flagIfCancelled(this.store, this.clock, d.callId);
  }
}
