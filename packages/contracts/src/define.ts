import { z } from 'zod';
import { BranchId, buildCloudEvent, CloudEvent, EventMeta } from './cloudevent';

export const SERVICES = [
  'call-intake',
  'dispatch',
  'repair-shop',
  'billing',
  'reporting',
  'customer-feedback',
] as const;
export type ServiceName = (typeof SERVICES)[number];

/** `<service>.<thing>.<fact>.v<N>`, e.g. `intake.call.registered.v1`. */
const EVENT_TYPE = /^[a-z]+(\.[a-z-]+)+\.v\d+$/;

export interface EventContract<TShape extends z.ZodRawShape = z.ZodRawShape> {
  readonly type: string;
  readonly producer: ServiceName;
  readonly consumers: readonly ServiceName[];
  readonly description: string;
  /** The `data` schema; always includes `branchId`. */
  readonly schema: z.ZodObject<TShape & { branchId: typeof BranchId }>;
  /** Builds a CloudEvent of this type; throws a ZodError when `data` does not fit the schema. */
  create(data: EventData<EventContract<TShape>>, meta: EventMeta): CloudEvent<EventData<EventContract<TShape>>>;
}

export type EventData<C> = C extends { schema: z.ZodType<infer D> } ? D : never;

export function defineEvent<TShape extends z.ZodRawShape>(def: {
  type: string;
  producer: ServiceName;
  consumers: readonly ServiceName[];
  description: string;
  data: TShape;
}): EventContract<TShape> {
  if (!EVENT_TYPE.test(def.type)) throw new Error(`event type "${def.type}" is not <service>.<thing>.<fact>.vN`);
  const schema = z.object({ branchId: BranchId, ...def.data }) as EventContract<TShape>['schema'];
  return {
    type: def.type,
    producer: def.producer,
    consumers: def.consumers,
    description: def.description,
    schema,
    create: (data, meta) =>
      // The schema always has branchId, but TS cannot see it through the generic shape.
      buildCloudEvent(def.type, schema.parse(data) as typeof data & { branchId: string }, meta),
  };
}
