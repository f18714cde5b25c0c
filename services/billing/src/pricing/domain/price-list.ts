import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { formatMinor, labourAmount, lineAmount, sumMinor } from './money';

export type Category = 'A' | 'B' | 'C';

export interface CataloguePart {
  partNo: string;
  description: string;
  priceMinor: number;
}

/** A branch's prices [3][10]: all amounts in integer minor units of `currency`. */
export interface PriceList {
  branchId: string;
  currency: string;
  labourRatePerHourMinor: number;
  callOutFeeMinor: number;
  /** [10] Largest fee a technician may collect in cash on site. */
  cashLimitMinor: number;
  parts: CataloguePart[];
  /** 'default' until an accountant saves one: seeded from configuration and the branch directory. */
  source: 'default' | 'saved';
  updatedAt?: string;
  updatedBy?: string;
}

export type LineKind = 'call-out' | 'labour' | 'part' | 'credit';

/**
 * One priced line. `amount === qty × unitPrice` always holds (the event contract says so): a labour line is
 * therefore qty 1 at the rounded labour amount, with its minutes kept in `minutes` and in the description,
 * because a per-minute price of an hourly rate is generally not a whole number of cents.
 */
export interface PricedLine {
  kind: LineKind;
  description: string;
  qty: number;
  unitPrice: number;
  amount: number;
  partNo?: string;
  minutes?: number;
  /** Why the line is free, e.g. "contract K-1" or "warranty". */
  noCharge?: string;
}

/** Which parts of the job the customer pays: everything for A, per contract terms for B, nothing for C. */
export interface Charging {
  labour: boolean;
  parts: boolean;
  /** The call-out fee goes with labour: a contract that covers labour covers the visit. */
  callOut: boolean;
  /** Text that says why free lines are free. */
  reason?: string;
}

export interface Job {
  labourMinutes: number;
  parts: ReadonlyArray<{ partNo: string; qty: number }>;
}

export class UnknownPartError extends ValidationError {
  constructor(
    readonly branchId: string,
    readonly partNo: string,
  ) {
    super(`part ${partNo} is not in the price list of branch ${branchId}`, [
      { field: 'parts', message: `unknown part ${partNo}` },
    ]);
  }
}

/**
 * Prices a job from the price list [10][13]: the call-out fee, labour (if any minutes) and one line per part
 * used. Lines not charged stay on the document at zero, so the record shows what was done.
 */
export function priceJob(list: PriceList, job: Job, charging: Charging): { lines: PricedLine[]; total: number } {
  const free = (charged: boolean) => (charged ? {} : { noCharge: charging.reason ?? 'no charge' });
  const lines: PricedLine[] = [];
  const callOut = charging.callOut ? list.callOutFeeMinor : 0;
  lines.push({
    kind: 'call-out',
    description: 'Call-out fee',
    qty: 1,
    unitPrice: callOut,
    amount: callOut,
    ...free(charging.callOut),
  });
  if (job.labourMinutes > 0) {
    const amount = charging.labour ? labourAmount(list.labourRatePerHourMinor, job.labourMinutes) : 0;
    lines.push({
      kind: 'labour',
      description: `Labour ${job.labourMinutes} min at ${formatMinor(list.labourRatePerHourMinor)}/h`,
      qty: 1,
      unitPrice: amount,
      amount,
      minutes: job.labourMinutes,
      ...free(charging.labour),
    });
  }
  for (const used of job.parts) {
    const part = list.parts.find((p) => p.partNo === used.partNo);
    if (!part) throw new UnknownPartError(list.branchId, used.partNo);
    const unitPrice = charging.parts ? part.priceMinor : 0;
    lines.push({
      kind: 'part',
      description: `${part.description} (${part.partNo})`,
      qty: used.qty,
      unitPrice,
      amount: lineAmount(used.qty, unitPrice),
      partNo: part.partNo,
      ...free(charging.parts),
    });
  }
  return { lines, total: sumMinor(lines.map((l) => l.amount)) };
}

/** [10] Whether a fee may be collected in cash on site: something to pay, and no more than the limit. */
export const withinCashLimit = (amount: number, cashLimitMinor: number): boolean =>
  amount > 0 && amount <= cashLimitMinor;
