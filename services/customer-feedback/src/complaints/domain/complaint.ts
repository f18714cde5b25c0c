import { ConflictError } from '@aftersales/service-kit/domain-errors';

export type Severity = 'general' | 'serious';
export type ComplaintKind = 'complaint' | 'suggestion';
/** How the customer was told the outcome [26]: in writing (letter, e-mail) or by phone. */
export type NotifyChannel = 'phone' | 'letter' | 'email';
export type ComplaintStatus = 'open' | 'resolved' | 'closed';

/** [26] Serious complaints go to the deputy general manager; general ones stay with the service department. */
export const DEPUTY_GM = 'deputy-gm';
export const SERVICE_DEPT = 'service-dept';

export interface Complaint {
  complaintId: string;
  branchId: string;
  kind: ComplaintKind;
  severity: Severity;
  summary: string;
  callId?: string | null;
  surveyId?: string | null;
  customer?: { name: string; phone?: string; email?: string; address?: string } | null;
  source: 'direct' | 'survey';
  /** [28] About a branch (its staff, its work): handled there by its service director. */
  aboutBranch: boolean;
  /** Who is in charge: 'deputy-gm' (serious) or 'service-dept' or the branch director's id. */
  handledBy: string;
  /** [28] The branch service director who handles it in person (or sends someone), whatever the severity. */
  assignedTo?: string | null;
  receivedAt: Date;
  receivedBy: string;
  escalatedAt?: Date | null;
  status: ComplaintStatus;
  /** Equality key for the ageing list (cheap on FerretDB): true until closed. */
  open: boolean;
  outcome?: string | null;
  resolvedAt?: Date | null;
  resolvedBy?: string | null;
  customerNotified?: { channel: NotifyChannel; at: Date; by: string } | null;
  closedAt?: Date | null;
  closedBy?: string | null;
}

export interface ReceiveInput {
  complaintId: string;
  branchId: string;
  kind: ComplaintKind;
  severity: Severity;
  summary: string;
  callId?: string;
  surveyId?: string;
  customer?: Complaint['customer'];
  source: 'direct' | 'survey';
  aboutBranch: boolean;
  receivedBy: string;
}

/**
 * Routing on receipt, all at once:
 * - [26] serious → the deputy general manager at once (escalated), for review or transfer;
 * - [26] general → the service department, at its discretion;
 * - [28] about a branch → its service director handles it in person, whatever the severity. For a general
 *   complaint about a branch the director is the one in charge; for a serious one the deputy GM is, and the
 *   director is still assigned to deal with it on the spot.
 */
export function receive(input: ReceiveInput, branchDirectorId: string, now: Date): Complaint {
  const serious = input.severity === 'serious';
  const handledBy = serious ? DEPUTY_GM : input.aboutBranch ? branchDirectorId : SERVICE_DEPT;
  return {
    ...input,
    callId: input.callId ?? null,
    surveyId: input.surveyId ?? null,
    customer: input.customer ?? null,
    handledBy,
    assignedTo: input.aboutBranch ? branchDirectorId : null,
    receivedAt: now,
    escalatedAt: serious ? now : null,
    status: 'open',
    open: true,
  };
}

export function resolve(c: Complaint, outcome: string, by: string, now: Date): Partial<Complaint> {
  if (c.status !== 'open') throw new ConflictError(`complaint ${c.complaintId} is already ${c.status}`);
  return { status: 'resolved', outcome, resolvedAt: now, resolvedBy: by };
}

/** [26] The customer is always told the outcome; that needs an outcome first. */
export function notifyCustomer(
  c: Complaint,
  channel: NotifyChannel,
  at: Date,
  by: string,
  now: Date,
): Partial<Complaint> {
  if (c.status === 'open') throw new ConflictError(`complaint ${c.complaintId} has no outcome yet: resolve it first`);
  if (c.status === 'closed') throw new ConflictError(`complaint ${c.complaintId} is closed`);
  if (c.customerNotified) throw new ConflictError(`the customer was already notified about ${c.complaintId}`);
  if (c.resolvedAt && at.getTime() < c.resolvedAt.getTime()) {
    throw new ConflictError('the customer cannot have been told the outcome before it was decided');
  }
  if (at.getTime() > now.getTime()) throw new ConflictError('the notification time is in the future');
  return { customerNotified: { channel, at, by } };
}

/** A complaint ends only with the customer notified of the outcome [26]. */
export function close(c: Complaint, by: string, now: Date): Partial<Complaint> {
  if (c.status === 'closed') throw new ConflictError(`complaint ${c.complaintId} is already closed`);
  if (c.status !== 'resolved') throw new ConflictError(`complaint ${c.complaintId} has no outcome yet`);
  if (!c.customerNotified) {
    throw new ConflictError(`complaint ${c.complaintId} cannot be closed before the customer is told the outcome`);
  }
  return { status: 'closed', open: false, closedAt: now, closedBy: by };
}

/** Whole days since receipt, for the ageing list. */
export const ageInDays = (c: Pick<Complaint, 'receivedAt'>, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - c.receivedAt.getTime()) / 86_400_000));

/** feedback.complaint.customer-notified.v1 knows 'writing' and 'phone': a letter and an e-mail are writing. */
export const eventChannel = (channel: NotifyChannel): 'writing' | 'phone' =>
  channel === 'phone' ? 'phone' : 'writing';
