import type { ConfirmChannel } from 'amqplib';
import type { ChannelWrapper } from 'amqp-connection-manager';
import { CloudEvent, EVENTS_EXCHANGE, routingKey } from '@aftersales/contracts';
import { Broker } from './broker';
import { MessagingMetrics } from './metrics';
import { declareExchange } from './topology';

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json';

/** AMQP properties of a CloudEvent message: persistent, with ids any AMQP client can read. */
export function messageProperties(event: CloudEvent) {
  return {
    contentType: CLOUDEVENTS_CONTENT_TYPE,
    contentEncoding: 'utf-8',
    messageId: event.id,
    type: event.type,
    appId: event.source,
    correlationId: event.correlationid,
    timestamp: Math.floor(Date.parse(event.time) / 1000),
    persistent: true,
    headers: event.traceparent ? { traceparent: event.traceparent } : {},
  };
}

/**
 * Publishes CloudEvents (structured JSON) to the events exchange with publisher confirms: `publish`
 * resolves only when the broker has taken responsibility for every event, and rejects otherwise — the
 * outbox relay then keeps them and tries again. While disconnected, publishes wait for the reconnect.
 */
export class EventPublisher {
  private readonly channel: ChannelWrapper;

  constructor(
    broker: Broker,
    private readonly metrics?: MessagingMetrics,
    publishTimeoutMs = 10_000,
  ) {
    this.channel = broker.connection.createChannel({
      name: `${broker.service}.publisher`,
      confirm: true,
      publishTimeout: publishTimeoutMs,
      setup: (ch: ConfirmChannel) => declareExchange(ch),
    });
    // Channel errors (e.g. closed mid-setup) are followed by a reconnect; log them, don't crash.
    this.channel.on('error', (err) => broker.logger.warn({ err }, 'publisher channel error'));
  }

  async publish(events: readonly CloudEvent[]): Promise<void> {
    const results = await Promise.allSettled(events.map((event) => this.publishOne(event)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async publishOne(event: CloudEvent): Promise<void> {
    this.metrics?.published.inc({ type: event.type });
    try {
      await this.channel.publish(
        EVENTS_EXCHANGE,
        routingKey(event.type, event.branchid),
        Buffer.from(JSON.stringify(event)),
        messageProperties(event),
      );
      this.metrics?.confirmed.inc({ type: event.type });
    } catch (err) {
      this.metrics?.publishFailed.inc({ type: event.type });
      throw err;
    }
  }

  async waitForReady(): Promise<void> {
    await this.channel.waitForConnect();
  }

  async close(): Promise<void> {
    await this.channel.close();
  }
}
