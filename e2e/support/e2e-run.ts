/**
 * One e2e test file's running system: its own RabbitMQ vhost and databases, a folder for the survey mails,
 * an outside consumer bound to `#` on the events exchange from before anything happens, and the six
 * services (support/system.ts) with fast schedulers. What the suites reconcile against lives here too:
 * queue depths, dead-lettered messages, and every message checked as a CloudEvent of the catalogue.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqplib, { type ChannelModel } from 'amqplib';
import { CloudEventEnvelope, EVENTS_EXCHANGE, eventContract } from '@aftersales/contracts';
import { declareExchange } from '@aftersales/messaging';
import { testBroker, testStore, type TestBroker, type TestStore } from '@aftersales/testing';
import { buildSystem, FAST_SCHEDULERS, RunningSystem, SERVICES, type Service } from './system';

export interface SeenMessage {
  routingKey: string;
  contentType: string | undefined;
  raw: string;
}

export interface E2eRunOptions {
  /** AMQP_RETRY_DELAYS_MS of every service; its retry queues are `retry.<ms>ms`. */
  retryDelaysMs: readonly number[];
  /** Variables per service, over the fast schedulers. */
  serviceEnv?: Partial<Record<Service, Record<string, string>>>;
}

export class E2eRun {
  /** Every message the outside consumer received, in order. */
  readonly seen: SeenMessage[] = [];
  system!: RunningSystem;
  /** Where customer-feedback writes the survey mails (`<surveyId>.eml`). */
  readonly notifierDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aftersales-e2e-'));
  private broker?: TestBroker;
  private store?: TestStore;
  private consumer?: ChannelModel;

  static async start(options: E2eRunOptions): Promise<E2eRun> {
    const run = new E2eRun();
    try {
      await run.open(options);
    } catch (err) {
      await run.stop();
      throw err;
    }
    return run;
  }

  private async open({ retryDelaysMs, serviceEnv = {} }: E2eRunOptions): Promise<void> {
    buildSystem();
    this.broker = await testBroker();
    const store = (this.store = testStore());

    this.consumer = await amqplib.connect(this.broker.url);
    const ch = await this.consumer.createChannel();
    await declareExchange(ch);
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EVENTS_EXCHANGE, '#');
    await ch.consume(
      queue,
      (msg) =>
        msg &&
        this.seen.push({
          routingKey: msg.fields.routingKey,
          contentType: msg.properties.contentType,
          raw: msg.content.toString('utf8'),
        }),
      { noAck: true },
    );

    const perService: Partial<Record<Service, Record<string, string>>> = {};
    for (const svc of SERVICES) perService[svc] = { ...FAST_SCHEDULERS[svc], ...serviceEnv[svc] };
    perService['customer-feedback'] = {
      ...perService['customer-feedback'],
      NOTIFIER: 'file',
      NOTIFIER_DIR: this.notifierDir,
    };
    this.system = await RunningSystem.start({
      amqpUrl: this.broker.url,
      mongoUrl: store.url,
      dbName: (svc) => store.dbName(svc),
      env: { MONGO_MAX_POOL_SIZE: '4', AMQP_RETRY_DELAYS_MS: retryDelaysMs.join(',') },
      serviceEnv: perService,
    });
  }

  /** The bodies of the messages seen, parsed. */
  events(): any[] {
    return this.seen.map((s) => JSON.parse(s.raw));
  }

  /** Messages ready in each `<service>.<queue>` (AMQP passive declare: works on any broker). */
  async queueDepths(queues: readonly string[]): Promise<Record<string, number>> {
    const depths: Record<string, number> = {};
    const ch = await this.consumer!.createChannel();
    try {
      for (const svc of SERVICES) {
        for (const q of queues) depths[`${svc}.${q}`] = (await ch.checkQueue(`${svc}.${q}`)).messageCount;
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
    return depths;
  }

  /** What every service's dead-letter queue holds: `<service>: <type> <subject>: <reason>` (read, not consumed). */
  async deadLettered(): Promise<string[]> {
    const found: string[] = [];
    const ch = await this.consumer!.createChannel();
    try {
      for (const svc of SERVICES) {
        for (let msg = await ch.get(`${svc}.dlq`); msg; msg = await ch.get(`${svc}.dlq`)) {
          const event = JSON.parse(msg.content.toString('utf8'));
          found.push(`${svc}: ${event.type} ${event.subject}: ${String(msg.properties.headers?.['x-death-reason'])}`);
        }
      }
    } finally {
      await ch.close().catch(() => undefined); // closing without acks puts the messages back
    }
    return found;
  }

  /**
   * Every message seen that is not a CloudEvent of the catalogue (JSON CloudEvents content type, envelope,
   * known type, data valid for it) routed by `<type>.<branchid>`, each with the reason; empty when all are.
   */
  catalogueProblems(): string[] {
    const problems: string[] = [];
    for (const s of this.seen) {
      try {
        if (s.contentType !== 'application/cloudevents+json') throw new Error(`content type ${s.contentType}`);
        const envelope = CloudEventEnvelope.parse(JSON.parse(s.raw));
        const contract = eventContract(envelope.type);
        if (!contract) throw new Error(`type ${envelope.type} is not in the catalogue`);
        contract.schema.parse(envelope.data);
        const routingKey = `${envelope.type}.${envelope.branchid}`;
        if (s.routingKey !== routingKey) throw new Error(`routed by ${s.routingKey}, not ${routingKey}`);
      } catch (err) {
        problems.push(`${s.routingKey}: ${String(err).slice(0, 500)}`);
      }
    }
    return problems;
  }

  /** Stops the services, drops the databases and the vhost, removes the mail folder. */
  async stop(): Promise<void> {
    await this.system?.stop();
    await this.consumer?.close().catch(() => undefined);
    if (this.store) {
      for (const name of SERVICES) {
        const conn = await this.store.connect(name).catch(() => undefined);
        await conn?.dropDatabase().catch(() => undefined);
      }
      await this.store.dispose();
    }
    await this.broker?.dispose();
    fs.rmSync(this.notifierDir, { recursive: true, force: true });
  }
}

export const totalOf = (depths: Record<string, number>): number => Object.values(depths).reduce((a, b) => a + b, 0);
