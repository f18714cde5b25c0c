import { Injectable, Logger } from '@nestjs/common';
import { BranchCalendar } from '@aftersales/calendar';
import type { CloudEvent } from '@aftersales/contracts';
import { BranchDirectory } from '@aftersales/service-kit';
import { Effect, Known, project, ProjectedEvent, technicianMonthId } from '../domain/projection';
import {
  COLLECTIONS,
  kpiDayId,
  kpiDaysCollection,
  ReadModelStore,
  technicianDayId,
} from '../infrastructure/read-model.store';

/**
 * Applies an event to the read models: loads what the projection needs to know, applies each effect
 * idempotently, then keeps the raw event (for rebuilds, and as the record that it was applied). The
 * consumer acks only after all of it, so a crash part-way means a redelivery that re-applies only the
 * writes that had not happened.
 */
@Injectable()
export class Projector {
  private readonly logger = new Logger(Projector.name);
  private readonly calendars = new Map<string, BranchCalendar>();

  constructor(
    private readonly store: ReadModelStore,
    private readonly branches: BranchDirectory,
  ) {}

  /** Live: project the event unless it was stored (so applied) before, then store it. */
  async consume(event: CloudEvent, key: string): Promise<void> {
    if (await this.store.hasEvent(key)) return;
    await this.apply(event, key);
    await this.store.storeEvent(key, event);
  }

  /** Projects one event (also what a rebuild calls for each stored event). */
  async apply(event: CloudEvent, key: string): Promise<void> {
    const known = await this.load(event);
    const effects = project(event as ProjectedEvent, known, (branchId, at) => this.businessDate(branchId, at));
    for (const effect of effects) await this.write(effect, key);
  }

  businessDate(branchId: string, at: string): string {
    let calendar = this.calendars.get(branchId);
    if (!calendar) {
      calendar = new BranchCalendar(this.branches.get(branchId));
      this.calendars.set(branchId, calendar);
    }
    return calendar.businessDate(new Date(at));
  }

  private async load(event: CloudEvent): Promise<Known> {
    const data = event.data as {
      callId?: string;
      complaintId?: string;
      invoiceId?: string;
      technicianId?: string;
      month?: string;
    };
    const known: Known = {};
    if (event.type === 'feedback.technician.evaluated.v1' && data.technicianId && data.month) {
      known.evaluation = await this.store.technicianEvaluation(technicianMonthId(data.technicianId, data.month));
      return known;
    }
    if (event.type.startsWith('feedback.complaint.')) {
      if (data.complaintId) known.complaint = await this.store.complaint(data.complaintId);
      return known;
    }
    if (event.type === 'billing.payment.recorded.v1' && data.invoiceId) {
      known.invoice = await this.store.invoice(data.invoiceId);
      if (known.invoice?.callId) known.invoiceCall = await this.store.call(known.invoice.callId);
      return known;
    }
    if (data.callId && !event.type.startsWith('billing.')) known.call = await this.store.call(data.callId);
    return known;
  }

  private async write(effect: Effect, key: string): Promise<void> {
    switch (effect.kind) {
      case 'day': {
        const result = await this.store.incrementOnce(
          kpiDaysCollection(effect.date),
          kpiDayId(effect.branchId, effect.date),
          { branchId: effect.branchId, businessDate: effect.date },
          effect.inc as Record<string, number>,
          key,
        );
        if (result === 'duplicate') this.logger.debug(`${key} already counted on ${effect.branchId} ${effect.date}`);
        return;
      }
      case 'technician-day':
        await this.store.incrementOnce(
          COLLECTIONS.technicianDays,
          technicianDayId(effect.branchId, effect.date, effect.technicianId),
          { branchId: effect.branchId, businessDate: effect.date, technicianId: effect.technicianId },
          effect.inc as Record<string, number>,
          key,
        );
        return;
      case 'call':
        return this.store.setFields(COLLECTIONS.calls, effect.callId, effect.set);
      case 'complaint':
        return this.store.setFields(COLLECTIONS.complaints, effect.complaintId, effect.set);
      case 'invoice':
        return this.store.setFields(COLLECTIONS.invoices, effect.invoiceId, { ...effect.set });
      case 'technician':
        return this.store.setFields(COLLECTIONS.technicians, effect.technicianId, { ...effect.set });
      case 'technician-month':
        return this.store.replaceFields(COLLECTIONS.technicianEvaluations, effect.id, { ...effect.set });
    }
  }
}
