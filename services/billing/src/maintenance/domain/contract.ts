import { DateTime } from 'luxon';
import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';

/** One period of a maintenance contract [20] and what it covers [6]. Dates are branch-local YYYY-MM-DD. */
export interface ContractTerm {
  startsOn: string;
  /** Last covered day. */
  endsOn: string;
  coversLabour: boolean;
  coversParts: boolean;
  feeMinor: number;
}

export interface RenewalAttempt {
  at: string;
  by: string;
  note: string;
}

/** [20] Opened with the expiry notice: someone is sent to try to renew; closed as renewed or lapsed. */
export interface RenewalFollowUp {
  forEndsOn: string;
  openedAt: string;
  attempts: RenewalAttempt[];
  outcome?: 'renewed' | 'lapsed';
  closedAt?: string;
}

export type ContractStatus = 'active' | 'expired';

export interface Contract extends ContractTerm {
  id: string;
  branchId: string;
  customerId: string;
  customerName?: string;
  serials: string[];
  status: ContractStatus;
  /** Every term, oldest first, the current one last: coverage on past dates stays answerable. */
  terms: ContractTerm[];
  /** [20] The expiry notice of the current term, once sent. */
  notice?: { forEndsOn: string; noticeDate: string; sentAt: string };
  /** The follow-up of the current (or last) notice; earlier ones in `followUpHistory`. */
  followUp?: RenewalFollowUp;
  followUpHistory: RenewalFollowUp[];
  createdAt: string;
}

const date = (iso: string, field: string): DateTime => {
  const d = DateTime.fromISO(iso, { zone: 'utc' });
  if (!d.isValid || d.toISODate() !== iso)
    throw new ValidationError(`${field} is not a date`, [{ field, message: 'expected YYYY-MM-DD' }]);
  return d;
};

/**
 * [20] "One month before the end": the same day of the previous month, clamped to that month's last day
 * (luxon `minus({ months: 1 })`). So a contract ending 31 March is noticed on the last day of February
 * (28th, or 29th in a leap year); one ending 30 April on 30 March; one ending 15 June on 15 May.
 */
export function noticeDateFor(endsOn: string): string {
  return date(endsOn, 'endsOn').minus({ months: 1 }).toISODate()!;
}

export const nextDay = (iso: string): string => date(iso, 'date').plus({ days: 1 }).toISODate()!;

export function validateTerm(term: ContractTerm): void {
  const start = date(term.startsOn, 'startsOn');
  const end = date(term.endsOn, 'endsOn');
  if (end < start)
    throw new ValidationError('the contract ends before it starts', [
      { field: 'endsOn', message: 'must not be before startsOn' },
    ]);
  if (!Number.isSafeInteger(term.feeMinor) || term.feeMinor < 0) {
    throw new ValidationError('fee must be a non-negative integer of minor units', [
      { field: 'feeMinor', message: 'invalid' },
    ]);
  }
}

/** The term covering `day`, if any: coverage is by period, whatever the contract's status today. */
export function termCovering(contract: Pick<Contract, 'terms'>, day: string): ContractTerm | undefined {
  return contract.terms.find((t) => t.startsOn <= day && day <= t.endsOn);
}

export type ExpiryDecision = { kind: 'notice'; noticeDate: string } | { kind: 'expire' } | { kind: 'none' };

/**
 * What the daily expiry job does with an active contract on `today` (idempotent: the same day twice decides
 * `none` the second time, because the notice is recorded for the term's end date):
 *  - after the end, not renewed → expire (the follow-up closes as lapsed);
 *  - from the notice date up to the end, no notice yet for this end date → send the notice. A job that did
 *    not run on the notice date itself (outage) still sends it on its next run: late beats never.
 */
export function decideExpiry(contract: Contract, today: string): ExpiryDecision {
  if (contract.status !== 'active') return { kind: 'none' };
  if (today > contract.endsOn) return { kind: 'expire' };
  const noticeDate = noticeDateFor(contract.endsOn);
  if (today >= noticeDate && contract.notice?.forEndsOn !== contract.endsOn) return { kind: 'notice', noticeDate };
  return { kind: 'none' };
}

export function applyNotice(
  contract: Contract,
  noticeDate: string,
  at: Date,
): Pick<Contract, 'notice' | 'followUp' | 'followUpHistory'> {
  const sentAt = at.toISOString();
  return {
    notice: { forEndsOn: contract.endsOn, noticeDate, sentAt },
    followUp: { forEndsOn: contract.endsOn, openedAt: sentAt, attempts: [] },
    followUpHistory: contract.followUp ? [...contract.followUpHistory, contract.followUp] : contract.followUpHistory,
  };
}

export function applyExpiry(contract: Contract, at: Date): Pick<Contract, 'status' | 'followUp'> {
  return {
    status: 'expired',
    ...(contract.followUp && !contract.followUp.outcome
      ? { followUp: { ...contract.followUp, outcome: 'lapsed' as const, closedAt: at.toISOString() } }
      : { followUp: contract.followUp }),
  };
}

/** [20] Renewal: a new term right after the current one; an open follow-up closes as renewed. */
export function renew(
  contract: Contract,
  input: { endsOn: string; feeMinor?: number; coversLabour?: boolean; coversParts?: boolean },
  at: Date,
): Pick<Contract, 'startsOn' | 'endsOn' | 'coversLabour' | 'coversParts' | 'feeMinor' | 'terms' | 'followUp'> {
  if (contract.status !== 'active') throw new ConflictError(`contract ${contract.id} has expired: sign a new one`);
  const term: ContractTerm = {
    startsOn: nextDay(contract.endsOn),
    endsOn: input.endsOn,
    coversLabour: input.coversLabour ?? contract.coversLabour,
    coversParts: input.coversParts ?? contract.coversParts,
    feeMinor: input.feeMinor ?? contract.feeMinor,
  };
  validateTerm(term);
  return {
    ...term,
    terms: [...contract.terms, term],
    followUp:
      contract.followUp && !contract.followUp.outcome
        ? { ...contract.followUp, outcome: 'renewed', closedAt: at.toISOString() }
        : contract.followUp,
  };
}

export function addRenewalAttempt(contract: Contract, attempt: RenewalAttempt): RenewalFollowUp {
  if (!contract.followUp || contract.followUp.outcome) {
    throw new ConflictError(`contract ${contract.id} has no open renewal follow-up`);
  }
  return { ...contract.followUp, attempts: [...contract.followUp.attempts, attempt] };
}
