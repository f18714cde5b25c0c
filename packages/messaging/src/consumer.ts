import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { ChannelWrapper } from 'amqp-connection-manager';
import {
  CloudEvent,
  CloudEventEnvelope,
  EventContract,
  EventData,
  eventContract,
  runWithContext,
} from '@aftersales/contracts';
import type { z } from 'zod';
import { Broker } from './broker';
import { MessagingMetrics } from './metrics';
import { bindingFor, DEFAULT_RETRY_DELAYS_MS, declareServiceQueues, serviceQueues, ServiceQueues } from './topology';

export interface HandlerContext {
  /** `source|id`: the event's identity across the system. Store it with the effect to apply it once. */
  eventKey: string;
  /** 0 on the first delivery, then 1, 2… after each retry. */
  attempt: number;
}

/** The CloudEvent a contract describes, e.g. `EventOf<typeof CallClosedV1>`. */
export type EventOf<C extends EventContract> = CloudEvent<EventData<C>>;

export type EventHandler<C extends EventContract = EventContract> = (
  event: CloudEvent<EventData<C>>,
  ctx: HandlerContext,
) => Promise<void>;

export interface Subscription<C extends EventContract = EventContract> {
  contract: C;
  handle: EventHandler<C>;
}

/** Pairs a contract with its handler, keeping the handler's event type checked. */
export const subscribe = <C extends EventContract>(contract: C, handle: EventHandler<C>): Subscription<C> => ({
  contract,
  handle,
});

/** Thrown by a handler when retrying cannot help (e.g. the event contradicts the state): straight to the DLQ. */
export class NonRetryableError extends Error {}

export interface ConsumerOptions {
  subscriptions: readonly Subscription[];
  /** Extra binding patterns, e.g. `#` for a service that reads every event; unknown types are then acked and counted as ignored. */
  extraBindings?: readonly string[];
  /** Unacknowledged messages in flight at once (also the handler concurrency). */
  prefetch?: number;
  retryDelaysMs?: readonly number[];
  metrics?: MessagingMetrics;
}

type Outcome = 'handled' | 'ignored' | 'retried' | 'dead-lettered';

/**
 * Consumes the service's quorum queue with manual acks: a message is acked only after its handler's write
 * (or after it was safely moved to a retry queue or the DLQ, with publisher confirms), so a crash at any
 * point means redelivery, never loss. Invalid messages go straight to the DLQ with the reason; failing
 * handlers are retried with growing delays, then dead-lettered. Handlers run inside the event's
 * correlation context, so the events they raise carry its correlation id, causation id and traceparent.
 */
export class EventConsumer {
  readonly queues: ServiceQueues;
  private readonly handlers = new Map<string, Subscription>();
  private readonly retryDelaysMs: readonly number[];
  private channel?: ChannelWrapper;
  private current?: { ch: ConfirmChannel; consumerTag: string };
  private inFlight = 0;
  private idle?: () => void;
  private stopping = false;

  constructor(
    private readonly broker: Broker,
    private readonly options: ConsumerOptions,
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.queues = serviceQueues(broker.service, this.retryDelaysMs);
    for (const sub of options.subscriptions) {
      if (this.handlers.has(sub.contract.type)) throw new Error(`two handlers for ${sub.contract.type}`);
      this.handlers.set(sub.contract.type, sub);
    }
  }

  /** Declares the topology and starts consuming; resolves once the consumer is registered. */
  async start(): Promise<void> {
    const bindings = [...this.handlers.keys()].map(bindingFor).concat(this.options.extraBindings ?? []);
    this.channel = this.broker.connection.createChannel({
      name: `${this.broker.service}.consumer`,
      confirm: true,
      // Re-run on every (re)connect: topology is idempotent and the consumer is registered again.
      setup: async (ch: ConfirmChannel) => {
        await declareServiceQueues(ch, this.queues, this.retryDelaysMs, bindings);
        await ch.prefetch(this.options.prefetch ?? 20);
        const { consumerTag } = await ch.consume(this.queues.main, (msg) => msg && void this.onMessage(ch, msg), {
          noAck: false,
        });
        this.current = { ch, consumerTag };
        ch.once('close', () => this.current?.ch === ch && (this.current = undefined));
      },
    });
    this.channel.on('error', (err) => this.broker.logger.warn({ err }, 'consumer channel error'));
    await this.channel.waitForConnect();
  }

  /** True once the queues are declared and bound and the consumer registered (on the current connection). */
  isConsuming(): boolean {
    return !this.stopping && !!this.current && this.broker.isConnected();
  }

  /** Stops taking messages, lets the ones in flight finish and be acked, then closes the channel. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.current) await this.current.ch.cancel(this.current.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => (this.idle = resolve)),
        new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
    await this.channel?.close();
  }

  private async onMessage(ch: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
    try {
      const outcome = await this.process(ch, msg);
      this.options.metrics?.consumed.inc({ type: messageType(msg), outcome });
      ack(ch, msg);
    } catch (err) {
      // Could not even park the message (broker trouble): leave it unacked, it comes back.
      this.broker.logger.error({ err, messageId: msg.properties.messageId }, 'message left for redelivery');
      try {
        ch.nack(msg, false, true);
      } catch {
        /* channel already gone: the broker redelivers */
      }
    } finally {
      if (--this.inFlight === 0 && this.stopping) this.idle?.();
    }
  }

  private async process(ch: ConfirmChannel, msg: ConsumeMessage): Promise<Outcome> {
    const parsed = parse(msg);
    if ('invalid' in parsed) return this.deadLetter(ch, msg, `invalid message: ${parsed.invalid}`, 0);
    const { event } = parsed;
    const sub = this.handlers.get(event.type);
    if (!sub) return 'ignored';
    const data = sub.contract.schema.safeParse(event.data);
    if (!data.success) return this.deadLetter(ch, msg, `invalid ${event.type} data: ${describe(data.error)}`, 0);

    const attempt = Number(msg.properties.headers?.['x-attempt'] ?? 0);
    const stopTimer = this.options.metrics?.handlerDuration.startTimer({ type: event.type });
    try {
      await runWithContext(
        {
          correlationId: event.correlationid,
          causationId: event.id,
          traceparent: event.traceparent,
          fields: { eventType: event.type, branchId: event.branchid, subject: event.subject },
        },
        () =>
          sub.handle({ ...event, data: data.data } as CloudEvent<never>, {
            eventKey: `${event.source}|${event.id}`,
            attempt,
          }),
      );
      return 'handled';
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (err instanceof NonRetryableError || attempt >= this.retryDelaysMs.length) {
        this.broker.logger.error(
          { err, eventId: event.id, type: event.type, attempt },
          'handler failed; dead-lettered',
        );
        return this.deadLetter(ch, msg, reason, attempt);
      }
      this.broker.logger.warn({ err, eventId: event.id, type: event.type, attempt }, 'handler failed; will retry');
      await publishConfirmed(ch, '', this.queues.retry[attempt], msg, {
        'x-attempt': attempt + 1,
        'x-last-error': reason,
      });
      return 'retried';
    } finally {
      stopTimer?.();
    }
  }

  private async deadLetter(
    ch: ConfirmChannel,
    msg: ConsumeMessage,
    reason: string,
    attempts: number,
  ): Promise<Outcome> {
    await publishConfirmed(ch, '', this.queues.dlq, msg, {
      'x-death-reason': reason,
      'x-attempts': attempts + 1,
      'x-failed-service': this.broker.service,
      'x-failed-at': new Date().toISOString(),
    });
    return 'dead-lettered';
  }
}

function parse(msg: ConsumeMessage): { event: CloudEvent } | { invalid: string } {
  let body: unknown;
  try {
    body = JSON.parse(msg.content.toString('utf8'));
  } catch {
    return { invalid: 'body is not JSON' };
  }
  const envelope = CloudEventEnvelope.safeParse(body);
  if (!envelope.success) return { invalid: `not a CloudEvent of ours: ${describe(envelope.error)}` };
  return { event: envelope.data as CloudEvent };
}

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

const messageType = (msg: ConsumeMessage): string =>
  (typeof msg.properties.type === 'string' && eventContract(msg.properties.type)?.type) || 'unknown';

function ack(ch: ConfirmChannel, msg: ConsumeMessage): void {
  try {
    ch.ack(msg);
  } catch {
    // The channel closed under us; the broker will redeliver and the handler's dedup absorbs it.
  }
}

/** Copies a message to a queue (default exchange) with extra headers and waits for the broker's confirm. */
function publishConfirmed(
  ch: ConfirmChannel,
  exchange: string,
  queue: string,
  msg: ConsumeMessage,
  headers: Record<string, unknown>,
): Promise<void> {
  const original = msg.properties.headers?.['x-original-routing-key'] ?? msg.fields.routingKey;
  return new Promise((resolve, reject) =>
    ch.publish(
      exchange,
      queue,
      msg.content,
      {
        ...msg.properties,
        persistent: true,
        headers: { ...msg.properties.headers, ...headers, 'x-original-routing-key': original },
      },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}
