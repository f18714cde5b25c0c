import { z } from 'zod';
import { CATALOGUE } from './catalogue';
import { CloudEventEnvelope, EVENTS_EXCHANGE } from './cloudevent';
import type { EventContract } from './define';

// Pure builders of the published documents: scripts/generate-asyncapi.ts writes them, the contracts test
// rebuilds them in memory and compares with the committed files.

type Json = Record<string, unknown>;

/** JSON Schema draft-07 (what AsyncAPI schemas and most validators speak) of a whole CloudEvent of one type. */
export function eventJsonSchema(contract: EventContract): Json {
  const envelope = CloudEventEnvelope.extend({ type: z.literal(contract.type), data: contract.schema });
  // io 'input': no `additionalProperties: false`, so consumers keep accepting v1 events that gained fields.
  const schema = z.toJSONSchema(envelope, { target: 'draft-7', io: 'input' }) as Json;
  return { ...schema, title: contract.type, description: contract.description };
}

/** `<type>.json` → schema, for generated/schemas/. */
export function buildJsonSchemas(catalogue: readonly EventContract[] = CATALOGUE): Record<string, Json> {
  return Object.fromEntries(catalogue.map((c) => [`${c.type}.json`, eventJsonSchema(c)]));
}

const AMQP_BINDING_VERSION = '0.3.0';

const DESCRIPTION = `Domain events of the Aftersales system (DOMAIN.md, "Event catalogue").

Every event is published to the durable topic exchange \`${EVENTS_EXCHANGE}\` with routing key
\`<type>.<branchId>\`, e.g. \`dispatch.technician.assigned.v1.br-north\`: bind \`dispatch.#\` for one
producer, \`#.br-north\` for one branch or \`<type>.*\` for one type. Branch ids contain no dots.

The body is a CloudEvents 1.0 event in structured mode (content type \`application/cloudevents+json\`):
\`specversion, id, source, type, subject, time, datacontenttype, data\` plus the extensions \`branchid\`,
\`correlationid\`, \`causationid\`, \`traceparent\`. \`subject\` is the aggregate id, \`data\` always carries
\`branchId\`. The AMQP properties repeat \`message_id\` (= id), \`type\` and \`timestamp\`; delivery mode is 2.

Delivery is at least once: consumers de-duplicate on (source, id). A v1 shape only ever gains fields.`;

/** AsyncAPI 3.0 document of the whole catalogue: one channel, message and send operation per event type. */
export function buildAsyncApi(catalogue: readonly EventContract[] = CATALOGUE): Json & { asyncapi: string } {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {};
  for (const c of catalogue) {
    const { $schema: _draft, ...payload } = eventJsonSchema(c);
    messages[c.type] = {
      name: c.type,
      title: c.type,
      summary: c.description,
      contentType: 'application/cloudevents+json',
      payload,
      bindings: { amqp: { messageType: c.type, bindingVersion: AMQP_BINDING_VERSION } },
      'x-producer': c.producer,
      'x-consumers': [...c.consumers],
    };
    channels[c.type] = {
      address: `${c.type}.{branchId}`,
      title: c.type,
      description: c.description,
      parameters: { branchId: { description: 'Branch of the record, e.g. br-north (no dots).' } },
      messages: { [c.type]: { $ref: `#/components/messages/${c.type}` } },
      bindings: {
        amqp: {
          is: 'routingKey',
          exchange: { name: EVENTS_EXCHANGE, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
          bindingVersion: AMQP_BINDING_VERSION,
        },
      },
    };
    operations[`publish_${c.type}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${c.type}` },
      messages: [{ $ref: `#/channels/${c.type}/messages/${c.type}` }],
      summary: `${c.producer} publishes ${c.type}`,
      tags: [{ name: c.producer }],
      // Persistent, and `mandatory` so an unroutable event comes back to the publisher instead of vanishing.
      bindings: { amqp: { deliveryMode: 2, mandatory: true, timestamp: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: { title: 'Aftersales domain events', version: '1.0.0', description: DESCRIPTION },
    defaultContentType: 'application/cloudevents+json',
    servers: {
      rabbitmq: {
        host: 'localhost:5672',
        protocol: 'amqp',
        protocolVersion: '0-9-1',
        description: 'RabbitMQ; each deployment sets its own AMQP_URL.',
      },
    },
    channels,
    operations,
    components: { messages },
  };
}

/** The on-disk form: 2-space JSON with a trailing newline, so regeneration diffs cleanly. */
export const toJsonFile = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
