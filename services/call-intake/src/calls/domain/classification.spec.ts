import { classify, warrantyActive } from './classification';

describe('[6] classification of a repair call', () => {
  const terms = { purchaseDate: '2024-03-10', warrantyEndsOn: '2026-03-10' };

  it('is C on the last day of warranty and not on the day after', () => {
    expect(warrantyActive(terms, '2026-03-10')).toBe(true);
    expect(warrantyActive(terms, '2026-03-11')).toBe(false);
    expect(classify(terms, '2026-03-10', { covered: false }).category).toBe('C');
    expect(classify(terms, '2026-03-11', { covered: false }).category).toBe('A');
  });

  it('is not under warranty before the purchase date or without a warranty end', () => {
    expect(warrantyActive(terms, '2024-03-09')).toBe(false);
    expect(warrantyActive({ purchaseDate: '2024-03-10' }, '2024-03-10')).toBe(false);
  });

  it('prefers warranty (C) over a contract (B)', () => {
    expect(classify(terms, '2026-01-01', { covered: true, contractId: 'k1' })).toMatchObject({ category: 'C' });
  });

  it('is B when a contract covers it and A when nothing does', () => {
    expect(classify(terms, '2026-04-01', { covered: true, contractId: 'k1' })).toMatchObject({
      category: 'B',
      provisional: false,
      contractId: 'k1',
    });
    expect(classify({}, '2026-04-01', { covered: false })).toMatchObject({ category: 'A', provisional: false });
  });

  it('is a provisional A when billing did not answer, but still C under warranty', () => {
    expect(classify({}, '2026-04-01', 'unknown')).toMatchObject({ category: 'A', provisional: true });
    expect(classify(terms, '2026-03-10', 'unknown')).toMatchObject({ category: 'C', provisional: false });
  });
});
