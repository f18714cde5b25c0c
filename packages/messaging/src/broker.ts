import amqp, { AmqpConnectionManager } from 'amqp-connection-manager';
import { jsonLogger, MessagingLogger } from './logger';

export interface BrokerOptions {
  url: string;
  /** Shown as the connection name in RabbitMQ, and the prefix of the service's queues. */
  service: string;
  logger?: MessagingLogger;
  heartbeatSeconds?: number;
}

/**
 * One AMQP connection per service process. amqp-connection-manager reconnects after a lost connection
 * and re-runs every channel's setup (topology, consumers), so publishers and consumers survive broker
 * restarts and killed connections without our code noticing.
 */
export class Broker {
  readonly connection: AmqpConnectionManager;
  readonly service: string;
  readonly logger: MessagingLogger;

  constructor(opts: BrokerOptions) {
    this.service = opts.service;
    this.logger = opts.logger ?? jsonLogger;
    this.connection = amqp.connect([opts.url], {
      heartbeatIntervalInSeconds: opts.heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: 1,
      connectionOptions: { clientProperties: { connection_name: opts.service } },
    });
    this.connection.on('connect', () => this.logger.info({ service: this.service }, 'broker connected'));
    this.connection.on('disconnect', ({ err }) =>
      this.logger.warn({ service: this.service, err }, 'broker connection lost; reconnecting'),
    );
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /** Resolves once connected, or rejects after `timeoutMs`. */
  async waitForConnect(timeoutMs = 10_000): Promise<void> {
    await Promise.race([
      this.connection.connect(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`broker not reachable in ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
