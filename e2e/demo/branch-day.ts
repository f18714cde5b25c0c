/**
 * One branch's day, through the services' public HTTP APIs only, as the people of DOMAIN.md would do it.
 * Every figure the narrative prints is read from the services' answers. Ids, serials and receipt numbers
 * carry the run id, so the demo can be played again on the same running system.
 *
 * Time: the day is played now. Two things need a past: a call that came in on the previous working day
 * (a letter registered late, `receivedAt`) is how an arrival beyond the 6/7 working-hour SLA happens, and
 * the repair that cannot be done as scheduled is escalated by its technician at once [14] rather than
 * waiting for the end of the scheduled day. Surveys go out the day after the close [24]: today's are shown
 * as scheduled; surveys of demo calls closed on earlier days that are already out are answered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BranchCalendar, type WorkingTime } from '@aftersales/calendar';
import type { Role } from '@aftersales/service-kit';
import { expectStatus, token, until, type ApiClient, type Service } from '../support/system';
import { count, hm, local, money } from './format';

export interface Branch extends WorkingTime {
  id: string;
  name: string;
  currency: string;
  cashLimitMinor: number;
  onDuty: { managerId: string; directorId: string };
}

/** What differs between the branches: places and people. */
export interface Cast {
  urban: Array<{ address: string; postalCode: string }>;
  suburban: Array<{ address: string; postalCode: string }>;
  customers: [string, string, string, string, string];
  technicians: [string, string, string];
}

type Kind = 'cash' | 'contract' | 'warranty' | 'late' | 'stuck';

interface DemoCall {
  kind: Kind;
  customer: string;
  phone: string;
  id: string;
  callNumber: string;
  category: string;
  zone: string;
  receivedAt: string;
  technician: number;
  receiptNo?: string;
  job?: any;
  invoice?: any;
}

/** Parts the day uses; added to a branch's price list when missing (existing prices are kept). */
const PARTS = [
  { partNo: 'VALVE-3', description: 'Boiler pressure relief valve', priceMinor: 1850 },
  { partNo: 'RELAY-7', description: 'Compressor start relay', priceMinor: 4200 },
  { partNo: 'PUMP-2', description: 'Drain pump', priceMinor: 8900 },
];

const DAY = 86_400_000;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export const HEAD_OFFICE = 'head-office';

export class BranchDay {
  readonly calendar: BranchCalendar;
  readonly today: string;
  /** The previous working day: the late letter came in then. */
  readonly previousWorkingDay: string;
  private readonly calls = new Map<Kind, DemoCall>();
  private readonly technicianIds: string[];
  private readonly tokens = new Map<string, string>();
  private contract: any;
  private contractCustomer: any;
  private complaint: any;

  constructor(
    private readonly api: ApiClient,
    readonly branch: Branch,
    private readonly cast: Cast,
    private readonly run: string,
    private readonly outboxDir: string | undefined,
  ) {
    this.calendar = new BranchCalendar(branch);
    this.today = this.calendar.businessDate(new Date());
    let day = addDays(this.today, -1);
    while (!this.calendar.isWorkingDay(day)) day = addDays(day, -1);
    this.previousWorkingDay = day;
    const short = branch.id.replace(/^br-/, '');
    this.technicianIds = [1, 2, 3].map((n) => `demo-${run}-${short}-t${n}`);
  }

  get label(): string {
    return this.branch.id;
  }

  private async as(role: Role, sub?: string): Promise<string> {
    const who =
      sub ??
      (role === 'director'
        ? this.branch.onDuty.directorId
        : role === 'manager'
          ? this.branch.onDuty.managerId
          : `demo-${role}-${this.branch.id}`);
    const key = `${role}|${who}`;
    if (!this.tokens.has(key)) {
      const branchId = role === 'service-dept' || role === 'deputy-gm' ? HEAD_OFFICE : this.branch.id;
      this.tokens.set(key, await token(role, branchId, who, `${role} ${who}`));
    }
    return this.tokens.get(key)!;
  }

  private tech(n: number) {
    return this.as('technician', this.technicianIds[n]);
  }

  private async call(
    svc: Service,
    method: 'GET' | 'POST' | 'PUT',
    urlPath: string,
    bearer: string,
    body: unknown,
    status: number | number[],
    what: string,
  ): Promise<any> {
    return expectStatus(await this.api.call(svc, method, urlPath, bearer, body), status, `${this.label}: ${what}`).body;
  }

  private get(svc: Service, urlPath: string, bearer: string, what: string) {
    return this.call(svc, 'GET', urlPath, bearer, undefined, 200, what);
  }

  private post(svc: Service, urlPath: string, bearer: string, body: unknown, what: string, status = [200, 201]) {
    return this.call(svc, 'POST', urlPath, bearer, body, status, what);
  }

  private c(kind: Kind): DemoCall {
    return this.calls.get(kind)!;
  }

  private phone(n: number): string {
    const d = String(parseInt(this.run.slice(-5), 36) * 7 + n * 7919)
      .padStart(8, '0')
      .slice(-8);
    return `+34 6${d.slice(0, 2)} ${d.slice(2, 5)} ${d.slice(5)}`;
  }

  // ---- morning: roster, prices, contracts --------------------------------------------------------

  async setUp(): Promise<string> {
    const director = await this.as('director');
    for (const [i, id] of this.technicianIds.entries()) {
      await this.post(
        'dispatch',
        `/branches/${this.branch.id}/technicians`,
        director,
        { id, name: this.cast.technicians[i], skills: i === 2 ? ['shop', 'refrigeration'] : ['appliances'] },
        'put a technician on the roster',
      );
    }
    const accountant = await this.as('accountant');
    const prices = await this.get('billing', `/branches/${this.branch.id}/price-list`, accountant, 'price list');
    const missing = PARTS.filter((p) => !prices.parts.some((q: any) => q.partNo === p.partNo));
    if (missing.length > 0) {
      await this.call(
        'billing',
        'PUT',
        `/branches/${this.branch.id}/price-list`,
        accountant,
        {
          currency: prices.currency,
          labourRatePerHourMinor: prices.labourRatePerHourMinor,
          callOutFeeMinor: prices.callOutFeeMinor,
          cashLimitMinor: prices.cashLimitMinor,
          parts: [
            ...prices.parts.map((p: any) => ({
              partNo: p.partNo,
              description: p.description,
              priceMinor: p.priceMinor,
            })),
            ...missing,
          ],
        },
        200,
        'add parts to the price list',
      );
    }
    return (
      `roster +3 technicians (${this.cast.technicians.join(', ')}); price list: call-out ${money(prices.callOutFeeMinor, prices.currency)}, ` +
      `labour ${money(prices.labourRatePerHourMinor, prices.currency)}/h, cash limit ${money(prices.cashLimitMinor, prices.currency)}` +
      (missing.length ? `, parts added ${missing.map((p) => p.partNo).join(' ')}` : ', parts already listed')
    );
  }

  /** [20] A customer's maintenance contract, ending in 20 days: the expiry job sends the notice. */
  async contracts(): Promise<string> {
    const clerk = await this.as('clerk');
    const accountant = await this.as('accountant');
    const place = this.cast.suburban[0];
    const name = this.cast.customers[1];
    const customer = await this.post(
      'call-intake',
      `/branches/${this.branch.id}/customers`,
      clerk,
      { name, phone: this.phone(2), ...place },
      'create the contract customer',
    );
    const product = await this.post(
      'call-intake',
      `/branches/${this.branch.id}/customers/${customer.id}/products`,
      clerk,
      {
        model: 'Boiler CondensPro 24',
        serial: `BL-${this.run}-${this.label}`.toUpperCase(),
        purchaseDate: addDays(this.today, -900),
      },
      'add the boiler to the installed base',
    );
    this.contractCustomer = { customer, product };
    this.contract = await this.post(
      'billing',
      `/branches/${this.branch.id}/contracts`,
      accountant,
      {
        customerId: customer.id,
        customerName: name,
        serials: [product.serial],
        startsOn: addDays(this.today, -345),
        endsOn: addDays(this.today, 20),
        coversLabour: true,
        coversParts: false,
        feeMinor: 12000,
      },
      'create the maintenance contract',
    );
    const run = await this.post(
      'billing',
      `/branches/${this.branch.id}/contracts/expiry-runs`,
      accountant,
      { date: this.today },
      'run the expiry job for today',
    );
    const after = await this.get(
      'billing',
      `/branches/${this.branch.id}/contracts/${this.contract.id}`,
      accountant,
      'the contract',
    );
    this.contract = after;
    return (
      `contract ${after.id.slice(0, 11)}… for ${name} (${product.serial}), labour covered, parts not, ends ${after.endsOn}; ` +
      `expiry job ${this.today}: ${run.noticed.length} notice(s) sent` +
      (after.notice ? `, this one at ${local(after.notice.sentAt)} [20]` : ' (none for this contract yet)')
    );
  }

  // ---- calls ------------------------------------------------------------------------------------

  async registerCalls(): Promise<string> {
    const clerk = await this.as('clerk');
    const { urban, suburban, customers } = this.cast;
    const opening = this.calendar.intervals(this.previousWorkingDay)[0].start;
    const letterCameIn = new Date(opening.getTime() + 30 * 60_000).toISOString();
    const specs: Array<{ kind: Kind; technician: number; body: Record<string, unknown> }> = [
      {
        kind: 'late',
        technician: 1,
        body: {
          channel: 'document',
          receivedAt: letterCameIn,
          customer: { name: customers[3], phone: this.phone(4), ...urban[1] },
          product: { model: 'Dryer HD-8', serial: `DR-${this.run}-${this.label}`.toUpperCase() },
          problem: 'letter: the dryer stops after ten minutes and shows E5',
        },
      },
      {
        kind: 'cash',
        technician: 0,
        body: {
          channel: 'phone',
          customer: { name: customers[0], phone: this.phone(1), ...urban[0] },
          product: { model: 'Washer WM-9', serial: `WM-${this.run}-${this.label}`.toUpperCase() },
          problem: 'the drum does not spin',
        },
      },
      {
        kind: 'contract',
        technician: 1,
        body: {
          channel: 'phone',
          customerId: this.contractCustomer.customer.id,
          productId: this.contractCustomer.product.id,
          problem: 'boiler pressure drops every night',
        },
      },
      {
        kind: 'warranty',
        technician: 0,
        body: {
          channel: 'phone',
          customer: { name: customers[2], phone: this.phone(3), ...urban[2] },
          product: {
            model: 'Fridge FC-300',
            serial: `FR-${this.run}-${this.label}`.toUpperCase(),
            purchaseDate: addDays(this.today, -240),
            warrantyEndsOn: addDays(this.today, 490),
          },
          problem: 'the fridge does not cool, the compressor clicks',
        },
      },
      {
        kind: 'stuck',
        technician: 2,
        body: {
          channel: 'phone',
          customer: { name: customers[4], phone: this.phone(5), ...suburban[1] },
          product: { model: 'Dishwasher DW-45', serial: `DW-${this.run}-${this.label}`.toUpperCase() },
          problem: 'leaks and stops with error E24',
        },
      },
    ];
    for (const spec of specs) {
      const call = await this.post(
        'call-intake',
        `/branches/${this.branch.id}/calls`,
        clerk,
        spec.body,
        'register a call',
      );
      this.calls.set(spec.kind, {
        kind: spec.kind,
        customer: call.customer.name,
        phone: call.customer.phone,
        id: call.id,
        callNumber: call.callNumber,
        category: call.category,
        zone: call.customer.zone,
        receivedAt: call.receivedAt,
        technician: spec.technician,
      });
    }
    const all = [...this.calls.values()];
    const late = this.c('late');
    return (
      `${all.length} calls registered, category decided by call-intake: ${count(all, (c) => c.category)} ` +
      `(${count(all, (c) => c.zone)}); B = ${this.c('contract').callNumber} under the contract, ` +
      `C = ${this.c('warranty').callNumber} under warranty; ${late.callNumber} is a letter that came in ${local(late.receivedAt)}`
    );
  }

  /** [18] The previous working day's vouchers against the log: the late letter was not dispatched then. */
  async reconcile(): Promise<string> {
    const clerk = await this.as('clerk');
    const report = await this.post(
      'call-intake',
      `/branches/${this.branch.id}/reconciliations/${this.previousWorkingDay}`,
      clerk,
      undefined,
      'reconcile the previous working day',
    );
    const late = this.c('late');
    const carried = report.carriedOver.some((c: any) => c.callId === late.id);
    const director = await this.as('director');
    for (const call of this.calls.values()) {
      await until(`${this.label}: job of ${call.callNumber} in dispatch`, async () => {
        const res = await this.api.call('dispatch', 'GET', `/jobs/${call.id}`, director);
        return res.status === 200 && (call.kind !== 'late' || !carried || res.body.priority) && res.body;
      });
    }
    return (
      `reconciliation of ${this.previousWorkingDay} (run ${report.runs}): ${late.callNumber} ` +
      (carried ? `carried over, priority dispatch on ${report.dueFor}` : 'NOT carried over') +
      `; ${report.outstandingVouchers.length} voucher(s) of that day still out`
    );
  }

  // ---- dispatch and visits ----------------------------------------------------------------------

  async dispatch(): Promise<string> {
    const director = await this.as('director');
    const queue = await this.get(
      'dispatch',
      `/branches/${this.branch.id}/dispatch-queue?pageSize=100`,
      director,
      "the director's queue",
    );
    const ours = new Map([...this.calls.values()].map((c) => [c.id, c]));
    const order = (queue.items as any[]).filter((j) => ours.has(j.callId)).map((j) => ours.get(j.callId)!);
    // A busy shared system may show ours past the first page: they are assigned after those seen.
    order.push(...[...ours.values()].filter((c) => !order.includes(c)));
    for (const call of order) {
      call.job = await this.post(
        'dispatch',
        `/jobs/${call.id}/assignment`,
        director,
        { technicianId: this.technicianIds[call.technician] },
        `assign ${call.callNumber}`,
      );
    }
    const late = this.c('late');
    const since = Date.now();
    // The SLA scheduler raises the breach alert on its own pass (every second in the standalone system,
    // every minute under `pnpm start`): give it a moment, then read what dispatch says.
    const sla = await until(
      `${this.label}: SLA of ${late.callNumber}`,
      async () => {
        const s = await this.get('dispatch', `/jobs/${late.id}/sla`, director, 'SLA');
        return s.breachedRaised || Date.now() > since + 3000 ? s : undefined;
      },
      10_000,
      250,
    );
    return (
      `queue order ${order.map((c) => `${c.callNumber.slice(-3)}${c.job.priority ? '(priority)' : ''}`).join(' → ')}; ` +
      `assigned ${count(order, (c) => this.cast.technicians[c.technician])}; ` +
      `${late.callNumber} due ${local(sla.slaDueAt)}: ${sla.state}${sla.breachedRaised ? ', breach alert raised' : ''}`
    );
  }

  async visits(): Promise<string[]> {
    const arrivals: string[] = [];
    for (const call of this.calls.values()) {
      const job = await this.post(
        'dispatch',
        `/jobs/${call.id}/arrival`,
        await this.tech(call.technician),
        undefined,
        'arrive',
      );
      call.job = job;
      arrivals.push(
        `${call.callNumber.slice(-3)} ${job.arrival.slaMet ? 'in' : 'BEYOND'} SLA (${hm(job.arrival.workingMinutesToArrival)} working)`,
      );
    }
    const signed = (call: DemoCall) => ({ signedBy: call.customer, signedAt: new Date().toISOString() });
    const onSite: Array<[Kind, number, Array<{ partNo: string; qty: number }>]> = [
      ['cash', 45, []],
      ['contract', 60, [{ partNo: 'VALVE-3', qty: 1 }]],
      ['late', 150, [{ partNo: 'PUMP-2', qty: 1 }]],
    ];
    const fees: string[] = [];
    for (const [kind, labourMinutes, parts] of onSite) {
      const call = this.c(kind);
      call.job = await this.post(
        'dispatch',
        `/jobs/${call.id}/completion`,
        await this.tech(call.technician),
        { labourMinutes, parts, signature: signed(call) },
        'complete on site',
      );
      const fee = call.job.visit.fee;
      fees.push(
        `${call.callNumber.slice(-3)} ${call.category} ${labourMinutes} min` +
          (fee.settlement === 'cash'
            ? ` → ${money(fee.amountMinor, fee.currency)} cash on site`
            : fee.settlement === 'invoice'
              ? ` → to invoice (${fee.reason}${fee.amountMinor ? ` ${money(fee.amountMinor, fee.currency)}` : ''})`
              : ' → no fee on site'),
      );
    }
    const shop: string[] = [];
    for (const [kind, fault] of [
      ['warranty', 'compressor relay burnt: needs the shop'],
      ['stuck', 'circulation pump seized: needs the shop'],
    ] as Array<[Kind, string]>) {
      const call = this.c(kind);
      call.receiptNo = `PR-${this.run}-${this.label}-${kind}`.toUpperCase();
      call.job = await this.post(
        'dispatch',
        `/jobs/${call.id}/taken-to-shop`,
        await this.tech(call.technician),
        { receiptNo: call.receiptNo, fault, signature: signed(call) },
        'take to the shop',
      );
      shop.push(`${call.callNumber.slice(-3)} (${call.receiptNo})`);
    }
    return [
      `arrivals: ${arrivals.join(', ')}`,
      `on site [10]: ${fees.join('; ')}`,
      `taken to the shop against pickup receipts [11]: ${shop.join(', ')}`,
    ];
  }

  // ---- repair shop ------------------------------------------------------------------------------

  async shop(): Promise<string[]> {
    const clerk = await this.as('clerk');
    const now = new Date();
    const end = this.calendar.endOfBusinessDay(this.today);
    const scheduledFor = end && now < end ? this.today : this.calendar.nextWorkingDay(this.today);
    const shopTech = await this.tech(2);
    const checkedIn: string[] = [];
    for (const kind of ['warranty', 'stuck'] as Kind[]) {
      const call = this.c(kind);
      await until(`${this.label}: repair of ${call.callNumber} opened`, async () => {
        const res = await this.api.call('repair-shop', 'GET', `/repairs/${call.id}`, shopTech);
        return res.status === 200;
      });
      const repair = await this.post(
        'repair-shop',
        '/register/check-ins',
        clerk,
        { receiptNo: call.receiptNo, condition: 'outer panel scratched, complete', scheduledFor },
        'check in',
      );
      checkedIn.push(`${call.callNumber.slice(-3)} due ${local(repair.dueAt)}`);
    }
    const fridge = this.c('warranty');
    await this.post(
      'repair-shop',
      `/repairs/${fridge.id}/work-entries`,
      shopTech,
      { minutes: 90, note: 'relay and wiring' },
      'log work',
    );
    await this.post('repair-shop', `/repairs/${fridge.id}/parts`, shopTech, { partNo: 'RELAY-7', qty: 1 }, 'log part');
    await this.post('repair-shop', `/repairs/${fridge.id}/complete`, shopTech, undefined, 'complete');
    await this.post(
      'repair-shop',
      `/repairs/${fridge.id}/verify`,
      await this.tech(0),
      { works: true, note: 'cools to 4 °C' },
      'verify',
    );
    const returned = await this.post(
      'repair-shop',
      '/register/check-outs',
      clerk,
      { receiptNo: fridge.receiptNo, customerSignature: fridge.customer },
      'check out',
    );
    const receipt = await this.get('repair-shop', `/pickup-receipts/${fridge.receiptNo}`, clerk, 'receipt');

    const stuck = this.c('stuck');
    const escalated = await this.post(
      'repair-shop',
      `/repairs/${stuck.id}/escalation`,
      shopTech,
      { reason: 'circulation pump on back order from the manufacturer until next week' },
      'escalate',
    );
    const overdue = await this.get('repair-shop', '/repairs/overdue', await this.as('director'), 'overdue list');
    return [
      `checked in ${checkedIn.join(', ')}; ${fridge.callNumber.slice(-3)}: ${returned.totals.labourMinutes} min + ` +
        `${returned.totals.parts.map((p: any) => `${p.qty}×${p.partNo}`).join(' ')}, verified by ${this.cast.technicians[0]}, ` +
        `returned, receipt ${receipt.status} [12]`,
      `${stuck.callNumber.slice(-3)}: ${this.cast.technicians[2]} escalates at once [14] (pump on back order) → ` +
        `overdue=${escalated.overdue}; director's overdue list: ${overdue.length} repair(s)`,
    ];
  }

  // ---- close and billing ------------------------------------------------------------------------

  async close(): Promise<string> {
    const clerk = await this.as('clerk');
    const closed: string[] = [];
    for (const kind of ['cash', 'contract', 'late', 'warranty'] as Kind[]) {
      const call = this.c(kind);
      await until(`${this.label}: ${call.callNumber} completed in call-intake`, async () => {
        const res = await this.api.call('call-intake', 'GET', `/branches/${this.branch.id}/calls/${call.id}`, clerk);
        return res.status === 200 && res.body.status === 'completed';
      });
      const done = await this.post(
        'call-intake',
        `/branches/${this.branch.id}/calls/${call.id}/close`,
        clerk,
        undefined,
        'close',
      );
      closed.push(`${done.callNumber.slice(-3)} (${done.completion.kind})`);
    }
    const open = await this.get(
      'call-intake',
      `/branches/${this.branch.id}/calls/${this.c('stuck').id}`,
      clerk,
      'call',
    );
    return `vouchers logged out, calls closed [9][12]: ${closed.join(', ')}; ${open.callNumber.slice(-3)} stays ${open.status}`;
  }

  async billing(): Promise<string[]> {
    const accountant = await this.as('accountant');
    const invoices: string[] = [];
    for (const kind of ['cash', 'contract', 'warranty', 'late'] as Kind[]) {
      const call = this.c(kind);
      call.invoice = await until(`${this.label}: invoice of ${call.callNumber}`, async () => {
        const res = await this.api.call(
          'billing',
          'GET',
          `/branches/${this.branch.id}/invoices/inv-${call.id}`,
          accountant,
        );
        return res.status === 200 && res.body;
      });
      const inv = call.invoice;
      invoices.push(
        `${inv.invoiceNo} (call ${call.callNumber.slice(-3)}, ${inv.category}) ${money(inv.total, inv.currency)} ${inv.status}`,
      );
    }
    const cash = this.c('cash').invoice;
    const payments: string[] = [];
    if (cash.cashPending) {
      const after = await this.post(
        'billing',
        `/branches/${this.branch.id}/invoices/${cash.id}/cash-handover`,
        accountant,
        undefined,
        'cash hand-over',
      );
      payments.push(
        `${this.cast.technicians[0]} handed ${money(cash.paidMinor, cash.currency)} of ${after.invoiceNo} to the accountant`,
      );
    }
    for (const kind of ['late', 'contract'] as Kind[]) {
      const inv = this.c(kind).invoice;
      if (inv.balanceMinor > 0) {
        const after = await this.post(
          'billing',
          `/branches/${this.branch.id}/invoices/${inv.id}/payments`,
          accountant,
          { amountMinor: inv.balanceMinor, method: 'transfer' },
          'record a transfer',
        );
        this.c(kind).invoice = after;
        payments.push(`${after.invoiceNo} paid by transfer (${after.status})`);
      }
    }
    const outstanding = await this.get('billing', `/branches/${this.branch.id}/outstanding-cash`, accountant, 'cash');
    const ours = outstanding.technicians.filter((t: any) => this.technicianIds.includes(t.technicianId));
    return [
      `invoices from the closes [10][13]: ${invoices.join('; ')}`,
      `${payments.join('; ')}; cash still with our technicians: ${ours.length ? money(ours[0].amountMinor) : 'none'}`,
    ];
  }

  /** [20] Renewal follow-up opened by the notice: an attempt, then the renewal. */
  async renewal(): Promise<string> {
    const director = await this.as('director');
    await this.post(
      'billing',
      `/branches/${this.branch.id}/contracts/${this.contract.id}/renewal-attempts`,
      director,
      { note: `${this.cast.technicians[1]} offered the renewal on today's visit; customer agreed` },
      'renewal attempt',
      [200, 409],
    );
    const renewed = await this.post(
      'billing',
      `/branches/${this.branch.id}/contracts/${this.contract.id}/renew`,
      await this.as('accountant'),
      { endsOn: addDays(this.contract.endsOn, 365) },
      'renew',
    );
    const f = renewed.followUp;
    return `contract renewed to ${renewed.endsOn} (${renewed.terms.length} terms); follow-up ${f ? `${f.outcome} after ${f.attempts.length} attempt(s)` : 'none'}`;
  }

  // ---- customer feedback ------------------------------------------------------------------------

  async feedback(): Promise<string[]> {
    const service = await this.as('service-dept');
    const scheduled: string[] = [];
    for (const kind of ['cash', 'contract', 'late', 'warranty'] as Kind[]) {
      const call = this.c(kind);
      const survey = await until(`${this.label}: survey of ${call.callNumber}`, async () => {
        const res = await this.api.call('customer-feedback', 'GET', `/surveys/by-call/${call.id}`, service);
        return res.status === 200 && res.body;
      });
      scheduled.push(survey.scheduledFor);
    }
    const answered = await this.answerEarlierSurveys();

    // [26][28] The customer who waited since the previous working day phones in a serious complaint.
    const late = this.c('late');
    const received = await this.post(
      'customer-feedback',
      '/complaints',
      await this.as('clerk'),
      {
        branchId: this.branch.id,
        kind: 'complaint',
        severity: 'serious',
        summary: `Nobody came for more than a working day after my letter (call ${late.callNumber}); I lost a day of work.`,
        callId: late.id,
        customer: { name: late.customer, phone: late.phone },
        aboutBranch: true,
      },
      'receive a complaint',
    );
    const deputy = await this.as('deputy-gm');
    const ageing = await this.get(
      'customer-feedback',
      `/complaints/open?branchId=${this.branch.id}&pageSize=200`,
      deputy,
      'open complaints',
    );
    const inList = (ageing.items as any[]).some((c) => c.complaintId === received.complaintId);
    const invoice = late.invoice;
    const callOut = invoice.lines.find((l: any) => l.kind === 'call-out')?.amount ?? 0;
    const credit =
      callOut > 0
        ? await this.post(
            'billing',
            `/branches/${this.branch.id}/invoices/${invoice.id}/credit-notes`,
            await this.as('accountant'),
            { reason: 'call-out fee waived: dispatch beyond the SLA', amountMinor: callOut },
            'credit note',
          )
        : undefined;
    await this.post(
      'customer-feedback',
      `/complaints/${received.complaintId}/resolve`,
      deputy,
      {
        outcome:
          `Apology; ${credit ? `call-out fee refunded (${credit.invoiceNo})` : 'no fee to refund'}; ` +
          'letters are now read and dispatched the same morning.',
      },
      'resolve',
    );
    await this.post(
      'customer-feedback',
      `/complaints/${received.complaintId}/notify-customer`,
      await this.as('director'),
      { channel: 'phone' },
      'notify the customer',
    );
    this.complaint = await this.post(
      'customer-feedback',
      `/complaints/${received.complaintId}/close`,
      deputy,
      undefined,
      'close',
    );
    return [
      `surveys [24]: ${scheduled.length} scheduled for ${[...new Set(scheduled.map((s) => local(s)))].join(', ')} (the day after the close); ${answered}`,
      `serious complaint from ${late.customer}: handled by ${received.handledBy}, escalated ${local(received.escalatedAt)} [26], ` +
        `director ${received.assignedTo} assigned [28]${inList ? ', on the ageing list' : ''}; ${credit ? `credit note ${credit.invoiceNo} ${money(credit.total, credit.currency)}` : 'no credit'}; ` +
        `customer told by ${this.complaint.customerNotified.channel}, ${this.complaint.status}`,
    ];
  }

  /** Demo surveys of calls closed on earlier days that are out: the customers answer through their link. */
  private async answerEarlierSurveys(): Promise<string> {
    const director = await this.as('director');
    const sent = await this.get(
      'customer-feedback',
      `/surveys?branchId=${this.branch.id}&status=sent&pageSize=200`,
      director,
      'surveys',
    );
    const ours = (sent.items as any[]).filter((s) => s.technicianId.startsWith('demo-')).slice(0, 3);
    if (ours.length === 0) return 'no demo survey from an earlier day is out yet';
    if (!this.outboxDir) return `${ours.length} earlier survey(s) out, but the survey mailbox is not a local folder`;
    const ratings = [
      { attitude: 4, skill: 4, arrivalTime: 3, promiseKeeping: 4 },
      { attitude: 3, skill: 4, arrivalTime: 2, promiseKeeping: 3 },
      { attitude: 4, skill: 3, arrivalTime: 4, promiseKeeping: 4 },
    ];
    let done = 0;
    for (const [i, survey] of ours.entries()) {
      const file = path.join(this.outboxDir, `${survey.surveyId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
      const link = fs.existsSync(file) ? /Answer here: (\S+)/.exec(fs.readFileSync(file, 'utf8'))?.[1] : undefined;
      if (!link) continue;
      const res = await this.api.call('customer-feedback', 'POST', `/surveys/answer/${link.split('/').pop()}`, '', {
        ratings: ratings[i],
        comment: 'answered from the e-mail link',
      });
      if (res.status === 201 || res.status === 200) done++;
    }
    return `${done} of ${ours.length} earlier demo survey(s) answered by the customers`;
  }

  // ---- daily reports ----------------------------------------------------------------------------

  async reports(): Promise<string[]> {
    const expected: Array<{ A: number; B: number; C: number; d: [string, number] }> = [
      { A: 45, B: 0, C: 0, d: ['training', 30] },
      { A: 150, B: 60, C: 0, d: ['equipment-upkeep', 20] },
      { A: 0, B: 0, C: 90, d: ['parts-management', 40] },
    ];
    const filed: string[] = [];
    for (const [i, id] of this.technicianIds.entries()) {
      const bearer = await this.tech(i);
      const url = `/branches/${this.branch.id}/technician-reports/${this.today}/${id}`;
      const want = expected[i];
      // A/B/C come from the work recorded: wait until reporting has projected today's visits and cards.
      await until(
        `${this.label}: ${id}'s recorded minutes`,
        async () => {
          const r = await this.get('reporting', url, bearer, 'technician report');
          return r.minutesA >= want.A && r.minutesB >= want.B && r.minutesC >= want.C;
        },
        30_000,
      );
      await this.post('reporting', `${url}/d-entries`, bearer, { kind: want.d[0], minutes: want.d[1] }, 'D time');
      const r = await this.post('reporting', `${url}/submit`, bearer, undefined, 'submit');
      filed.push(
        `${this.cast.technicians[i].split(' ')[0]} A${r.minutesA} B${r.minutesB} C${r.minutesC} D${r.minutesD}`,
      );
    }
    const director = await this.as('director');
    const base = `/branches/${this.branch.id}/director-reports/${this.today}`;
    const current = await this.api.call('reporting', 'GET', base, director);
    if (current.status === 200 && ['signed', 'received'].includes(current.body.state)) {
      await this.post('reporting', `${base}/revise`, director, undefined, 'revise'); // an earlier run signed today's
    } else if (current.status !== 200 || current.body.state === 'draft') {
      await this.post('reporting', base, director, undefined, 'draft');
    }
    if (current.status !== 200 || current.body.state !== 'submitted') {
      await this.post('reporting', `${base}/submit`, director, undefined, 'submit');
    }
    const signed = await this.post('reporting', `${base}/sign`, await this.as('manager'), undefined, 'sign');
    const received = await this.post(
      'reporting',
      `${base}/receive`,
      await this.as('service-dept'),
      undefined,
      'receive',
    );
    const total = (k: 'minutesA' | 'minutesB' | 'minutesC' | 'minutesD') =>
      (received.people as any[]).reduce((s, p) => s + p[k], 0);
    return [
      `technicians' daily reports [15] submitted: ${filed.join('; ')}`,
      `director's report ${this.today} rev ${received.revision} [16]: ${received.people.length} people, ` +
        `A ${hm(total('minutesA'))} B ${hm(total('minutesB'))} C ${hm(total('minutesC'))} D ${hm(total('minutesD'))}; ` +
        `signed by ${signed.signedBy} [17], received by head office (${received.state})`,
    ];
  }

  /** What this run added to the branch's KPIs at least (other runs on a shared system add more). */
  contributed(k: any): boolean {
    const calls = k.callsByCategory;
    return (
      calls.categoryA >= 3 &&
      calls.categoryB >= 1 &&
      calls.categoryC >= 1 &&
      k.slaUrban.arrivals + k.slaSuburban.arrivals >= 5 &&
      k.carriedOver >= 1 &&
      k.overdueRepairs >= 1 &&
      k.complaintsEscalated >= 1 &&
      k.complaintsCustomerNotified >= 1 &&
      k.contracts.renewed >= 1
    );
  }
}
