/**
 * The pre-aggregated read model: one document per (branchId, businessDate) holding only `$inc` counters,
 * so a KPI query over a period reads at most days × branches small documents whatever the history size.
 *
 * "Still open" measures (overdue repairs, open complaints, cash not handed over) are booked on the day the
 * item AROSE and decremented there when it is settled: a period's figure reads "of what arose in the
 * period, what is still open now" — exact for the current period, and it needs no running balance that
 * would make a query's cost grow with history.
 */
export const DAY_COUNTERS = [
  // [6] calls registered, by category (a reclassification moves the call on its registration day)
  'callsA',
  'callsB',
  'callsC',
  // [18] calls carried over from this business day
  'carriedOver',
  // [19] arrivals and SLA outcome per zone, working minutes from the call to arrival
  'arrivalsUrban',
  'slaMetUrban',
  'arrivalsSuburban',
  'slaMetSuburban',
  'minutesToArrivalSum',
  // [9][12] closed calls by completion: on site (first-time fix) or through the shop
  'closedOnSite',
  'closedShop',
  // [11][12] shop returns and the sum of their check-in → return time
  'shopReturns',
  'shopTurnaroundMinutesSum',
  // [14] repairs that went overdue on this day and are not completed yet
  'overdueOpen',
  // [10][13] invoices issued (minor units)
  'revenueInvoicedMinor',
  // [10] cash collected on site on this day, and how much of it has been handed over since
  'cashCollectedMinor',
  'cashHandedOverMinor',
  // [25] answered surveys and rating sums per item
  'surveysAnswered',
  'ratingAttitudeSum',
  'ratingSkillSum',
  'ratingArrivalTimeSum',
  'ratingPromiseKeepingSum',
  // [26] complaints received, of which serious, and of those received this day how many are still open
  'complaintsReceived',
  'complaintsSerious',
  'complaintsOpen',
  // calls cancelled before they were closed (counted on the business day of the cancellation)
  'callsCancelled',
  // [11] products taken to the shop (counted on the day the customer signed the pickup)
  'takenToShop',
  // [19] SLA alerts raised by dispatch, per zone
  'slaAtRiskUrban',
  'slaAtRiskSuburban',
  'slaBreachedUrban',
  'slaBreachedSuburban',
  // [20] maintenance contracts created, renewed, sent an expiry notice, lapsed
  'contractsCreated',
  'contractsRenewed',
  'contractsExpiring',
  'contractsExpired',
  // [24] surveys sent
  'surveysSent',
  // [26] complaints escalated to the deputy GM, and customers told the outcome
  'complaintsEscalated',
  'complaintsCustomerNotified',
] as const;
export type DayCounter = (typeof DAY_COUNTERS)[number];
export type DayCounters = Record<DayCounter, number>;

export const emptyCounters = (): DayCounters => Object.fromEntries(DAY_COUNTERS.map((k) => [k, 0])) as DayCounters;

/** Adds day documents up (missing counters count as 0). */
export function sumCounters(days: ReadonlyArray<Partial<DayCounters>>): DayCounters {
  const total = emptyCounters();
  for (const day of days) for (const k of DAY_COUNTERS) total[k] += day[k] ?? 0;
  return total;
}
