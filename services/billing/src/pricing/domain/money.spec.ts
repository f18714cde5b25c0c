import { divRoundHalfUp, formatMinor, labourAmount, lineAmount, sumMinor } from './money';
import { priceJob, type PriceList } from './price-list';

/** Deterministic PRNG (mulberry32), so a failure can be reproduced from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  return (max: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % max;
  };
}

/** Independent reference: exact rational rate × minutes / 60, rounded half up by comparing remainders. */
function referenceLabour(rate: bigint, minutes: bigint): bigint {
  const q = (rate * minutes) / 60n;
  const r = (rate * minutes) % 60n;
  return r * 2n >= 60n ? q + 1n : q;
}

describe('labour rounding: once per line, half up, integer math', () => {
  it('rounds exact halves up and everything else to the nearest cent', () => {
    expect(labourAmount(4000, 60)).toBe(4000);
    expect(labourAmount(4000, 45)).toBe(3000);
    expect(labourAmount(4000, 1)).toBe(67); // 66.666… → 67
    expect(labourAmount(4001, 1)).toBe(67); // 66.683…
    expect(labourAmount(3990, 1)).toBe(67); // 66.5 exactly → up
    expect(labourAmount(3930, 1)).toBe(66); // 65.5 exactly → up
    expect(labourAmount(3929, 1)).toBe(65); // 65.483…
    expect(labourAmount(0, 500)).toBe(0);
    expect(divRoundHalfUp(-3n, 2n)).toBe(-2n); // symmetric for negatives (away from zero)
  });

  it('refuses fractions and unsafe results instead of losing cents', () => {
    expect(() => labourAmount(40.5, 10)).toThrow(/integer/);
    expect(() => labourAmount(4000, 1.5)).toThrow(/minutes/);
    expect(() => lineAmount(Number.MAX_SAFE_INTEGER, 2)).toThrow(/safe integer/);
    expect(() => sumMinor([Number.MAX_SAFE_INTEGER, 1])).toThrow(/safe integer/);
  });

  it('formats without floats', () => {
    expect(formatMinor(123456)).toBe('1234.56');
    expect(formatMinor(5)).toBe('0.05');
    expect(formatMinor(-250)).toBe('-2.50');
  });
});

describe('no rounding drift over 10,000 invoice lines', () => {
  it('the total of 10,000 priced lines equals an independent BigInt sum of exact line values', () => {
    const rnd = prng(20260401);
    const parts = Array.from({ length: 50 }, (_, i) => ({
      partNo: `P${i}`,
      description: `Part ${i}`,
      priceMinor: 1 + rnd(250_000),
    }));
    let total = 0;
    let reference = 0n;
    let lines = 0;
    while (lines < 10_000) {
      const list: PriceList = {
        branchId: 'br-north',
        currency: 'EUR',
        labourRatePerHourMinor: 1 + rnd(20_000),
        callOutFeeMinor: rnd(10_000),
        cashLimitMinor: 15_000,
        parts,
        source: 'saved',
      };
      const job = {
        labourMinutes: 1 + rnd(600),
        parts: Array.from({ length: rnd(4) }, () => ({ partNo: `P${rnd(50)}`, qty: 1 + rnd(9) })),
      };
      const priced = priceJob(list, job, { labour: true, parts: true, callOut: true });
      for (const line of priced.lines) {
        // each line, recomputed independently in BigInt from the inputs
        const expected =
          line.kind === 'labour'
            ? referenceLabour(BigInt(list.labourRatePerHourMinor), BigInt(job.labourMinutes))
            : line.kind === 'call-out'
              ? BigInt(list.callOutFeeMinor)
              : BigInt(line.qty) * BigInt(parts.find((p) => p.partNo === line.partNo)!.priceMinor);
        expect(BigInt(line.amount)).toBe(expected);
        expect(line.amount).toBe(line.qty * line.unitPrice);
        reference += expected;
      }
      expect(priced.total).toBe(sumMinor(priced.lines.map((l) => l.amount)));
      total = sumMinor([total, priced.total]);
      lines += priced.lines.length;
    }
    expect(lines).toBeGreaterThanOrEqual(10_000);
    expect(BigInt(total)).toBe(reference);
    expect(Number.isSafeInteger(total)).toBe(true);
  });
});
