import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The messaging metrics of one service, registered on the service's own registry. */
export class MessagingMetrics {
  readonly published: Counter<'type'>;
  readonly confirmed: Counter<'type'>;
  readonly publishFailed: Counter<'type'>;
  readonly consumed: Counter<'type' | 'outcome'>;
  readonly handlerDuration: Histogram<'type'>;
  readonly outboxPending: Gauge;

  constructor(service: string, registry: Registry) {
    const p = service.replace(/-/g, '_');
    const registers = [registry];
    this.published = new Counter({
      name: `${p}_events_published_total`,
      help: 'Events sent to the broker',
      labelNames: ['type'],
      registers,
    });
    this.confirmed = new Counter({
      name: `${p}_events_confirmed_total`,
      help: 'Events the broker confirmed',
      labelNames: ['type'],
      registers,
    });
    this.publishFailed = new Counter({
      name: `${p}_events_publish_failed_total`,
      help: 'Publishes nacked or failed (retried by the outbox relay)',
      labelNames: ['type'],
      registers,
    });
    this.consumed = new Counter({
      name: `${p}_events_consumed_total`,
      help: 'Events consumed, by outcome: handled, duplicate, ignored, retried, dead-lettered',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.handlerDuration = new Histogram({
      name: `${p}_handler_duration_seconds`,
      help: 'Time spent in event handlers',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.outboxPending = new Gauge({
      name: `${p}_outbox_pending`,
      help: 'Events written but not yet confirmed by the broker (last relay pass)',
      registers,
    });
  }
}
