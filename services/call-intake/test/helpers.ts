import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type Metadata,
  type sendUnaryData,
  type ServerUnaryCall,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import amqplib from 'amqplib';
import { EVENTS_EXCHANGE, type CloudEvent } from '@aftersales/contracts';
import { grpcOptions, type BillingV1 } from '@aftersales/contracts/grpc';
import { declareExchange } from '@aftersales/messaging';
import { createTestApp, mintDevToken, type Role, type TestApp } from '@aftersales/service-kit';
import type { TestBroker, TestStore } from '@aftersales/testing';
import { AppModule } from '../src/app.module';
import { Clock } from '../src/shared/clock';

export const SECRET = 'call-intake-test-secret-of-32-characters!';

export class FixedClock extends Clock {
  constructor(public at: Date) {
    super();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
}

export const token = (role: Role, branchId = 'br-north', sub = `u-${role}-${branchId}`) =>
  mintDevToken({ roles: [role], branchId, sub, secret: SECRET });

export async function bootApp(
  broker: TestBroker,
  store: TestStore,
  clock: Clock,
  env: Record<string, string> = {},
): Promise<TestApp> {
  return createTestApp(AppModule, {
    env: {
      AMQP_URL: broker.url,
      MONGO_DB: store.dbName('call-intake'),
      AUTH_DEV_SECRET: SECRET,
      AMQP_RETRY_DELAYS_MS: '100,200',
      MONGO_MAX_POOL_SIZE: '4',
      SCHEDULER_ENABLED: 'false',
      BILLING_GRPC_DEADLINE_MS: '400',
      LOG_LEVEL: 'warn',
      ...env,
    },
    override: (b) => b.overrideProvider(Clock).useValue(clock),
    grpc: grpcOptions('aftersales.intake.v1'),
  });
}

export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw amqplib queue bound to the events exchange with exact routing keys: what any subscriber would see. */
export async function rawQueue(url: string, routingKeys: string[]) {
  const conn = await amqplib.connect(url);
  const ch = await conn.createChannel();
  await declareExchange(ch);
  const { queue } = await ch.assertQueue('', { exclusive: true });
  for (const key of routingKeys) await ch.bindQueue(queue, EVENTS_EXCHANGE, key);
  const events: CloudEvent<any>[] = [];
  await ch.consume(
    queue,
    (msg) => {
      if (!msg) return;
      const event = JSON.parse(msg.content.toString());
      // At-least-once: the relay may publish an event again; consumers (and this sink) de-duplicate by id.
      if (!events.some((e) => e.id === event.id)) events.push(event);
    },
    { noAck: true },
  );
  return {
    events,
    of: (type: string, callId?: string) =>
      events.filter((e) => e.type === type && (callId === undefined || e.data.callId === callId)),
    close: async () => {
      await ch.close().catch(() => undefined);
      await conn.close().catch(() => undefined);
    },
  };
}

export interface Contract {
  serial: string;
  contractId: string;
  endsOn: string;
}

/**
 * A real gRPC server standing in for billing's Coverage service: a contract covers its serial up to and
 * including `endsOn` (the last day counts). Can be stopped and started again on the same port, and slowed.
 */
export class FakeCoverage {
  contracts: Contract[] = [];
  delayMs = 0;
  requests: Array<{ req: BillingV1.GetCoverageRequest; authorization: string }> = [];
  private server?: Server;
  port = 0;

  async start(port = 0): Promise<void> {
    const opts = grpcOptions('aftersales.billing.v1');
    const pkg = loadPackageDefinition(loadSync(opts.protoPath, opts.loader)) as any;
    const server = new Server();
    server.addService(pkg.aftersales.billing.v1.Coverage.service, {
      GetCoverage: (
        call: ServerUnaryCall<BillingV1.GetCoverageRequest, BillingV1.GetCoverageResponse>,
        cb: sendUnaryData<BillingV1.GetCoverageResponse>,
      ) => {
        const md: Metadata = call.metadata;
        this.requests.push({ req: call.request, authorization: String(md.get('authorization')[0] ?? '') });
        const c = this.contracts.find((k) => k.serial === call.request.serial && call.request.date <= k.endsOn);
        const answer = c
          ? { covered: true, contractId: c.contractId, coversLabour: true, coversParts: true, endsOn: c.endsOn }
          : { covered: false, contractId: '', coversLabour: false, coversParts: false, endsOn: '' };
        setTimeout(() => cb(null, answer), this.delayMs);
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.server = server;
  }

  stop(): void {
    this.server?.forceShutdown();
    this.server = undefined;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }
}
