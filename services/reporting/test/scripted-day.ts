import {
  CallCarriedOverV1,
  CallClosedV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  CloudEvent,
  ComplaintReceivedV1,
  ComplaintResolvedV1,
  InvoiceIssuedV1,
  PaymentRecordedV1,
  ProductCheckedInV1,
  ProductReturnedV1,
  RepairCompletedV1,
  RepairOverdueV1,
  SurveyAnsweredV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';

/**
 * A scripted business day, Monday 2026-03-02, for two branches in Europe/Madrid (UTC+1: 08:00Z is 09:00
 * local). Events are grouped in waves a real system would also order (a call is registered before its
 * visit; an invoice exists before its payment). Every event's time is its domain instant.
 */
let seq = 0;
const meta = (subject: string, time: string, source: string) => ({
  source,
  subject,
  id: `evt-${++seq}`,
  time: new Date(time),
});
const intake = '/aftersales/call-intake';
const dispatch = '/aftersales/dispatch';
const shop = '/aftersales/repair-shop';
const billing = '/aftersales/billing';
const feedback = '/aftersales/customer-feedback';

const customer = (zone: 'urban' | 'suburban') =>
  ({ id: 'cu-1', name: 'Eva', phone: '600', address: 'Calle 1', zone }) as const;

const registered = (
  branchId: string,
  callId: string,
  category: 'A' | 'B' | 'C',
  zone: 'urban' | 'suburban',
  at: string,
) =>
  CallRegisteredV1.create(
    {
      branchId,
      callId,
      callNumber: callId,
      voucherNo: `V-${callId}`,
      customer: customer(zone),
      product: { model: 'WM-1', serial: `S-${callId}` },
      problem: 'noise',
      category,
      receivedAt: at,
    },
    meta(callId, at, intake),
  );
const assigned = (branchId: string, callId: string, technicianId: string, name: string, at: string) =>
  TechnicianAssignedV1.create(
    { branchId, callId, technicianId, technicianName: name, assignedBy: 'dir', assignedAt: at, slaDueAt: at },
    meta(callId, at, dispatch),
  );
const arrived = (
  branchId: string,
  callId: string,
  technicianId: string,
  zone: 'urban' | 'suburban',
  slaMet: boolean,
  minutes: number,
  at: string,
) =>
  TechnicianArrivedV1.create(
    { branchId, callId, technicianId, arrivedAt: at, zone, slaMet, workingMinutesToArrival: minutes },
    meta(callId, at, dispatch),
  );
const visit = (
  branchId: string,
  callId: string,
  technicianId: string,
  labourMinutes: number,
  at: string,
  cash?: number,
) =>
  VisitCompletedV1.create(
    {
      branchId,
      callId,
      technicianId,
      labourMinutes,
      parts: [],
      customerSignedAt: at,
      ...(cash ? { cashCollected: cash } : {}),
    },
    meta(callId, at, dispatch),
  );
const closed = (branchId: string, callId: string, technicianId: string, completion: 'on-site' | 'shop', at: string) =>
  CallClosedV1.create(
    {
      branchId,
      callId,
      voucherNo: `V-${callId}`,
      category: 'A',
      customer: customer('urban'),
      technicianId,
      completion,
      labourMinutes: 0,
      parts: [],
      closedAt: at,
    },
    meta(callId, at, intake),
  );
const invoice = (branchId: string, invoiceId: string, callId: string, total: number, at: string) =>
  InvoiceIssuedV1.create(
    {
      branchId,
      invoiceId,
      invoiceNo: invoiceId,
      callId,
      customerId: 'cu-1',
      category: 'A',
      lines: [{ description: 'labour', qty: 1, unitPrice: total, amount: total }],
      total,
      currency: 'EUR',
      issuedAt: at,
    },
    meta(invoiceId, at, billing),
  );
const survey = (
  branchId: string,
  callId: string,
  technicianId: string,
  r: [number, number, number, number],
  at: string,
) =>
  SurveyAnsweredV1.create(
    {
      branchId,
      surveyId: `sv-${callId}`,
      callId,
      technicianId,
      ratings: { attitude: r[0], skill: r[1], arrivalTime: r[2], promiseKeeping: r[3] },
      answeredAt: at,
    },
    meta(`sv-${callId}`, at, feedback),
  );
const complaint = (
  branchId: string,
  complaintId: string,
  severity: 'general' | 'serious',
  at: string,
  kind: 'complaint' | 'suggestion' = 'complaint',
) =>
  ComplaintReceivedV1.create(
    { branchId, complaintId, severity, handledBy: 'sd', kind, summary: 'late', receivedAt: at },
    meta(complaintId, at, feedback),
  );

const N = 'br-north';
const S = 'br-south';

export function scriptedDay(): CloudEvent[][] {
  seq = 0;
  return [
    // wave 1: registrations, assignments, complaints received
    [
      registered(N, 'n1', 'A', 'urban', '2026-03-02T08:05:00Z'),
      registered(N, 'n2', 'B', 'urban', '2026-03-02T08:10:00Z'),
      registered(N, 'n3', 'C', 'suburban', '2026-03-02T08:15:00Z'),
      registered(N, 'n4', 'A', 'suburban', '2026-03-02T08:20:00Z'),
      // 00:10 local on 03-03: the next business day, outside the fixture's period
      registered(N, 'n5', 'C', 'urban', '2026-03-02T23:10:00Z'),
      // 00:30 local on 03-02: inside the period although the UTC date is 03-01
      registered(S, 's2', 'C', 'urban', '2026-03-01T23:30:00Z'),
      registered(S, 's1', 'A', 'urban', '2026-03-02T08:00:00Z'),
      assigned(N, 'n1', 't-n1', 'Tom', '2026-03-02T08:30:00Z'),
      assigned(N, 'n2', 't-n1', 'Tom', '2026-03-02T08:31:00Z'),
      assigned(N, 'n3', 't-n2', 'Nora', '2026-03-02T08:32:00Z'),
      assigned(S, 's1', 't-s1', 'Sara', '2026-03-02T08:33:00Z'),
      assigned(S, 's2', 't-s1', 'Sara', '2026-03-02T08:34:00Z'),
      complaint(N, 'cp-n1', 'general', '2026-03-02T09:00:00Z'),
      complaint(N, 'cp-n2', 'serious', '2026-03-02T09:05:00Z'),
      complaint(N, 'sg-n1', 'general', '2026-03-02T09:06:00Z', 'suggestion'),
      complaint(S, 'cp-s1', 'serious', '2026-03-02T09:10:00Z'),
    ],
    // wave 2: the field work
    [
      CallReclassifiedV1.create(
        { branchId: N, callId: 'n4', from: 'A', to: 'B', reason: 'contract found' },
        meta('n4', '2026-03-02T08:40:00Z', intake),
      ),
      arrived(N, 'n1', 't-n1', 'urban', true, 120, '2026-03-02T10:05:00Z'),
      arrived(N, 'n2', 't-n1', 'urban', false, 400, '2026-03-02T11:00:00Z'),
      arrived(N, 'n3', 't-n2', 'suburban', true, 300, '2026-03-02T10:30:00Z'),
      arrived(S, 's1', 't-s1', 'urban', true, 60, '2026-03-02T09:00:00Z'),
      arrived(S, 's2', 't-s1', 'urban', false, 500, '2026-03-02T10:00:00Z'),
      visit(N, 'n1', 't-n1', 45, '2026-03-02T10:50:00Z', 3000),
      visit(N, 'n2', 't-n1', 30, '2026-03-02T11:40:00Z'),
      visit(S, 's1', 't-s1', 60, '2026-03-02T10:00:00Z', 4500),
      ProductCheckedInV1.create(
        {
          branchId: N,
          callId: 'n3',
          receiptNo: 'R-n3',
          technicianId: 't-n2',
          checkedInAt: '2026-03-02T11:00:00Z',
          scheduledFor: '2026-03-02',
        },
        meta('n3', '2026-03-02T11:00:00Z', shop),
      ),
      ProductCheckedInV1.create(
        {
          branchId: S,
          callId: 's2',
          receiptNo: 'R-s2',
          technicianId: 't-s1',
          checkedInAt: '2026-03-02T11:00:00Z',
          scheduledFor: '2026-03-02',
        },
        meta('s2', '2026-03-02T11:00:00Z', shop),
      ),
      ComplaintResolvedV1.create(
        {
          branchId: N,
          complaintId: 'cp-n1',
          severity: 'general',
          handledBy: 'sd',
          outcome: 'apology',
          resolvedAt: '2026-03-02T12:00:00Z',
        },
        meta('cp-n1', '2026-03-02T12:00:00Z', feedback),
      ),
      survey(N, 'n1', 't-n1', [4, 3, 4, 4], '2026-03-02T13:00:00Z'),
      survey(N, 'n2', 't-n1', [3, 3, 2, 4], '2026-03-02T13:30:00Z'),
      survey(S, 's1', 't-s1', [2, 2, 2, 2], '2026-03-02T13:00:00Z'),
    ],
    // wave 3: shop, closes, invoices
    [
      CallCarriedOverV1.create(
        { branchId: N, callId: 'n4', businessDate: '2026-03-02', priority: 'high' },
        meta('n4', '2026-03-02T17:05:00Z', intake),
      ),
      RepairCompletedV1.create(
        {
          branchId: N,
          callId: 'n3',
          technicianId: 't-n2',
          labourMinutes: 90,
          parts: [],
          verifiedBy: 'v',
          completedAt: '2026-03-02T15:00:00Z',
        },
        meta('n3', '2026-03-02T15:00:00Z', shop),
      ),
      RepairOverdueV1.create(
        { branchId: S, callId: 's2', technicianId: 't-s1', scheduledFor: '2026-03-02' },
        meta('s2', '2026-03-02T16:00:00Z', shop),
      ),
      closed(N, 'n1', 't-n1', 'on-site', '2026-03-02T12:00:00Z'),
      closed(N, 'n2', 't-n1', 'on-site', '2026-03-02T12:30:00Z'),
      closed(S, 's1', 't-s1', 'on-site', '2026-03-02T12:00:00Z'),
      invoice(N, 'inv-n1', 'n1', 3000, '2026-03-02T14:00:00Z'),
    ],
    // wave 4: return, last close, payments
    [
      ProductReturnedV1.create(
        {
          branchId: N,
          callId: 'n3',
          receiptNo: 'R-n3',
          technicianId: 't-n2',
          returnedAt: '2026-03-02T16:30:00Z',
          labourMinutes: 90,
          parts: [],
          customerSignedAt: '2026-03-02T16:30:00Z',
        },
        meta('n3', '2026-03-02T16:30:00Z', shop),
      ),
      closed(N, 'n3', 't-n2', 'shop', '2026-03-02T16:45:00Z'),
      invoice(N, 'inv-n3', 'n3', 12500, '2026-03-02T16:50:00Z'),
      invoice(S, 'inv-s1', 's1', 4500, '2026-03-02T14:00:00Z'),
      PaymentRecordedV1.create(
        {
          branchId: N,
          invoiceId: 'inv-n1',
          amount: 3000,
          currency: 'EUR',
          method: 'cash-on-site',
          handedOverAt: '2026-03-02T15:00:00Z',
          recordedAt: '2026-03-02T15:00:00Z',
        },
        meta('inv-n1', '2026-03-02T15:00:00Z', billing),
      ),
    ],
  ];
}

const sla = (arrivals: number, met: number, rate: number) => ({ arrivals, met, rate });

/** Computed by hand from the script above, for the period 2026-03-02 .. 2026-03-02. */
export const EXPECTED_KPIS = [
  {
    branchId: N,
    callsByCategory: { categoryA: 1, categoryB: 2, categoryC: 1 }, // n1 A; n2 B, n4 A→B; n3 C (n5 is 03-03)
    carriedOver: 1, // n4
    slaUrban: sla(2, 1, 0.5), // n1 met, n2 not
    slaSuburban: sla(1, 1, 1), // n3
    avgWorkingMinutesToArrival: 273.33, // (120 + 400 + 300) / 3
    firstTimeFixRate: 0.6667, // n1, n2 on site; n3 shop
    avgShopTurnaroundHours: 5.5, // n3 checked in 11:00Z, returned 16:30Z
    overdueRepairs: 0,
    revenueInvoicedMinor: 15500, // 3000 + 12500
    cashOutstandingMinor: 0, // 3000 collected on n1, 3000 handed over
    currency: 'EUR',
    surveyAverages: { answered: 2, attitude: 3.5, skill: 3, arrivalTime: 3, promiseKeeping: 4 },
    complaintsOpen: 1, // cp-n1 resolved, cp-n2 open (the suggestion is no complaint)
    complaintsSerious: 1, // cp-n2
  },
  {
    branchId: S,
    callsByCategory: { categoryA: 1, categoryB: 0, categoryC: 1 }, // s1; s2 at 00:30 local
    carriedOver: 0,
    slaUrban: sla(2, 1, 0.5),
    slaSuburban: sla(0, 0, 0),
    avgWorkingMinutesToArrival: 280, // (60 + 500) / 2
    firstTimeFixRate: 1,
    avgShopTurnaroundHours: 0,
    overdueRepairs: 1, // s2, not completed
    revenueInvoicedMinor: 4500,
    cashOutstandingMinor: 4500, // collected on s1, not handed over
    currency: 'EUR',
    surveyAverages: { answered: 1, attitude: 2, skill: 2, arrivalTime: 2, promiseKeeping: 2 },
    complaintsOpen: 1,
    complaintsSerious: 1,
  },
];
