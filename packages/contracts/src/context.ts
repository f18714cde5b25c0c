import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventMeta } from './cloudevent';

/**
 * What caused the work in progress: set by the HTTP layer per request and by the consumer per event,
 * read by the logger and by whatever raises new events, so correlation and trace context flow from a
 * clerk's request through every event it leads to, in every service.
 */
export interface CorrelationContext {
  correlationId: string;
  /** The id of the event being handled, when the work was caused by one. */
  causationId?: string;
  traceparent?: string;
  /** Free-form fields for logs, e.g. callId, branchId. */
  fields?: Record<string, string>;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

export const runWithContext = <T>(context: CorrelationContext, fn: () => T): T => storage.run(context, fn);
export const currentContext = (): CorrelationContext | undefined => storage.getStore();

/** EventMeta for a new event, carrying the current correlation and trace context. */
export function eventMeta(source: string, subject: string, extra: Partial<EventMeta> = {}): EventMeta {
  const ctx = currentContext();
  return {
    source,
    subject,
    ...(ctx ? { correlationId: ctx.correlationId, causationId: ctx.causationId, traceparent: ctx.traceparent } : {}),
    ...extra,
  };
}
