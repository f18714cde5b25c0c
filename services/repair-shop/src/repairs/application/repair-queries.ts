import { Injectable } from '@nestjs/common';
import { assertBranchAccess, type AuthUser } from '@aftersales/service-kit';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import type { PickupReceipt } from '../domain/pickup-receipt';
import { cardTotals, type Repair } from '../domain/repair';
import { ShopStore } from '../infrastructure/shop.store';
import { BranchCalendars } from './calendars';

/** A repair as the card shows it: everything logged, plus the totals [12]. */
export type RepairView = Repair & { totals: ReturnType<typeof cardTotals> };

export const view = (repair: Repair): RepairView => ({ ...repair, totals: cardTotals(repair) });

/** [11][12] One line of the product in/out register. */
export interface RegisterLine {
  callId: string;
  receiptNo: string;
  product: Repair['product'];
  fault: string;
  technicianId: string;
  checkedInAt: Date;
  condition: string;
  scheduledFor?: string;
  status: Repair['status'];
  returnedAt?: Date;
  returnWithoutRepair: boolean;
}

@Injectable()
export class RepairQueries {
  constructor(
    private readonly store: ShopStore,
    private readonly calendars: BranchCalendars,
  ) {}

  async repair(user: AuthUser, callId: string): Promise<RepairView> {
    const loaded = await this.store.findRepair(callId);
    if (!loaded) throw new NotFoundError(`No shop repair for call ${callId}.`);
    assertBranchAccess(user, loaded.value.branchId);
    return view(loaded.value);
  }

  async receipt(user: AuthUser, receiptNo: string): Promise<PickupReceipt> {
    const receipt = await this.store.findReceipt(receiptNo);
    if (!receipt) throw new NotFoundError(`No pickup receipt ${receiptNo}.`);
    assertBranchAccess(user, receipt.branchId);
    return receipt;
  }

  /** [14] What the director sees: repairs of the branch currently overdue, most late first. */
  async overdue(user: AuthUser, branchId: string): Promise<RepairView[]> {
    assertBranchAccess(user, branchId);
    this.calendars.of(branchId); // 404 for an unknown branch
    return (await this.store.listOverdue(branchId)).map(view);
  }

  /** [11][12] The register of a branch for a period of check-in dates (branch-local, inclusive), paginated. */
  async register(
    user: AuthUser,
    q: { branchId: string; from: string; to: string; page: number; pageSize: number },
  ): Promise<{ items: RegisterLine[]; page: number; pageSize: number; total: number }> {
    assertBranchAccess(user, q.branchId);
    this.calendars.of(q.branchId);
    const { items, total } = await this.store.listRegister(
      q.branchId,
      q.from,
      q.to,
      (q.page - 1) * q.pageSize,
      q.pageSize,
    );
    return {
      items: items.map((r) => ({
        callId: r.callId,
        receiptNo: r.receiptNo,
        product: r.product,
        fault: r.fault,
        technicianId: r.technicianId,
        checkedInAt: r.checkIn!.checkedInAt,
        condition: r.checkIn!.condition,
        scheduledFor: r.scheduledFor,
        status: r.status,
        returnedAt: r.returned?.returnedAt,
        returnWithoutRepair: !!r.returnWithoutRepair,
      })),
      page: q.page,
      pageSize: q.pageSize,
      total,
    };
  }
}
