import { z } from 'zod';
import { defineEvent } from '../define';
import { Id, Instant, MinorUnits, Minutes, Parts, Product, Zone } from './common';

export const TechnicianAssignedV1 = defineEvent({
  type: 'dispatch.technician.assigned.v1',
  producer: 'dispatch',
  consumers: ['call-intake', 'reporting'],
  description: '[8][19] The director assigned (or reassigned) a technician; arrival is due by slaDueAt.',
  data: {
    callId: Id,
    technicianId: Id,
    technicianName: z.string().min(1),
    previousTechnicianId: Id.optional().describe('Set on a reassignment'),
    assignedBy: Id,
    assignedAt: Instant,
    slaDueAt: Instant,
  },
});

export const TechnicianArrivedV1 = defineEvent({
  type: 'dispatch.technician.arrived.v1',
  producer: 'dispatch',
  consumers: ['call-intake', 'reporting'],
  description: '[9][19] The technician arrived on site with the voucher; the dispatch SLA clock stopped.',
  data: {
    callId: Id,
    technicianId: Id,
    arrivedAt: Instant,
    zone: Zone,
    slaMet: z.boolean(),
    workingMinutesToArrival: Minutes.describe('Branch business-hours minutes from the call to arrival'),
  },
});

export const SlaAtRiskV1 = defineEvent({
  type: 'dispatch.sla.at-risk.v1',
  producer: 'dispatch',
  consumers: ['reporting'],
  description: '[19] No technician has arrived yet and the SLA due time is near.',
  data: {
    callId: Id,
    slaDueAt: Instant,
    zone: Zone,
    workingMinutesLeft: Minutes,
    technicianId: Id.optional().describe('Absent when nobody is assigned yet'),
  },
});

export const SlaBreachedV1 = defineEvent({
  type: 'dispatch.sla.breached.v1',
  producer: 'dispatch',
  consumers: ['reporting'],
  description: '[19] The SLA due time passed before a technician arrived.',
  data: {
    callId: Id,
    slaDueAt: Instant,
    zone: Zone,
    technicianId: Id.optional().describe('Absent when nobody is assigned yet'),
  },
});

export const VisitCompletedV1 = defineEvent({
  type: 'dispatch.visit.completed.v1',
  producer: 'dispatch',
  consumers: ['call-intake', 'reporting'],
  description: '[10] The work was done on site and the customer signed the voucher.',
  data: {
    callId: Id,
    technicianId: Id,
    labourMinutes: Minutes,
    parts: Parts,
    cashCollected: MinorUnits.nonnegative()
      .optional()
      .describe('[10] Small paid fee collected on site, in the branch currency; handed over to the accountant'),
    customerSignedAt: Instant,
  },
});

export const ProductTakenToShopV1 = defineEvent({
  type: 'dispatch.product.taken-to-shop.v1',
  producer: 'dispatch',
  consumers: ['repair-shop', 'call-intake', 'reporting'],
  description: '[11] Not repairable on site: the technician took the product and gave a pickup receipt.',
  data: {
    callId: Id,
    technicianId: Id,
    receiptNo: z.string().min(1).describe('Pickup receipt given to the customer'),
    product: Product,
    fault: z.string().min(1),
    customerSignedAt: Instant,
  },
});
