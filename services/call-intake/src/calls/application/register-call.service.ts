import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BranchCalendar } from '@aftersales/calendar';
import { BranchDirectory, type AuthUser } from '@aftersales/service-kit';
import { ValidationError } from '@aftersales/service-kit/domain-errors';
import { Clock } from '../../shared/clock';
import { CustomersService, type CustomerInput, type ProductInput } from '../../customers/application/customers.service';
import { assertWarrantyDates } from '../../customers/domain/customer';
import { RepairCall, type CallProps, type Channel } from '../domain/call';
import { classify, warrantyActive, type CoverageAnswer } from '../domain/classification';
import { CallNumberAllocator } from '../infrastructure/call-numbers';
import { CallRepository } from '../infrastructure/call.repository';
import { eventsFor } from './call-events';
import { CoveragePort } from './coverage.port';

export interface RegisterCallInput {
  channel: Channel;
  customerId?: string;
  customer?: CustomerInput;
  productId?: string;
  product?: ProductInput;
  problem: string;
  /** When the call came in, if earlier than its registration (see LATE_REGISTRATION_MAX_MS). */
  receivedAt?: string;
}

/**
 * [8][19] A call registered after it came in (a letter or fax read later, a phone call noted on paper while
 * the system was unreachable) keeps the time it came in: the SLA clock and its day in the repair-call log
 * start then, and its warranty/contract is judged on that date. Never in the future; at most 7 days back
 * (longer than any weekend with holidays), so a typo cannot move a call far into the past.
 */
export const LATE_REGISTRATION_MAX_MS = 7 * 24 * 60 * 60_000;

export function receivedAtOf(given: string | undefined, now: Date): Date {
  if (given === undefined) return now;
  const at = new Date(given);
  const problem =
    at.getTime() > now.getTime()
      ? 'must not be in the future'
      : now.getTime() - at.getTime() > LATE_REGISTRATION_MAX_MS
        ? 'must be at most 7 days before the registration'
        : undefined;
  if (problem) throw new ValidationError('The request is invalid.', [{ field: 'receivedAt', message: problem }]);
  return at;
}

/**
 * [8] Register a repair call: the customer (existing or new), the product (existing or new), the problem.
 * The call gets the next number of the branch's repair-call log and its service voucher, and a category
 * [6]: C under warranty on the call date, else B if billing says a contract covers it, else A. When
 * billing does not answer within its deadline the call is still registered — provisional A, resolved later
 * by CoverageRetry. `intake.call.registered.v1` leaves through the outbox with the call.
 */
@Injectable()
export class RegisterCallService {
  constructor(
    private readonly customers: CustomersService,
    private readonly coverage: CoveragePort,
    private readonly numbers: CallNumberAllocator,
    private readonly calls: CallRepository,
    private readonly branches: BranchDirectory,
    private readonly clock: Clock,
  ) {}

  async register(branchId: string, input: RegisterCallInput, user: AuthUser): Promise<CallProps> {
    const branch = this.branches.get(branchId);
    const registeredAt = this.clock.now();
    const receivedAt = receivedAtOf(input.receivedAt, registeredAt); // before anything is written
    if (input.product) assertWarrantyDates(input.product, 'product.');
    const customer = input.customerId
      ? await this.customers.get(branchId, input.customerId)
      : await this.customers.create(branchId, input.customer!);
    const product = input.productId
      ? await this.customers.product(branchId, customer.id, input.productId)
      : await this.customers.addProduct(branchId, customer.id, input.product!, 'product.');

    const callDate = new BranchCalendar(branch).businessDate(receivedAt);
    const coverage: CoverageAnswer = warrantyActive(product, callDate)
      ? { covered: false } // C wins: billing need not be asked
      : await this.coverage.ask({ customerId: customer.id, serial: product.serial, date: callDate });
    const classification = classify(product, callDate, coverage);

    const numbers = await this.numbers.next(branchId);
    const call = RepairCall.register({
      id: randomUUID(),
      branchId,
      ...numbers,
      channel: input.channel,
      customer: {
        id: customer.id,
        name: customer.name,
        phone: customer.phone,
        address: customer.address,
        postalCode: customer.postalCode,
        zone: customer.zone,
      },
      product: {
        id: product.id,
        model: product.model,
        serial: product.serial,
        ...(product.purchaseDate ? { purchaseDate: product.purchaseDate } : {}),
        ...(product.warrantyEndsOn ? { warrantyEndsOn: product.warrantyEndsOn } : {}),
      },
      problem: input.problem,
      classification,
      receivedAt,
      registeredAt,
      businessDate: callDate,
      registeredBy: user.sub,
    });
    await this.calls.insert(call, eventsFor(call.props, call.pullFacts(), registeredAt));
    return call.props;
  }
}
