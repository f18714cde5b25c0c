import { DayCounters } from './day-counters';

/** Key figures of one branch over a period (the shape of reporting.v1 BranchKpis). */
export interface BranchKpis {
  branchId: string;
  callsByCategory: { categoryA: number; categoryB: number; categoryC: number };
  carriedOver: number;
  slaUrban: SlaCompliance;
  slaSuburban: SlaCompliance;
  avgWorkingMinutesToArrival: number;
  firstTimeFixRate: number;
  avgShopTurnaroundHours: number;
  overdueRepairs: number;
  revenueInvoicedMinor: number;
  cashOutstandingMinor: number;
  currency: string;
  surveyAverages: {
    answered: number;
    attitude: number;
    skill: number;
    arrivalTime: number;
    promiseKeeping: number;
  };
  complaintsOpen: number;
  complaintsSerious: number;
}
export interface SlaCompliance {
  arrivals: number;
  met: number;
  rate: number;
}

/** Ratios are rounded to 4 decimals, averages to 2, so REST, gRPC and CSV show the same numbers. */
const ratio = (a: number, b: number, digits = 4): number => (b > 0 ? round(a / b, digits) : 0);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function branchKpis(branchId: string, currency: string, c: DayCounters): BranchKpis {
  const arrivals = c.arrivalsUrban + c.arrivalsSuburban;
  return {
    branchId,
    callsByCategory: { categoryA: c.callsA, categoryB: c.callsB, categoryC: c.callsC },
    carriedOver: c.carriedOver,
    // [19] 6 working hours urban, 7 suburban: dispatch decides slaMet, reporting counts it
    slaUrban: { arrivals: c.arrivalsUrban, met: c.slaMetUrban, rate: ratio(c.slaMetUrban, c.arrivalsUrban) },
    slaSuburban: {
      arrivals: c.arrivalsSuburban,
      met: c.slaMetSuburban,
      rate: ratio(c.slaMetSuburban, c.arrivalsSuburban),
    },
    avgWorkingMinutesToArrival: ratio(c.minutesToArrivalSum, arrivals, 2),
    firstTimeFixRate: ratio(c.closedOnSite, c.closedOnSite + c.closedShop),
    avgShopTurnaroundHours: ratio(c.shopTurnaroundMinutesSum, c.shopReturns * 60, 2),
    overdueRepairs: c.overdueOpen,
    revenueInvoicedMinor: c.revenueInvoicedMinor,
    cashOutstandingMinor: c.cashCollectedMinor - c.cashHandedOverMinor,
    currency,
    surveyAverages: {
      answered: c.surveysAnswered,
      attitude: ratio(c.ratingAttitudeSum, c.surveysAnswered, 2),
      skill: ratio(c.ratingSkillSum, c.surveysAnswered, 2),
      arrivalTime: ratio(c.ratingArrivalTimeSum, c.surveysAnswered, 2),
      promiseKeeping: ratio(c.ratingPromiseKeepingSum, c.surveysAnswered, 2),
    },
    complaintsOpen: c.complaintsOpen,
    complaintsSerious: c.complaintsSerious,
  };
}

/** The CSV columns, flat, one row per branch. */
const COLUMNS: Array<[string, (k: BranchKpis) => string | number]> = [
  ['branch_id', (k) => k.branchId],
  ['calls_a', (k) => k.callsByCategory.categoryA],
  ['calls_b', (k) => k.callsByCategory.categoryB],
  ['calls_c', (k) => k.callsByCategory.categoryC],
  ['carried_over', (k) => k.carriedOver],
  ['sla_urban_arrivals', (k) => k.slaUrban.arrivals],
  ['sla_urban_met', (k) => k.slaUrban.met],
  ['sla_urban_rate', (k) => k.slaUrban.rate],
  ['sla_suburban_arrivals', (k) => k.slaSuburban.arrivals],
  ['sla_suburban_met', (k) => k.slaSuburban.met],
  ['sla_suburban_rate', (k) => k.slaSuburban.rate],
  ['avg_working_minutes_to_arrival', (k) => k.avgWorkingMinutesToArrival],
  ['first_time_fix_rate', (k) => k.firstTimeFixRate],
  ['avg_shop_turnaround_hours', (k) => k.avgShopTurnaroundHours],
  ['overdue_repairs', (k) => k.overdueRepairs],
  ['revenue_invoiced_minor', (k) => k.revenueInvoicedMinor],
  ['cash_outstanding_minor', (k) => k.cashOutstandingMinor],
  ['currency', (k) => k.currency],
  ['surveys_answered', (k) => k.surveyAverages.answered],
  ['survey_attitude', (k) => k.surveyAverages.attitude],
  ['survey_skill', (k) => k.surveyAverages.skill],
  ['survey_arrival_time', (k) => k.surveyAverages.arrivalTime],
  ['survey_promise_keeping', (k) => k.surveyAverages.promiseKeeping],
  ['complaints_open', (k) => k.complaintsOpen],
  ['complaints_serious', (k) => k.complaintsSerious],
];

/** RFC 4180 CSV: header line, CRLF line ends, fields quoted when they hold a comma, quote or line break. */
export function kpisCsv(rows: readonly BranchKpis[]): string {
  const cell = (v: string | number): string => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([, get]) => cell(get(row))).join(','));
  return lines.join('\r\n') + '\r\n';
}
