import { eventMeta, type EventMeta } from '@aftersales/contracts';
import { eventSource } from '@aftersales/messaging';

export const SERVICE = 'billing';

/** Meta for an event billing raises about `subject`, carrying the current correlation context. */
export const billingMeta = (subject: string, time?: Date): EventMeta =>
  eventMeta(eventSource(SERVICE), subject, time ? { time } : {});
