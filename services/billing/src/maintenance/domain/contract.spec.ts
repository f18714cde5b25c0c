import { ConflictError, ValidationError } from '@aftersales/service-kit/domain-errors';
import {
  addRenewalAttempt,
  applyExpiry,
  applyNotice,
  decideExpiry,
  noticeDateFor,
  renew,
  termCovering,
  type Contract,
} from './contract';

const at = new Date('2027-02-28T08:00:00Z');
function contract(endsOn: string, extra: Partial<Contract> = {}): Contract {
  const term = { startsOn: '2026-04-01', endsOn, coversLabour: true, coversParts: false, feeMinor: 12000 };
  return {
    id: 'ct-1',
    branchId: 'br-north',
    customerId: 'cu-1',
    serials: ['SN-1'],
    ...term,
    status: 'active',
    terms: [term],
    followUpHistory: [],
    createdAt: '2026-04-01T00:00:00Z',
    ...extra,
  };
}

describe('[20] notice date: one month before the end, clamped to the month end', () => {
  it.each([
    ['2027-03-31', '2027-02-28'], // 31 March → last day of February
    ['2028-03-31', '2028-02-29'], // leap year
    ['2027-03-29', '2027-02-28'],
    ['2027-04-30', '2027-03-30'],
    ['2027-06-15', '2027-05-15'],
    ['2027-01-31', '2026-12-31'],
  ])('ends %s → noticed on %s', (endsOn, notice) => {
    expect(noticeDateFor(endsOn)).toBe(notice);
  });

  it('rejects non-dates', () => {
    expect(() => noticeDateFor('2027-02-30')).toThrow(ValidationError);
  });
});

describe('decideExpiry', () => {
  it('sends the notice from the notice date, once per term end', () => {
    const c = contract('2027-03-31');
    expect(decideExpiry(c, '2027-02-27').kind).toBe('none');
    expect(decideExpiry(c, '2027-02-28')).toEqual({ kind: 'notice', noticeDate: '2027-02-28' });
    const noticed = { ...c, ...applyNotice(c, '2027-02-28', at) };
    expect(noticed.followUp).toMatchObject({ forEndsOn: '2027-03-31', attempts: [] });
    expect(decideExpiry(noticed, '2027-02-28').kind).toBe('none');
    expect(decideExpiry(noticed, '2027-03-31').kind).toBe('none');
    expect(decideExpiry(noticed, '2027-04-01').kind).toBe('expire');
  });

  it('expires after the end and closes the follow-up as lapsed with its attempts', () => {
    let c = contract('2027-03-31');
    c = { ...c, ...applyNotice(c, '2027-02-28', at) };
    c = { ...c, followUp: addRenewalAttempt(c, { at: at.toISOString(), by: 'acc', note: 'called' }) };
    const expired = { ...c, ...applyExpiry(c, new Date('2027-04-01T01:00:00Z')) };
    expect(expired.status).toBe('expired');
    expect(expired.followUp).toMatchObject({ outcome: 'lapsed', attempts: [{ note: 'called' }] });
    expect(decideExpiry(expired, '2027-05-01').kind).toBe('none');
  });

  it('renewal starts the day after, closes the follow-up as renewed and needs a new notice for the new end', () => {
    let c = contract('2027-03-31');
    c = { ...c, ...applyNotice(c, '2027-02-28', at) };
    const renewed = { ...c, ...renew(c, { endsOn: '2028-03-31' }, at) };
    expect(renewed).toMatchObject({ startsOn: '2027-04-01', endsOn: '2028-03-31', coversLabour: true });
    expect(renewed.followUp).toMatchObject({ outcome: 'renewed' });
    expect(decideExpiry(renewed, '2027-04-01').kind).toBe('none');
    expect(decideExpiry(renewed, '2028-02-29').kind).toBe('notice');
    expect(termCovering(renewed, '2026-06-01')?.endsOn).toBe('2027-03-31');
    expect(termCovering(renewed, '2027-06-01')?.endsOn).toBe('2028-03-31');
    expect(termCovering(renewed, '2028-04-01')).toBeUndefined();
    expect(() => renew({ ...renewed, status: 'expired' }, { endsOn: '2029-03-31' }, at)).toThrow(ConflictError);
    expect(() => renew(renewed, { endsOn: '2028-01-01' }, at)).toThrow(ValidationError);
    expect(() => addRenewalAttempt(renewed, { at: '', by: '', note: 'x' })).toThrow(ConflictError);
  });
});
