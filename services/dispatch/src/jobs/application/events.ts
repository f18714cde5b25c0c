import {
  CloudEvent,
  EventContract,
  eventMeta,
  ProductTakenToShopV1,
  SlaAtRiskV1,
  SlaBreachedV1,
  TechnicianArrivedV1,
  TechnicianAssignedV1,
  VisitCompletedV1,
} from '@aftersales/contracts';
import { eventSource } from '@aftersales/messaging';
import type { DomainEvent } from '../domain/job';

export const SOURCE = eventSource('dispatch');

const CONTRACTS: Record<DomainEvent['type'], EventContract<any>> = {
  assigned: TechnicianAssignedV1,
  arrived: TechnicianArrivedV1,
  completed: VisitCompletedV1,
  'taken-to-shop': ProductTakenToShopV1,
  'sla-at-risk': SlaAtRiskV1,
  'sla-breached': SlaBreachedV1,
};

/** Domain events → catalogue CloudEvents (subject = callId), carrying the current correlation. */
export const toCloudEvents = (events: readonly DomainEvent[], now: Date): CloudEvent[] =>
  events.map((e) => CONTRACTS[e.type].create(e.data as never, eventMeta(SOURCE, e.data.callId, { time: now })));
