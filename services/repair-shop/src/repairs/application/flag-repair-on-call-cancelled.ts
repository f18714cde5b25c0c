import { Injectable } from '@nestjs/common';
import { CallCancelledV1 } from '@aftersales/contracts';
import { EventHandlerClass, EventOf, HandlerContext } from '@aftersales/messaging';
import { addLogFields } from '@aftersales/service-kit';
import { Clock } from '../../shared/clock';
import { flagReturnWithoutRepair } from '../domain/repair';
import { ShopStore } from '../infrastructure/shop.store';

/**
 * Flags the call's repair "return without repair", if there is one and it is not returned yet. Safe to
 * call repeatedly (a flagged repair is left alone).
 */
export async function flagIfCancelled(
  store: ShopStore,
  clock: Clock,
  callId: string,
  causedBy?: string,
): Promise<void> {
  const cancellation = await store.findCancellation(callId);
  if (!cancellation) return;
  for (let attempt = 0; attempt < 5; attempt++) {
    const loaded = await store.findRepair(callId);
    if (!loaded) return;
    const change = flagReturnWithoutRepair(loaded.value, cancellation.reason, clock.now());
    if (!change) return;
    const { result } = await store.saveRepair(change.repair, loaded.version, [], causedBy);
    if (result !== 'conflict') return;
  }
  throw new Error(`repair ${callId}: too many concurrent changes while flagging the cancellation`);
}

/**
 * A cancelled call whose product is in the shop goes back without repair. The cancellation is recorded
 * first, then the repair (if any) is flagged; the taken-to-shop handler does the same in the other
 * order (insert the repair, then look for a cancellation), so whichever event comes second sees the
 * first and the flag is never lost when they arrive out of order or at the same time.
 */
@Injectable()
export class FlagRepairOnCallCancelled implements EventHandlerClass<typeof CallCancelledV1> {
  readonly contract = CallCancelledV1;

  constructor(
    private readonly store: ShopStore,
    private readonly clock: Clock,
  ) {}

  async handle(event: EventOf<typeof CallCancelledV1>, ctx: HandlerContext): Promise<void> {
    const { callId, branchId, reason } = event.data;
    addLogFields({ callId, branchId });
    await this.store.recordCancellation(callId, branchId, reason, new Date(event.time));
    await flagIfCancelled(this.store, this.clock, callId, ctx.eventKey);
  }
}
