import { Injectable } from '@nestjs/common';
import { isHeadOffice, type AuthUser } from '@aftersales/service-kit';
import { NotFoundError } from '@aftersales/service-kit/domain-errors';
import type { CallProps, CallStatus } from '../domain/call';
import type { Category } from '../domain/classification';
import { CallRepository, toProps, type CallDoc } from '../infrastructure/call.repository';

export interface CallSummary {
  id: string;
  branchId: string;
  callNumber: string;
  voucherNo: string;
  businessDate: string;
  receivedAt: string;
  status: CallStatus;
  category: Category;
  provisional: boolean;
  priority: 'normal' | 'high';
  customer: { id: string; name: string; zone: string };
  product: { model: string; serial: string };
  technicianId?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

const summary = (p: CallProps): CallSummary => ({
  id: p.id,
  branchId: p.branchId,
  callNumber: p.callNumber,
  voucherNo: p.voucherNo,
  businessDate: p.businessDate,
  receivedAt: p.receivedAt,
  status: p.status,
  category: p.category,
  provisional: p.provisional,
  priority: p.priority,
  customer: { id: p.customer.id, name: p.customer.name, zone: p.customer.zone },
  product: { model: p.product.model, serial: p.product.serial },
  ...(p.technicianId ? { technicianId: p.technicianId } : {}),
});

const READ_PROJECTION = { outbox: 0, processed: 0 } as const;

/** Read side of the repair-call log. Hot filters are equality keys (branchId + businessDate / open). */
@Injectable()
export class CallQueries {
  constructor(private readonly repo: CallRepository) {}

  /** [8] The repair-call log of a branch for one business date, in call-number order. */
  log(
    branchId: string,
    businessDate: string,
    f: { status?: CallStatus; category?: Category },
    page: number,
    pageSize: number,
  ): Promise<Page<CallSummary>> {
    const filter: Record<string, unknown> = { branchId, businessDate };
    if (f.status) filter.status = f.status;
    if (f.category) filter.category = f.category;
    return this.page(filter, page, pageSize);
  }

  /** Calls not yet closed or cancelled (vouchers still out). */
  open(branchId: string, page: number, pageSize: number): Promise<Page<CallSummary>> {
    return this.page({ branchId, open: true }, page, pageSize);
  }

  /** One call with its timeline; 404 when it is not in this branch. */
  async get(branchId: string, callId: string): Promise<CallProps> {
    const doc = await this.repo.collection.findOne({ _id: callId }, { projection: READ_PROJECTION });
    if (!doc || doc.branchId !== branchId) throw new NotFoundError(`call ${callId} does not exist`);
    return toProps(doc as CallDoc);
  }

  /** For gRPC: a call the caller may see, else NOT_FOUND (no hint that another branch's call exists). */
  async getFor(user: AuthUser, callId: string): Promise<CallProps> {
    const doc = await this.repo.collection.findOne({ _id: callId }, { projection: READ_PROJECTION });
    if (!doc || (!isHeadOffice(user) && doc.branchId !== user.branchId)) {
      throw new NotFoundError(`call ${callId} does not exist`);
    }
    return toProps(doc as CallDoc);
  }

  private async page(filter: Record<string, unknown>, page: number, pageSize: number): Promise<Page<CallSummary>> {
    const [docs, total] = await Promise.all([
      this.repo.collection
        .find(filter, { projection: READ_PROJECTION })
        .sort({ seq: 1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .toArray(),
      this.repo.collection.countDocuments(filter),
    ]);
    return { items: docs.map((d) => summary(toProps(d as CallDoc))), page, pageSize, total };
  }
}
