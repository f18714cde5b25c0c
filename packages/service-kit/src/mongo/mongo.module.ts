import {
  BeforeApplicationShutdown,
  DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  OnModuleInit,
} from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { ConnectionStates, type Connection, type ConnectOptions, type mongo } from 'mongoose';
import { Counter, Histogram, Registry } from 'prom-client';
import type { BaseConfig } from '../config/base-schema';
import { ReadinessChecks } from '../health/readiness';
import { metricPrefix } from '../observability/metrics';
import { SERVICE_CONFIG } from '../tokens';
import { withTimeout } from '../util/timeout';

const MONGO_SERVICE = 'aftersales:mongo-service';
const PING_TIMEOUT_MS = 2000;

function connectOptions(config: BaseConfig, service: string): ConnectOptions {
  return {
    dbName: config.MONGO_DB,
    // 10 by default: six services share one store, and FerretDB's PostgreSQL pool is 50 connections.
    // MONGO_MAX_POOL_SIZE for a real MongoDB.
    maxPoolSize: config.MONGO_MAX_POOL_SIZE,
    appName: service, // shows in the server's logs and currentOp
    monitorCommands: true, // feeds <service>_store_operations_total (see StoreMetrics)
    // Fail an operation after 5 s when the store is gone, instead of holding the request for 30 s.
    serverSelectionTimeoutMS: 5000,
    // No `serverApi`: FerretDB and older servers reject the Stable API declaration.
  };
}

/** Commands that change data, counted as writes. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
/** Commands counted at all: data reads and writes, not handshakes, pings or cursor kills. */
const DATA_COMMANDS = new Set([...WRITE_COMMANDS, 'find', 'getMore', 'aggregate', 'count', 'distinct']);

/**
 * Store operations by command and collection, from the driver's command monitoring: how many writes a
 * unit of work costs, and where they go, is the first thing to know when the store is the bottleneck.
 */
class StoreMetrics {
  private readonly operations: Counter<'command' | 'collection' | 'outcome'>;
  private readonly duration: Histogram<'kind'>;
  private readonly watched = new WeakSet<mongo.MongoClient>();

  constructor(registry: Registry, service: string) {
    this.operations = new Counter({
      name: `${metricPrefix(service)}_store_operations_total`,
      help: 'Store commands by command name (insert, update, find, …), collection and outcome',
      labelNames: ['command', 'collection', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: `${metricPrefix(service)}_store_operation_duration_seconds`,
      help: 'Store command duration, reads and writes',
      labelNames: ['kind'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    });
  }

  watch(client: mongo.MongoClient): void {
    if (this.watched.has(client)) return;
    this.watched.add(client);
    // The collection is only on the command, not on its reply: remember it by request id.
    const collections = new Map<number, string>();
    client.on('commandStarted', (e) => {
      if (DATA_COMMANDS.has(e.commandName)) collections.set(e.requestId, String(e.command[e.commandName]));
    });
    const finished = (outcome: 'ok' | 'error') => (e: mongo.CommandSucceededEvent | mongo.CommandFailedEvent) => {
      const collection = collections.get(e.requestId);
      if (collection === undefined) return;
      collections.delete(e.requestId);
      // getMore names a cursor id, not a collection
      this.operations.inc({
        command: e.commandName,
        collection: e.commandName === 'getMore' ? '' : collection,
        outcome,
      });
      this.duration.observe({ kind: WRITE_COMMANDS.has(e.commandName) ? 'write' : 'read' }, e.duration / 1000);
    };
    client.on('commandSucceeded', finished('ok'));
    client.on('commandFailed', finished('error'));
  }
}

/**
 * Connects in the background and keeps trying until the store answers, so a service started before
 * its database stays up and reports "not ready" instead of crash-looping; registers the readiness ping.
 * (Once connected, the driver itself reconnects after outages.)
 */
@Injectable()
class MongoConnectionSupervisor implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Mongo');
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @Inject(SERVICE_CONFIG) private readonly config: BaseConfig,
    @Inject(MONGO_SERVICE) private readonly service: string,
    private readonly readiness: ReadinessChecks,
    registry: Registry,
  ) {
    this.storeMetrics = new StoreMetrics(registry, service);
  }

  private readonly storeMetrics: StoreMetrics;

  onModuleInit(): void {
    this.readiness.register('mongo', () => this.ping());
    this.watch(this.connection.asPromise(), 1);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    // A connection still trying to reach the store would hold shutdown for the whole server-selection
    // timeout; abandon the attempt (@nestjs/mongoose then closes the connection as usual).
    if (this.connection.readyState === ConnectionStates.connecting) {
      await this.connection
        .getClient()
        .close(true)
        .catch(() => undefined);
    }
  }

  private async ping(): Promise<void> {
    if (this.connection.readyState !== ConnectionStates.connected) {
      throw new Error(`not connected (${ConnectionStates[this.connection.readyState]})`);
    }
    await withTimeout(this.connection.db!.admin().command({ ping: 1 }), PING_TIMEOUT_MS, 'mongo ping');
  }

  private watch(attempt: Promise<unknown>, n: number): void {
    attempt.then(
      () => {
        this.storeMetrics.watch(this.connection.getClient());
        if (n > 1) this.logger.log(`connected to MongoDB after ${n} attempts`);
      },
      (err: Error) => {
        if (this.stopped) return;
        const delay = Math.min(30_000, 500 * 2 ** n);
        this.logger.warn(`cannot reach MongoDB (${err.message}); retrying in ${delay} ms`);
        this.timer = setTimeout(() => {
          if (this.stopped) return;
          this.watch(this.connection.openUri(this.config.MONGO_URL, connectOptions(this.config, this.service)), n + 1);
        }, delay);
        this.timer.unref();
      },
    );
  }
}

@Module({})
export class MongoModule {
  /** The service's MongoDB connection (database MONGO_DB on MONGO_URL / <SERVICE>_MONGO_URL). */
  static forService(service: string): DynamicModule {
    return {
      module: MongoModule,
      imports: [
        MongooseModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: BaseConfig) => ({
            uri: config.MONGO_URL,
            ...connectOptions(config, service),
            lazyConnection: true, // start without waiting for the store; the supervisor watches it
          }),
        }),
      ],
      providers: [{ provide: MONGO_SERVICE, useValue: service }, MongoConnectionSupervisor],
    };
  }
}
