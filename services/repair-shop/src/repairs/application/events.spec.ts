import { factKey, stableEventId, toEvents } from './events';

describe('repair event identity', () => {
  const overdue = (scheduledFor: string) => ({
    kind: 'overdue' as const,
    callId: 'c1',
    technicianId: 't1',
    scheduledFor,
  });

  it('gives the same fact the same CloudEvent id, so a second write of it is the same event', () => {
    const [a] = toEvents('br-north', [overdue('2026-03-10')]);
    const [b] = toEvents('br-north', [overdue('2026-03-10')]);
    expect(a.id).toBe(b.id);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives another scheduled date or another repair another id', () => {
    expect(factKey(overdue('2026-03-10'))).not.toBe(factKey(overdue('2026-03-12')));
    expect(stableEventId('overdue|c1|2026-03-10')).not.toBe(stableEventId('overdue|c2|2026-03-10'));
    expect(stableEventId('returned|c1')).not.toBe(stableEventId('checked-in|c1'));
  });
});
