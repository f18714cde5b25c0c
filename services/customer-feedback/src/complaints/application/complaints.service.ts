import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  CloudEvent,
  ComplaintCustomerNotifiedV1,
  ComplaintEscalatedV1,
  ComplaintReceivedV1,
  ComplaintResolvedV1,
  eventMeta,
} from '@aftersales/contracts';
import { assertBranchAccess, AuthUser, BranchDirectory, isHeadOffice } from '@aftersales/service-kit';
import { ConflictError, ForbiddenError, NotFoundError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { SOURCE } from '../../shared/names';
import {
  ageInDays,
  close,
  Complaint,
  ComplaintKind,
  eventChannel,
  notifyCustomer,
  NotifyChannel,
  receive,
  resolve,
  Severity,
} from '../domain/complaint';
import { ComplaintDoc, ComplaintRepository } from '../infrastructure/complaint.repository';

export interface NewComplaint {
  branchId: string;
  kind: ComplaintKind;
  severity: Severity;
  summary: string;
  callId?: string;
  customer?: Complaint['customer'];
  aboutBranch: boolean;
}

const MAX_CONFLICTS = 5;

@Injectable()
export class ComplaintsService {
  constructor(
    private readonly complaints: ComplaintRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  /** Received directly (service department, branch clerk or director). */
  async receiveDirect(user: AuthUser, input: NewComplaint): Promise<ComplaintDoc> {
    assertBranchAccess(user, input.branchId);
    const id = `cmp-${randomUUID()}`;
    await this.receive({ ...input, complaintId: id, source: 'direct', receivedBy: user.sub });
    return (await this.complaints.get(id))!;
  }

  /** From a survey answer: one complaint per survey, derived id, so a redelivered answer adds nothing. */
  async receiveFromSurvey(
    survey: {
      surveyId: string;
      callId: string;
      branchId: string;
      customerName: string;
      phone: string;
      address: string;
    },
    complaint: { kind: ComplaintKind; severity: Severity; summary: string },
    causedBy: string,
  ): Promise<'saved' | 'duplicate'> {
    return this.receive(
      {
        ...complaint,
        complaintId: `cmp-${survey.surveyId}`,
        branchId: survey.branchId,
        callId: survey.callId,
        surveyId: survey.surveyId,
        customer: { name: survey.customerName, phone: survey.phone, address: survey.address },
        source: 'survey',
        aboutBranch: true, // it is about the branch technician's visit [28]
        receivedBy: 'customer',
      },
      causedBy,
    );
  }

  private async receive(
    input: NewComplaint & { complaintId: string; source: 'direct' | 'survey'; receivedBy: string; surveyId?: string },
    causedBy?: string,
  ): Promise<'saved' | 'duplicate'> {
    const branch = this.branches.get(input.branchId);
    const now = this.clock.now();
    const complaint = receive(input, branch.onDuty.directorId, now);
    const events: CloudEvent[] = [
      ComplaintReceivedV1.create(
        {
          ...this.ref(complaint),
          kind: complaint.kind,
          summary: complaint.summary,
          receivedAt: now.toISOString(),
        },
        eventMeta(SOURCE, complaint.complaintId, { time: now }),
      ),
    ];
    // [26] Serious: to the deputy general manager at once — in the same write as the receipt.
    if (complaint.escalatedAt) {
      events.push(
        ComplaintEscalatedV1.create(
          { ...this.ref(complaint), escalatedAt: complaint.escalatedAt.toISOString() },
          eventMeta(SOURCE, complaint.complaintId, { time: now }),
        ),
      );
    }
    return this.complaints.insert(complaint, events, causedBy);
  }

  async get(user: AuthUser, id: string): Promise<ComplaintDoc> {
    const doc = await this.complaints.get(id);
    if (!doc) throw new NotFoundError(`complaint ${id} does not exist`);
    assertBranchAccess(user, doc.branchId);
    return doc;
  }

  resolve(user: AuthUser, id: string, outcome: string): Promise<ComplaintDoc> {
    return this.change(user, id, (c, now) => {
      // [26] A serious complaint is the deputy GM's (or the service department's) to decide, not the branch's.
      if (c.severity === 'serious' && !isHeadOffice(user)) {
        throw new ForbiddenError(
          'a serious complaint is resolved by the deputy general manager or the service department',
        );
      }
      const set = resolve(c, outcome, user.sub, now);
      const event = ComplaintResolvedV1.create(
        { ...this.ref(c), outcome, resolvedAt: now.toISOString() },
        eventMeta(SOURCE, c.complaintId, { time: now }),
      );
      return { set, events: [event] };
    });
  }

  notifyCustomer(user: AuthUser, id: string, channel: NotifyChannel, at: Date | undefined): Promise<ComplaintDoc> {
    return this.change(user, id, (c, now) => {
      const when = at ?? now;
      const set = notifyCustomer(c, channel, when, user.sub, now);
      const event = ComplaintCustomerNotifiedV1.create(
        { ...this.ref(c), outcome: c.outcome!, channel: eventChannel(channel), notifiedAt: when.toISOString() },
        eventMeta(SOURCE, c.complaintId, { time: now }),
      );
      return { set, events: [event] };
    });
  }

  /** No event: the catalogue has none for closing; the facts that matter (outcome, notice) were published. */
  close(user: AuthUser, id: string): Promise<ComplaintDoc> {
    return this.change(user, id, (c, now) => ({ set: close(c, user.sub, now), events: [] }));
  }

  /** Ageing list: open complaints, oldest first, with their age in whole days. */
  async ageing(user: AuthUser, branchId: string | undefined, page: number, pageSize: number) {
    if (branchId) assertBranchAccess(user, branchId);
    const scope = branchId ?? (isHeadOffice(user) ? undefined : user.branchId);
    const { items, total } = await this.complaints.open(scope, (page - 1) * pageSize, pageSize);
    const now = this.clock.now();
    return {
      page,
      pageSize,
      total,
      items: items.map((c) => ({ ...complaintView(c), ageDays: ageInDays(c, now) })),
    };
  }

  private async change(
    user: AuthUser,
    id: string,
    decide: (c: ComplaintDoc, now: Date) => { set: Partial<Complaint>; events: CloudEvent[] },
  ): Promise<ComplaintDoc> {
    for (let i = 0; i < MAX_CONFLICTS; i++) {
      const doc = await this.get(user, id);
      const { set, events } = decide(doc, this.clock.now());
      const result = await this.complaints.save(doc, set, events);
      if (result === 'saved') return { ...doc, ...set, version: doc.version + 1 };
    }
    throw new ConflictError(`complaint ${id} is being changed by someone else; try again`);
  }

  private ref(c: Complaint) {
    return {
      branchId: c.branchId,
      complaintId: c.complaintId,
      ...(c.callId ? { callId: c.callId } : {}),
      severity: c.severity,
      handledBy: c.handledBy,
    };
  }
}

export function complaintView(c: Complaint) {
  return {
    complaintId: c.complaintId,
    branchId: c.branchId,
    kind: c.kind,
    severity: c.severity,
    summary: c.summary,
    callId: c.callId ?? undefined,
    surveyId: c.surveyId ?? undefined,
    customer: c.customer ?? undefined,
    source: c.source,
    aboutBranch: c.aboutBranch,
    handledBy: c.handledBy,
    assignedTo: c.assignedTo ?? undefined,
    status: c.status,
    receivedAt: c.receivedAt.toISOString(),
    receivedBy: c.receivedBy,
    escalatedAt: c.escalatedAt?.toISOString(),
    outcome: c.outcome ?? undefined,
    resolvedAt: c.resolvedAt?.toISOString(),
    resolvedBy: c.resolvedBy ?? undefined,
    customerNotified: c.customerNotified
      ? { channel: c.customerNotified.channel, at: c.customerNotified.at.toISOString(), by: c.customerNotified.by }
      : undefined,
    closedAt: c.closedAt?.toISOString(),
    closedBy: c.closedBy ?? undefined,
  };
}
