import type { Channel } from 'amqplib';
import { EVENTS_EXCHANGE } from '@aftersales/contracts';

/** Where events no binding matches end up, so nothing published is silently dropped. */
export const UNROUTABLE_EXCHANGE = 'aftersales.unroutable';
export const UNROUTABLE_QUEUE = 'aftersales.unroutable';

/** Growing delays between attempts of a failing handler; after the last one the message is dead-lettered. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 10_000, 60_000];

export interface ServiceQueues {
  /** Durable quorum queue the service consumes from. */
  main: string;
  /** One classic queue per delay: messages wait out their TTL there, then dead-letter back to `main`. */
  retry: string[];
  /** Quorum queue of messages given up on, each with the reason in its headers. */
  dlq: string;
}

export const serviceQueues = (service: string, retryDelaysMs: readonly number[]): ServiceQueues => ({
  main: `${service}.events`,
  retry: retryDelaysMs.map((ms) => `${service}.retry.${ms}ms`),
  dlq: `${service}.dlq`,
});

/** Declares the shared exchange (and its alternate exchange for unroutable events). Idempotent. */
export async function declareExchange(ch: Channel): Promise<void> {
  await ch.assertExchange(UNROUTABLE_EXCHANGE, 'fanout', { durable: true });
  await ch.assertQueue(UNROUTABLE_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.bindQueue(UNROUTABLE_QUEUE, UNROUTABLE_EXCHANGE, '');
  await ch.assertExchange(EVENTS_EXCHANGE, 'topic', {
    durable: true,
    arguments: { 'alternate-exchange': UNROUTABLE_EXCHANGE },
  });
}

/**
 * Declares a consuming service's queues and binds the main queue: one binding per subscribed event type
 * (`<type>.*`, any branch) plus any raw patterns (`#` for a service that reads everything). Idempotent.
 */
export async function declareServiceQueues(
  ch: Channel,
  queues: ServiceQueues,
  retryDelaysMs: readonly number[],
  bindings: readonly string[],
): Promise<void> {
  await declareExchange(ch);
  await ch.assertQueue(queues.main, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await ch.assertQueue(queues.dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  for (const [i, queue] of queues.retry.entries()) {
    await ch.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-message-ttl': retryDelaysMs[i],
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': queues.main,
      },
    });
  }
  for (const pattern of bindings) await ch.bindQueue(queues.main, EVENTS_EXCHANGE, pattern);
}

/** `intake.call.closed.v1` → `intake.call.closed.v1.*` (routing key = type + branchId). */
export const bindingFor = (type: string): string => `${type}.*`;
