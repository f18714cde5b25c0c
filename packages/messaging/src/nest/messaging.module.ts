import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnModuleInit,
  Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Collection } from 'mongodb';
import { Registry } from 'prom-client';
import type { EventContract } from '@aftersales/contracts';
import { ReadinessChecks, SERVICE_CONFIG, type BaseConfig } from '@aftersales/service-kit';
import { Broker } from '../broker';
import { EventConsumer, EventHandler, HandlerContext, Subscription } from '../consumer';
import { MessagingLogger } from '../logger';
import { MessagingMetrics } from '../metrics';
import { EventPublisher } from '../publisher';
import { OutboxRelay } from '../relay';

/** A handler class: one per subscribed event type, listed in `MessagingModule.forService({ handlers })`. */
export interface EventHandlerClass<C extends EventContract = EventContract> {
  readonly contract: C;
  handle: EventHandler<C>;
}

export interface MessagingOptions {
  /** The handler classes (injectable providers), one line each: the service's subscriptions at a glance. */
  handlers?: Type<{ contract: EventContract<any>; handle(event: any, ctx: HandlerContext): Promise<void> }>[];
  /** Extra binding patterns, e.g. ['#'] for a service that reads every event. */
  extraBindings?: string[];
  /** Feature modules whose exported providers (repositories, services) the handlers inject. */
  imports?: DynamicModule['imports'];
}

const OPTIONS = 'aftersales:messaging-options';

/** `/aftersales/<service>`: the CloudEvents `source` of everything a service publishes. */
export const eventSource = (service: string): string => `/aftersales/${service}`;

/** What application code uses after a save: the outbox of this service. */
@Injectable()
export class Outbox {
  constructor(private readonly relay: OutboxRelay) {}
  /** Register an aggregate collection whose documents carry OutboxFields (see OutboxRelay.watch). */
  watch(collection: Collection<any> | (() => Collection<any> | undefined)): void {
    this.relay.watch(collection);
  }
  /**
   * Publish now what was just saved. Name the saved document (collection name and `_id`) so the relay reads
   * just it; without it the relay searches every watched collection. (The periodic search finds it anyway.)
   */
  kick(saved?: { collection: string; id: unknown }): void {
    this.relay.kick(saved);
  }
}

const nestLogger = (context: string): MessagingLogger => {
  const logger = new Logger(context);
  return {
    info: (obj, msg) => logger.log({ ...obj, msg }),
    warn: (obj, msg) => logger.warn({ ...obj, msg }),
    error: (obj, msg) => logger.error({ ...obj, msg }),
  };
};

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: EventConsumer;

  constructor(
    private readonly broker: Broker,
    private readonly relay: OutboxRelay,
    private readonly metrics: MessagingMetrics,
    private readonly readiness: ReadinessChecks,
    private readonly moduleRef: ModuleRef,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(OPTIONS) private readonly options: MessagingOptions,
  ) {}

  onModuleInit(): void {
    // Ready = connected AND (for a consumer) its queues bound: events published before the binding
    // exists would not reach this service.
    this.readiness.register('rabbitmq', async () => {
      if (!this.broker.isConnected()) throw new Error('not connected to RabbitMQ');
      if (this.consumer && !this.consumer.isConsuming()) throw new Error('consumer not registered yet');
    });
    const handlers = this.options.handlers ?? [];
    if (handlers.length > 0 || this.options.extraBindings?.length) {
      const subscriptions: Subscription[] = handlers.map((type) => {
        const handler = this.moduleRef.get(type, { strict: false });
        return { contract: handler.contract, handle: (event, ctx) => handler.handle(event, ctx) };
      });
      this.consumer = new EventConsumer(this.broker, {
        subscriptions,
        extraBindings: this.options.extraBindings,
        prefetch: this.config.AMQP_PREFETCH,
        retryDelaysMs: this.config.AMQP_RETRY_DELAYS_MS,
        metrics: this.metrics,
      });
    }
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    // Not awaited: a service started before its broker stays up and reports "not ready" until connected.
    this.consumer?.start().catch((err) => new Logger('Messaging').error({ err, msg: 'consumer failed to start' }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop(); // in-flight handlers finish and ack first
    await this.relay.stop();
    await this.broker.close();
  }
}

/**
 * The event backbone for one service: broker connection, publisher with confirms, outbox relay, and the
 * consumer of its subscriptions, started after the app boots and drained before it stops.
 */
@Module({})
export class MessagingModule {
  static forService(service: string, options: MessagingOptions = {}): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: Broker,
          inject: [SERVICE_CONFIG],
          useFactory: (config: BaseConfig) =>
            new Broker({ url: config.AMQP_URL, service, logger: nestLogger('Broker') }),
        },
        {
          provide: MessagingMetrics,
          inject: [Registry],
          useFactory: (registry: Registry) => new MessagingMetrics(service, registry),
        },
        {
          provide: EventPublisher,
          inject: [Broker, MessagingMetrics],
          useFactory: (broker: Broker, metrics: MessagingMetrics) => new EventPublisher(broker, metrics),
        },
        {
          provide: OutboxRelay,
          inject: [EventPublisher, MessagingMetrics],
          useFactory: (publisher: EventPublisher, metrics: MessagingMetrics) =>
            new OutboxRelay(publisher, { metrics, logger: nestLogger('OutboxRelay') }),
        },
        Outbox,
        ...(options.handlers ?? []),
        MessagingLifecycle,
      ],
      exports: [Broker, EventPublisher, Outbox, MessagingMetrics],
    };
  }
}
