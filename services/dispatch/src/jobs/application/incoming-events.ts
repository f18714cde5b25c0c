import { Injectable, Logger } from '@nestjs/common';
import { CallCancelledV1, CallCarriedOverV1, CallReclassifiedV1, CallRegisteredV1 } from '@aftersales/contracts';
import { EventHandlerClass, EventOf, HandlerContext, NonRetryableError } from '@aftersales/messaging';
import { addLogFields, UnknownBranchError } from '@aftersales/service-kit';
import { BranchCalendars } from '../../shared/calendars';
import { cancelCall, carryOver, Job, reclassify, registerCall } from '../domain/job';
import { JobRepository } from './ports';

const MAX_ATTEMPTS = 10;

/**
 * Applies one incoming fact to a job, exactly once: the event key is stored with the change (`processed`),
 * so a redelivery changes nothing; `decide` returns null when the fact changes nothing (already known,
 * older than what the job knows, or too late). A job that does not exist yet is created — a stub when the
 * fact is not the registration — so events arriving before the registration are kept, not lost.
 */
@Injectable()
export class JobFacts {
  private readonly logger = new Logger('JobFacts');

  constructor(private readonly jobs: JobRepository) {}

  async apply(callId: string, ctx: HandlerContext, decide: (existing: Job | null) => Job | null): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const loaded = await this.jobs.load(callId);
      if (loaded?.processed.includes(ctx.eventKey)) return;
      const next = decide(loaded?.job ?? null);
      if (!next) return;
      const result = loaded
        ? await this.jobs.save(next, loaded.version, [], ctx.eventKey)
        : await this.jobs.insert(next, [], ctx.eventKey);
      if (result === 'saved' || (result === 'duplicate' && loaded)) return;
      // Inserted concurrently by another fact of the same call, or saved in between: decide again.
    }
    this.logger.warn(`job ${callId} kept changing; the event will be retried`);
    throw new Error(`job ${callId} kept changing while applying ${ctx.eventKey}`);
  }
}

/** [8][19] One job per registered call, due 6/7 working hours after it. */
@Injectable()
export class CreateJobOnCallRegistered implements EventHandlerClass<typeof CallRegisteredV1> {
  readonly contract = CallRegisteredV1;

  constructor(
    private readonly facts: JobFacts,
    private readonly calendars: BranchCalendars,
  ) {}

  async handle(event: EventOf<typeof CallRegisteredV1>, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    addLogFields({ callId: d.callId, branchId: d.branchId });
    let calendar;
    try {
      calendar = this.calendars.for(d.branchId);
    } catch (err) {
      if (err instanceof UnknownBranchError) throw new NonRetryableError(err.message);
      throw err;
    }
    const registration = {
      callId: d.callId,
      branchId: d.branchId,
      category: d.category,
      call: {
        callNumber: d.callNumber,
        voucherNo: d.voucherNo,
        customer: d.customer,
        product: d.product,
        problem: d.problem,
        provisional: d.provisional ?? false,
        receivedAt: new Date(d.receivedAt),
      },
    };
    await this.facts.apply(d.callId, ctx, (existing) =>
      registerCall(existing, registration, new Date(event.time), calendar),
    );
  }
}

/** A cancelled call cancels its job (or, arriving first, leaves a cancelled stub the registration won't reopen). */
@Injectable()
export class CancelJobOnCallCancelled implements EventHandlerClass<typeof CallCancelledV1> {
  readonly contract = CallCancelledV1;

  constructor(private readonly facts: JobFacts) {}

  async handle(event: EventOf<typeof CallCancelledV1>, ctx: HandlerContext): Promise<void> {
    const { callId, branchId, reason } = event.data;
    addLogFields({ callId, branchId });
    await this.facts.apply(callId, ctx, (existing) =>
      cancelCall(existing, callId, branchId, reason, new Date(event.time)),
    );
  }
}

/** [18] Carried over: priority dispatch. */
@Injectable()
export class PrioritiseJobOnCallCarriedOver implements EventHandlerClass<typeof CallCarriedOverV1> {
  readonly contract = CallCarriedOverV1;

  constructor(private readonly facts: JobFacts) {}

  async handle(event: EventOf<typeof CallCarriedOverV1>, ctx: HandlerContext): Promise<void> {
    const { callId, branchId, businessDate } = event.data;
    addLogFields({ callId, branchId });
    await this.facts.apply(callId, ctx, (existing) => carryOver(existing, callId, branchId, businessDate));
  }
}

/** [6] The category decides whether the visit is paid (A): the latest reclassification wins. */
@Injectable()
export class ReclassifyJobOnCallReclassified implements EventHandlerClass<typeof CallReclassifiedV1> {
  readonly contract = CallReclassifiedV1;

  constructor(private readonly facts: JobFacts) {}

  async handle(event: EventOf<typeof CallReclassifiedV1>, ctx: HandlerContext): Promise<void> {
    const { callId, branchId, to } = event.data;
    addLogFields({ callId, branchId });
    await this.facts.apply(callId, ctx, (existing) => reclassify(existing, callId, branchId, to, new Date(event.time)));
  }
}
