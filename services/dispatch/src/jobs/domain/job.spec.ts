import { BranchCalendar } from '@aftersales/calendar';
import { ConflictError, ForbiddenError, ValidationError } from '@aftersales/service-kit/domain-errors';
import type { Technician } from '../../technicians/domain/technician';
import { decideFee } from './fee';
import {
  arrive,
  assign,
  CallDetails,
  cancelCall,
  carryOver,
  completeOnSite,
  Job,
  reclassify,
  registerCall,
  takeToShop,
  Zone,
} from './job';
import { checkSla, slaDueAt, slaStatus } from './sla';

// The br-north calendar of config/branches.json: Europe/Madrid, Mon–Fri 09:00–18:00, 8 Dec 2026 and
// 26 Mar 2027 are holidays.
const nineToSix = [{ from: '09:00', to: '18:00' }];
const cal = new BranchCalendar({
  timezone: 'Europe/Madrid',
  businessHours: { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] },
  holidays: ['2026-12-08', '2026-12-25', '2027-03-26'],
});
const at = (iso: string) => new Date(iso);

const details = (receivedAt: string, zone: Zone = 'urban'): CallDetails => ({
  callNumber: 'N-1',
  voucherNo: 'V-1',
  customer: { id: 'cu-1', name: 'Ana Ruiz', phone: '600', address: 'Calle Mayor 1', zone },
  product: { model: 'WM-200', serial: 'S-9' },
  problem: 'drum does not spin',
  provisional: false,
  receivedAt: at(receivedAt),
});
const registered = (receivedAt: string, zone: Zone = 'urban', category: 'A' | 'B' | 'C' = 'A'): Job =>
  registerCall(
    null,
    { callId: 'call-1', branchId: 'br-north', category, call: details(receivedAt, zone) },
    at(receivedAt),
    cal,
  )!;
const tech = (id: string, over: Partial<Technician> = {}): Technician => ({
  id,
  branchId: 'br-north',
  name: `Tech ${id}`,
  skills: [],
  active: true,
  createdAt: at('2026-01-01T00:00:00Z'),
  ...over,
});

describe('[19] SLA due time of a job (Europe/Madrid, Mon–Fri 09:00–18:00)', () => {
  it('urban is 6 and suburban 7 working hours after the call, across the night', () => {
    // Thursday 26 Nov 2026 14:00 CET: 4 h left that day
    expect(registered('2026-11-26T13:00:00Z', 'urban').slaDueAt).toEqual(at('2026-11-27T10:00:00Z')); // Fri 11:00
    expect(registered('2026-11-26T13:00:00Z', 'suburban').slaDueAt).toEqual(at('2026-11-27T11:00:00Z')); // Fri 12:00
  });

  it('a call at 16:30 on Friday is due on Monday (1h30 on Friday + 4h30 on Monday)', () => {
    expect(slaDueAt(at('2026-11-27T15:30:00Z'), 'urban', cal)).toEqual(at('2026-11-30T12:30:00Z')); // Mon 13:30
    expect(slaDueAt(at('2026-11-27T15:30:00Z'), 'suburban', cal)).toEqual(at('2026-11-30T13:30:00Z')); // Mon 14:30
  });

  it('a call received on Saturday counts from Monday 09:00', () => {
    expect(slaDueAt(at('2026-11-28T09:00:00Z'), 'urban', cal)).toEqual(at('2026-11-30T14:00:00Z')); // Mon 15:00
  });

  it('skips a holiday (Tue 8 Dec) and follows the zone across DST (Madrid → UTC+2 on 28 Mar 2027)', () => {
    expect(slaDueAt(at('2026-12-07T14:00:00Z'), 'suburban', cal)).toEqual(at('2026-12-09T12:00:00Z')); // Wed 13:00
    // Thu 25 Mar 2027 17:00 CET: 1 h; Fri 26 holiday; Mon 29 from 09:00 CEST: 5 h → 14:00 CEST = 12:00Z
    expect(slaDueAt(at('2027-03-25T16:00:00Z'), 'urban', cal)).toEqual(at('2027-03-29T12:00:00Z'));
  });
});

describe('arrival: SLA met or not, and working minutes to arrival', () => {
  const assigned = () => assign(registered('2026-11-27T15:30:00Z'), tech('t1'), 'dir', at('2026-11-27T15:40:00Z')).job;

  it('met when arriving exactly at the due time: 360 working minutes, over the weekend', () => {
    const { job, events } = arrive(assigned(), 't1', at('2026-11-30T12:30:00Z'), cal);
    expect(job.status).toBe('on-site');
    expect(job.arrival).toMatchObject({ slaMet: true, workingMinutesToArrival: 360, businessDate: '2026-11-30' });
    expect(events).toEqual([
      {
        type: 'arrived',
        data: {
          branchId: 'br-north',
          callId: 'call-1',
          technicianId: 't1',
          arrivedAt: '2026-11-30T12:30:00.000Z',
          zone: 'urban',
          slaMet: true,
          workingMinutesToArrival: 360,
        },
      },
    ]);
  });

  it('missed one minute after the due time', () => {
    const { job } = arrive(assigned(), 't1', at('2026-11-30T12:31:00Z'), cal);
    expect(job.arrival).toMatchObject({ slaMet: false, workingMinutesToArrival: 361 });
  });
});

describe('state machine', () => {
  const now = at('2026-11-30T10:00:00Z');
  const sig = { signedBy: 'Ana Ruiz', signedAt: at('2026-11-30T11:00:00Z') };
  const onSite = () => {
    const a = assign(registered('2026-11-30T08:00:00Z'), tech('t1'), 'dir', now).job;
    return arrive(a, 't1', at('2026-11-30T10:30:00Z'), cal).job;
  };

  it('assigns, then reassigns keeping the history and naming the previous technician', () => {
    const first = assign(registered('2026-11-30T08:00:00Z'), tech('t1'), 'dir', now);
    expect(first.events[0].data).not.toHaveProperty('previousTechnicianId');
    const second = assign(first.job, tech('t2'), 'dir', at('2026-11-30T10:05:00Z'));
    expect(second.job.technicianId).toBe('t2');
    expect(second.job.assignments.map((a) => a.technicianId)).toEqual(['t1', 't2']);
    expect(second.events[0]).toMatchObject({
      type: 'assigned',
      data: { technicianId: 't2', previousTechnicianId: 't1', slaDueAt: '2026-11-30T14:00:00.000Z' },
    });
  });

  it('refuses: a cancelled job (409), a technician of another branch (403), an inactive one (409), the same one (409)', () => {
    const job = registered('2026-11-30T08:00:00Z');
    const cancelled = cancelCall(job, 'call-1', 'br-north', 'customer withdrew', now)!;
    expect(() => assign(cancelled, tech('t1'), 'dir', now)).toThrow(ConflictError);
    expect(() => assign(cancelled, tech('t1'), 'dir', now)).toThrow(/cancelled: only an open or assigned job/);
    expect(() => assign(job, tech('t9', { branchId: 'br-south' }), 'dir', now)).toThrow(ForbiddenError);
    expect(() => assign(job, tech('t1', { active: false }), 'dir', now)).toThrow(/inactive/);
    const a = assign(job, tech('t1'), 'dir', now).job;
    expect(() => assign(a, tech('t1'), 'dir', now)).toThrow(/already assigned/);
  });

  it('arrival needs an assignment, the assigned technician, and happens once', () => {
    expect(() => arrive(registered('2026-11-30T08:00:00Z'), 't1', now, cal)).toThrow(/no technician assigned/);
    const a = assign(registered('2026-11-30T08:00:00Z'), tech('t1'), 'dir', now).job;
    expect(() => arrive(a, 't2', now, cal)).toThrow(ForbiddenError);
    const there = arrive(a, 't1', now, cal).job;
    expect(() => arrive(there, 't1', now, cal)).toThrow(ConflictError);
    expect(() => assign(there, tech('t2'), 'dir', now)).toThrow(/on-site/);
  });

  it('completion before arrival is a 409; after it the job is final', () => {
    const a = assign(registered('2026-11-30T08:00:00Z'), tech('t1'), 'dir', now).job;
    const input = { technicianId: 't1', labourMinutes: 45, parts: [{ partNo: 'P1', qty: 1 }], signature: sig };
    expect(() => completeOnSite(a, input, { settlement: 'none' }, at('2026-11-30T11:00:00Z'))).toThrow(
      /cannot complete on site before the technician has arrived/,
    );
    const fee = { settlement: 'cash' as const, amountMinor: 4500, currency: 'EUR' };
    const done = completeOnSite(onSite(), input, fee, at('2026-11-30T11:00:00Z'));
    expect(done.job.status).toBe('completed');
    expect(done.events[0]).toEqual({
      type: 'completed',
      data: {
        branchId: 'br-north',
        callId: 'call-1',
        technicianId: 't1',
        labourMinutes: 45,
        parts: [{ partNo: 'P1', qty: 1 }],
        cashCollected: 4500,
        customerSignedAt: '2026-11-30T11:00:00.000Z',
      },
    });
    expect(() => completeOnSite(done.job, input, fee, at('2026-11-30T11:00:00Z'))).toThrow(/completed: cannot/);
    const toInvoice = completeOnSite(
      onSite(),
      input,
      { settlement: 'invoice', reason: 'billing-unavailable' },
      sig.signedAt,
    );
    expect(toInvoice.events[0].data).not.toHaveProperty('cashCollected');
  });

  it('takes the product to the shop with a pickup receipt; the signature must be made on site', () => {
    const input = { technicianId: 't1', receiptNo: 'PR-7', fault: 'motor burnt', signature: sig };
    const { job, events } = takeToShop(onSite(), input, at('2026-11-30T11:00:00Z'));
    expect(job.status).toBe('taken-to-shop');
    expect(events[0]).toMatchObject({
      type: 'taken-to-shop',
      data: { receiptNo: 'PR-7', product: { model: 'WM-200', serial: 'S-9' }, fault: 'motor burnt' },
    });
    const early = { ...input, signature: { signedBy: 'Ana', signedAt: at('2026-11-30T10:00:00Z') } };
    expect(() => takeToShop(onSite(), early, at('2026-11-30T11:00:00Z'))).toThrow(ValidationError);
    const future = { ...input, signature: { signedBy: 'Ana', signedAt: at('2026-11-30T12:00:00Z') } };
    expect(() => takeToShop(onSite(), future, at('2026-11-30T11:00:00Z'))).toThrow(ValidationError);
  });
});

describe('incoming facts, duplicated or out of order', () => {
  const reg = { callId: 'call-1', branchId: 'br-north', category: 'A' as const, call: details('2026-11-30T08:00:00Z') };

  it('a second registration changes nothing', () => {
    const job = registerCall(null, reg, at('2026-11-30T08:00:00Z'), cal)!;
    expect(registerCall(job, reg, at('2026-11-30T08:00:00Z'), cal)).toBeNull();
  });

  it('cancelled before registered: the job stays cancelled and gets the call details', () => {
    const stub = cancelCall(null, 'call-1', 'br-north', 'duplicate call', at('2026-11-30T08:01:00Z'))!;
    expect(stub.status).toBe('cancelled');
    expect(stub.call).toBeUndefined();
    const job = registerCall(stub, reg, at('2026-11-30T08:00:00Z'), cal)!;
    expect(job).toMatchObject({
      status: 'cancelled',
      call: { voucherNo: 'V-1' },
      cancellation: { reason: 'duplicate call' },
    });
    expect(cancelCall(job, 'call-1', 'br-north', 'again', at('2026-11-30T09:00:00Z'))).toBeNull();
  });

  it('carried over and reclassified before registration are kept; an older reclassification loses', () => {
    const early = reclassify(
      carryOver(null, 'call-1', 'br-north', '2026-11-30'),
      'call-1',
      'br-north',
      'B',
      at('2026-11-30T08:05:00Z'),
    )!;
    const job = registerCall(early, reg, at('2026-11-30T08:00:00Z'), cal)!;
    expect(job).toMatchObject({ status: 'open', priority: true, category: 'B', slaDueAt: at('2026-11-30T14:00:00Z') });
    expect(reclassify(job, 'call-1', 'br-north', 'C', at('2026-11-30T08:04:00Z'))).toBeNull();
    expect(reclassify(job, 'call-1', 'br-north', 'C', at('2026-11-30T08:06:00Z'))?.category).toBe('C');
    expect(carryOver(job, 'call-1', 'br-north', '2026-11-30')).toBeNull();
  });
});

describe('[19] SLA checks of the scheduler (at-risk ≤ 60 working minutes left, breach at the due time)', () => {
  const job = registered('2026-11-27T15:30:00Z'); // due Mon 30 Nov 12:30Z

  it('raises at-risk at exactly 60 working minutes left — across the weekend, not at 61 — then the breach, once each', () => {
    expect(checkSla(job, at('2026-11-30T11:29:00Z'), cal, 60)).toBeNull(); // 61 left
    expect(checkSla(job, at('2026-11-27T16:59:00Z'), cal, 60)).toBeNull(); // Friday 17:59: 271 left
    const risk = checkSla(job, at('2026-11-30T11:30:00Z'), cal, 60)!;
    expect(risk.events).toEqual([
      {
        type: 'sla-at-risk',
        data: {
          branchId: 'br-north',
          callId: 'call-1',
          slaDueAt: '2026-11-30T12:30:00.000Z',
          zone: 'urban',
          workingMinutesLeft: 60,
        },
      },
    ]);
    expect(checkSla(risk.job, at('2026-11-30T12:00:00Z'), cal, 60)).toBeNull();
    expect(checkSla(risk.job, at('2026-11-30T12:29:59Z'), cal, 60)).toBeNull();
    const breach = checkSla(risk.job, at('2026-11-30T12:30:00Z'), cal, 60)!;
    expect(breach.events[0]).toMatchObject({ type: 'sla-breached', data: { callId: 'call-1', zone: 'urban' } });
    expect(checkSla(breach.job, at('2026-12-01T12:30:00Z'), cal, 60)).toBeNull();
    expect(slaStatus(breach.job, at('2026-11-30T13:00:00Z'), cal, 60)).toMatchObject({
      state: 'breached',
      workingMinutesLeft: 0,
    });
  });

  it('nothing once the technician arrived or the job was cancelled; a late first check raises only the breach', () => {
    const a = assign(job, tech('t1'), 'dir', at('2026-11-27T15:40:00Z')).job;
    const there = arrive(a, 't1', at('2026-11-30T09:00:00Z'), cal).job;
    expect(checkSla(there, at('2026-11-30T12:30:00Z'), cal, 60)).toBeNull();
    expect(slaStatus(there, at('2026-11-30T12:30:00Z'), cal, 60)).toMatchObject({ state: 'met' });
    const cancelled = cancelCall(job, 'call-1', 'br-north', 'x', at('2026-11-30T09:00:00Z'))!;
    expect(checkSla(cancelled, at('2026-11-30T12:30:00Z'), cal, 60)).toBeNull();
    const late = checkSla(a, at('2026-12-01T09:00:00Z'), cal, 60)!;
    expect(late.events.map((e) => e.type)).toEqual(['sla-breached']);
    expect(late.events[0].data).toMatchObject({ technicianId: 't1' });
  });
});

describe('[10] fee of an on-site visit', () => {
  it('cash within the limit, invoice above it or when billing is down, nothing for B and C', () => {
    const q = (amountMinor: number) => ({ amountMinor, currency: 'EUR' });
    expect(decideFee('A', q(15000), 15000)).toEqual({ settlement: 'cash', amountMinor: 15000, currency: 'EUR' });
    expect(decideFee('A', q(15001), 15000)).toMatchObject({ settlement: 'invoice', reason: 'over-cash-limit' });
    expect(decideFee('A', 'unavailable', 15000)).toEqual({ settlement: 'invoice', reason: 'billing-unavailable' });
    expect(decideFee('B', q(5000), 15000)).toEqual({ settlement: 'none' });
    expect(decideFee('C', 'unavailable', 15000)).toEqual({ settlement: 'none' });
  });
});
