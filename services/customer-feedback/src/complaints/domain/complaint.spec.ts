import { ConflictError } from '@aftersales/service-kit/domain-errors';
import { ageInDays, close, Complaint, eventChannel, notifyCustomer, receive, ReceiveInput, resolve } from './complaint';

const at = (iso: string) => new Date(iso);
const input = (over: Partial<ReceiveInput> = {}): ReceiveInput => ({
  complaintId: 'cmp-1',
  branchId: 'br-north',
  kind: 'complaint',
  severity: 'general',
  summary: 'late',
  source: 'direct',
  aboutBranch: true,
  receivedBy: 'u1',
  ...over,
});

describe('[26][28] routing a complaint on receipt', () => {
  const now = at('2026-03-02T10:00:00Z');

  it('escalates a serious one to the deputy GM at once, the branch director still assigned', () => {
    const c = receive(input({ severity: 'serious' }), 'u-dir', now);
    expect(c).toMatchObject({
      handledBy: 'deputy-gm',
      assignedTo: 'u-dir',
      escalatedAt: now,
      status: 'open',
      open: true,
    });
  });

  it('gives a general one about a branch to its director, otherwise to the service department', () => {
    expect(receive(input(), 'u-dir', now)).toMatchObject({
      handledBy: 'u-dir',
      assignedTo: 'u-dir',
      escalatedAt: null,
    });
    expect(receive(input({ aboutBranch: false }), 'u-dir', now)).toMatchObject({
      handledBy: 'service-dept',
      assignedTo: null,
    });
  });
});

describe('[26] a complaint ends with the customer told the outcome', () => {
  const received = receive(input(), 'u-dir', at('2026-03-02T10:00:00Z'));
  const resolvedAt = at('2026-03-03T10:00:00Z');
  const resolved: Complaint = { ...received, ...resolve(received, 'refund', 'u-dir', resolvedAt) };

  it('cannot be closed while open or before the customer is notified', () => {
    expect(() => close(received, 'u', resolvedAt)).toThrow(ConflictError);
    expect(() => close(resolved, 'u', resolvedAt)).toThrow(/customer/);
  });

  it('notifies only after the outcome, not before it was decided nor in the future, and only once', () => {
    expect(() => notifyCustomer(received, 'phone', resolvedAt, 'u', resolvedAt)).toThrow(/resolve it first/);
    expect(() => notifyCustomer(resolved, 'phone', at('2026-03-03T09:59:59Z'), 'u', resolvedAt)).toThrow(ConflictError);
    expect(() => notifyCustomer(resolved, 'phone', at('2026-03-03T11:00:00Z'), 'u', resolvedAt)).toThrow(/future/);
    const notified: Complaint = { ...resolved, ...notifyCustomer(resolved, 'letter', resolvedAt, 'u', resolvedAt) };
    expect(() => notifyCustomer(notified, 'phone', resolvedAt, 'u', resolvedAt)).toThrow(/already/);
    expect(close(notified, 'u', resolvedAt)).toMatchObject({ status: 'closed', open: false });
    expect(() => resolve(notified, 'again', 'u', resolvedAt)).toThrow(ConflictError);
  });

  it('maps letter and e-mail to "writing" for the event, and ages in whole days', () => {
    expect([eventChannel('letter'), eventChannel('email'), eventChannel('phone')]).toEqual([
      'writing',
      'writing',
      'phone',
    ]);
    expect(ageInDays(received, at('2026-03-12T09:59:59Z'))).toBe(9);
    expect(ageInDays(received, at('2026-03-12T10:00:00Z'))).toBe(10);
  });
});
