import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** The one durable topic exchange every domain event is published to. */
export const EVENTS_EXCHANGE = 'aftersales.events';

/** Branch ids are routing-key words: they must not contain dots. */
export const BranchId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'branchId: lowercase letters, digits and dashes')
  .describe('Branch the record belongs to, e.g. "br-north"');

/** `<type>.<branchId>`, so a consumer can bind `dispatch.#`, `#.br-north` or one exact type. */
export const routingKey = (type: string, branchId: string): string => `${type}.${branchId}`;

/** W3C trace context header value. */
const TraceParent = z.string().regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/);

/** CloudEvents 1.0, structured JSON mode, plus the extension attributes we always set. */
export const CloudEventEnvelope = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().min(1),
  subject: z.string().min(1),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  branchid: BranchId,
  correlationid: z.string().min(1),
  causationid: z.string().min(1).optional(),
  traceparent: TraceParent.optional(),
  data: z.record(z.string(), z.unknown()),
});
export type CloudEventEnvelope = z.infer<typeof CloudEventEnvelope>;

export interface CloudEvent<TData = Record<string, unknown>> extends Omit<CloudEventEnvelope, 'data'> {
  data: TData;
}

/** Who and what caused an event: carried from the incoming request or event to the ones it raises. */
export interface EventMeta {
  /** `/aftersales/<service>` */
  source: string;
  /** Aggregate id, e.g. the callId. */
  subject: string;
  id?: string;
  time?: Date;
  correlationId?: string;
  causationId?: string;
  traceparent?: string;
}

export function buildCloudEvent<TData extends { branchId: string }>(
  type: string,
  data: TData,
  meta: EventMeta,
): CloudEvent<TData> {
  const id = meta.id ?? randomUUID();
  return {
    specversion: '1.0',
    id,
    source: meta.source,
    type,
    subject: meta.subject,
    time: (meta.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    branchid: data.branchId,
    correlationid: meta.correlationId ?? id,
    ...(meta.causationId ? { causationid: meta.causationId } : {}),
    ...(meta.traceparent ? { traceparent: meta.traceparent } : {}),
    data,
  };
}
