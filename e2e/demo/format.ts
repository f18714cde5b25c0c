/** Printing for the demo: money, branch-local times, the narrative and the head-office KPI table. */

const TZ = 'Europe/Madrid';

/** Minor units → "55.00 EUR" (negative for credit notes). */
export const money = (minor: number | undefined, currency = 'EUR'): string =>
  minor === undefined ? '?' : `${(minor / 100).toFixed(2)} ${currency}`;

/** An instant as the branch sees it: "Fri 27 Nov 09:30". */
export function local(at: string | Date | undefined, timeZone = TZ): string {
  if (!at) return '?';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(new Date(at))
    .replace(',', '');
}

export const hm = (minutes: number): string => `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}`;

export const count = <T>(items: readonly T[], key: (t: T) => string): string => {
  const tally = new Map<string, number>();
  for (const item of items) tally.set(key(item), (tally.get(key(item)) ?? 0) + 1);
  return [...tally]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}×${n}`)
    .join(' ');
};

/** One narrative line per step group and branch. */
export function step(title: string, lines: Array<[branch: string, text: string]>): void {
  console.log(`\n▸ ${title}`);
  for (const [branch, text] of lines) console.log(`  ${branch.padEnd(9)}${text}`);
}

const pct = (rate: number) => `${(rate * 100).toFixed(0)}%`;
const sla = (s: { arrivals: number; met: number; rate: number }) =>
  s.arrivals ? `${s.met}/${s.arrivals} met (${pct(s.rate)})` : '–';

/** Rows of the head-office table: what reporting's /kpis answered, one column per branch. */
const ROWS: Array<[string, (k: any) => string]> = [
  [
    'calls A / B / C',
    (k) => `${k.callsByCategory.categoryA} / ${k.callsByCategory.categoryB} / ${k.callsByCategory.categoryC}`,
  ],
  ['carried over [18]', (k) => String(k.carriedOver)],
  ['SLA urban [19]', (k) => sla(k.slaUrban)],
  ['SLA suburban [19]', (k) => sla(k.slaSuburban)],
  [
    'SLA alerts at risk / breached',
    (k) =>
      `${k.slaAlerts.urban.atRisk + k.slaAlerts.suburban.atRisk} / ${k.slaAlerts.urban.breached + k.slaAlerts.suburban.breached}`,
  ],
  ['avg working min to arrival', (k) => String(k.avgWorkingMinutesToArrival)],
  ['first-time fix rate', (k) => pct(k.firstTimeFixRate)],
  ['taken to shop', (k) => String(k.takenToShop)],
  ['avg shop turnaround (h)', (k) => String(k.avgShopTurnaroundHours)],
  ['overdue repairs [14]', (k) => String(k.overdueRepairs)],
  ['revenue invoiced', (k) => money(k.revenueInvoicedMinor, k.currency)],
  ['cash not handed over [10]', (k) => money(k.cashOutstandingMinor, k.currency)],
  ['surveys sent / answered', (k) => `${k.surveysSent} / ${k.surveyAverages.answered}`],
  [
    'survey avg att/skill/arr/prom',
    (k) =>
      k.surveyAverages.answered
        ? [
            k.surveyAverages.attitude,
            k.surveyAverages.skill,
            k.surveyAverages.arrivalTime,
            k.surveyAverages.promiseKeeping,
          ].join(' / ')
        : '–',
  ],
  ['complaints serious / escalated', (k) => `${k.complaintsSerious} / ${k.complaintsEscalated}`],
  ['complaints open / notified', (k) => `${k.complaintsOpen} / ${k.complaintsCustomerNotified}`],
  ['contracts new/notice/renewed', (k) => `${k.contracts.created} / ${k.contracts.expiring} / ${k.contracts.renewed}`],
];

export function kpiTable(kpis: { from: string; to: string; branches: any[] }): string {
  const head = ['', ...kpis.branches.map((b) => b.branchId)];
  const rows = ROWS.map(([label, cell]) => [label, ...kpis.branches.map((b) => cell(b))]);
  const widths = head.map((_, i) => Math.max(...[head, ...rows].map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].map((l) => `  ${l}`).join('\n');
}
