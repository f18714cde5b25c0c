/**
 * Money is integer minor units (cents) everywhere: never floats. Amounts are JS numbers that must stay safe
 * integers; products that could exceed 2^53 are computed in BigInt and checked on the way back.
 *
 * Rounding rule (the only place money is rounded): a labour line is `rate per hour × minutes / 60`, computed
 * exactly as a fraction and rounded ONCE per line to the nearest minor unit, halves rounded UP (away from
 * zero, "commercial" rounding as on Spanish invoices). Parts and call-out fees are exact products, never
 * rounded. Totals are plain integer sums of line amounts, so a total never drifts from its lines.
 */

export class MoneyOverflowError extends Error {
  constructor(what: string) {
    super(`${what} does not fit in a safe integer of minor units`);
  }
}

/** Integer → number, refusing values a JS number cannot hold exactly. */
export function toSafeMinor(value: bigint, what = 'amount'): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyOverflowError(what);
  }
  return Number(value);
}

/** numerator / denominator rounded to the nearest integer, halves up (numerator ≥ 0, denominator > 0). */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  if (numerator < 0n) return -divRoundHalfUp(-numerator, denominator);
  return (2n * numerator + denominator) / (2n * denominator);
}

/** [10][13] Labour line amount: hourly rate × minutes / 60, rounded once (half up). */
export function labourAmount(ratePerHourMinor: number, minutes: number): number {
  assertMinor(ratePerHourMinor, 'labour rate');
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError('minutes must be a non-negative integer');
  return toSafeMinor(divRoundHalfUp(BigInt(ratePerHourMinor) * BigInt(minutes), 60n), 'labour amount');
}

/** qty × unit price, exact. */
export function lineAmount(qty: number, unitPriceMinor: number): number {
  return toSafeMinor(BigInt(qty) * BigInt(unitPriceMinor), 'line amount');
}

/** Exact integer sum; throws rather than silently losing precision. */
export function sumMinor(amounts: readonly number[]): number {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return toSafeMinor(total, 'total');
}

export function assertMinor(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be an integer number of minor units`);
}

/** 12345 → "123.45" (currencies with two minor digits, as every branch's EUR), without floats. */
export function formatMinor(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
