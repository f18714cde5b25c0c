import { DayCounters } from './day-counters';
import type { TechnicianEvaluation } from './projection';

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
  // Additive fields (not in reporting.v1 BranchKpis: REST and CSV only)
  callsCancelled: number;
  takenToShop: number;
  /** [19] SLA alerts dispatch raised in the period, per zone. */
  slaAlerts: { urban: SlaAlerts; suburban: SlaAlerts };
  /** [20] Maintenance contracts created, renewed, sent an expiry notice, lapsed in the period. */
  contracts: { created: number; renewed: number; expiring: number; expired: number };
  surveysSent: number;
  complaintsEscalated: number;
  complaintsCustomerNotified: number;
  technicianEvaluation: TechnicianEvaluationKpi;
}
export interface SlaAlerts {
  atRisk: number;
  breached: number;
}
/**
 * [23] The monthly technician evaluations of the months the period touches (e.g. 2026-03 for any period
 * within March): each item averaged across the branch's technicians, weighted by their surveys.
 */
export interface TechnicianEvaluationKpi {
  /** Evaluations (technician × month) counted, including those with no answered survey. */
  evaluations: number;
  /** Answered surveys the averages are made of. */
  surveys: number;
  attitude: number;
  skill: number;
  arrivalTime: number;
  promiseKeeping: number;
}
export interface SlaCompliance {
  arrivals: number;
  met: number;
  rate: number;
}

/** Ratios are rounded to 4 decimals, averages to 2, so REST, gRPC and CSV show the same numbers. */
const ratio = (a: number, b: number, digits = 4): number => (b > 0 ? round(a / b, digits) : 0);
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function technicianEvaluationKpi(evaluations: readonly TechnicianEvaluation[]): TechnicianEvaluationKpi {
  let surveys = 0;
  const sums = { attitude: 0, skill: 0, arrivalTime: 0, promiseKeeping: 0 };
  for (const e of evaluations) {
    if (!e.averages || e.surveys <= 0) continue; // nothing answered: no weight
    surveys += e.surveys;
    for (const item of Object.keys(sums) as Array<keyof typeof sums>) sums[item] += e.averages[item] * e.surveys;
  }
  return {
    evaluations: evaluations.length,
    surveys,
    attitude: ratio(sums.attitude, surveys, 2),
    skill: ratio(sums.skill, surveys, 2),
    arrivalTime: ratio(sums.arrivalTime, surveys, 2),
    promiseKeeping: ratio(sums.promiseKeeping, surveys, 2),
  };
}

export function branchKpis(
  branchId: string,
  currency: string,
  c: DayCounters,
  evaluations: readonly TechnicianEvaluation[] = [],
): BranchKpis {
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
    callsCancelled: c.callsCancelled,
    takenToShop: c.takenToShop,
    slaAlerts: {
      urban: { atRisk: c.slaAtRiskUrban, breached: c.slaBreachedUrban },
      suburban: { atRisk: c.slaAtRiskSuburban, breached: c.slaBreachedSuburban },
    },
    contracts: {
      created: c.contractsCreated,
      renewed: c.contractsRenewed,
      expiring: c.contractsExpiring,
      expired: c.contractsExpired,
    },
    surveysSent: c.surveysSent,
    complaintsEscalated: c.complaintsEscalated,
    complaintsCustomerNotified: c.complaintsCustomerNotified,
    technicianEvaluation: technicianEvaluationKpi(evaluations),
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
  ['calls_cancelled', (k) => k.callsCancelled],
  ['taken_to_shop', (k) => k.takenToShop],
  ['sla_urban_at_risk', (k) => k.slaAlerts.urban.atRisk],
  ['sla_urban_breached', (k) => k.slaAlerts.urban.breached],
  ['sla_suburban_at_risk', (k) => k.slaAlerts.suburban.atRisk],
  ['sla_suburban_breached', (k) => k.slaAlerts.suburban.breached],
  ['contracts_created', (k) => k.contracts.created],
  ['contracts_renewed', (k) => k.contracts.renewed],
  ['contracts_expiring', (k) => k.contracts.expiring],
  ['contracts_expired', (k) => k.contracts.expired],
  ['surveys_sent', (k) => k.surveysSent],
  ['complaints_escalated', (k) => k.complaintsEscalated],
  ['complaints_customer_notified', (k) => k.complaintsCustomerNotified],
  ['technician_evaluations', (k) => k.technicianEvaluation.evaluations],
  ['technician_evaluation_surveys', (k) => k.technicianEvaluation.surveys],
  ['technician_attitude', (k) => k.technicianEvaluation.attitude],
  ['technician_skill', (k) => k.technicianEvaluation.skill],
  ['technician_arrival_time', (k) => k.technicianEvaluation.arrivalTime],
  ['technician_promise_keeping', (k) => k.technicianEvaluation.promiseKeeping],
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
