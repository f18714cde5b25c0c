import { Injectable, Module } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { CallCancelledV1, CallRegisteredV1, CloudEvent, eventMeta, EventData } from '@aftersales/contracts';
import { baseConfigSchema, createTestApp, MongoModule, ServiceKitModule, TestApp } from '@aftersales/service-kit';
import { testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import {
  EventHandlerClass,
  EventPublisher,
  eventSource,
  HandlerContext,
  insertWithEvents,
  MessagingModule,
  Outbox,
} from '../src';

const SERVICE = 'nest-demo';

/** Cancels nothing in real life: records each registered call and raises a cancellation, through the outbox. */
@Injectable()
class RecordCall implements EventHandlerClass<typeof CallRegisteredV1> {
  readonly contract = CallRegisteredV1;
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly outbox: Outbox,
  ) {
    this.outbox.watch(() => this.connection.db?.collection('calls'));
  }
  private get calls() {
    return this.connection.db!.collection('calls');
  }
  async handle(event: CloudEvent<EventData<typeof CallRegisteredV1>>, ctx: HandlerContext) {
    const cancelled = CallCancelledV1.create(
      { branchId: event.data.branchId, callId: event.data.callId, reason: 'demo' },
      eventMeta(eventSource(SERVICE), event.data.callId),
    );
    await insertWithEvents(this.calls, { _id: event.data.callId as never }, [cancelled], { causedBy: ctx.eventKey });
    this.outbox.kick();
  }
}

@Injectable()
class SeeCancellations implements EventHandlerClass<typeof CallCancelledV1> {
  static seen: string[] = [];
  readonly contract = CallCancelledV1;
  async handle(event: CloudEvent<EventData<typeof CallCancelledV1>>) {
    SeeCancellations.seen.push(event.data.callId);
  }
}

@Module({
  imports: [
    ServiceKitModule.forRoot({ name: SERVICE, config: baseConfigSchema(SERVICE, { port: 0 }) }),
    MongoModule.forService(SERVICE),
    MessagingModule.forService(SERVICE, { handlers: [RecordCall, SeeCancellations] }),
  ],
})
class DemoModule {}

describe('MessagingModule in a Nest service', () => {
  let rabbit: TestBroker;
  let store: TestStore;
  let t: TestApp;

  beforeAll(async () => {
    rabbit = await testBroker();
    store = testStore();
    t = await createTestApp(DemoModule, {
      env: {
        AMQP_URL: rabbit.url,
        MONGO_DB: store.dbName(SERVICE),
        AUTH_DEV_SECRET: 'x'.repeat(32),
        AMQP_RETRY_DELAYS_MS: '100',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    const conn = await store.connect(SERVICE);
    await conn.dropDatabase();
    await store.dispose();
    await rabbit.dispose();
  });

  it('reports RabbitMQ in readiness, consumes through handler classes and relays what handlers raise', async () => {
    const deadline = Date.now() + 10_000;
    let ready: { status: number; body: any } = { status: 0, body: null };
    while (Date.now() < deadline) {
      const res = await fetch(`${t.url}/health/ready`);
      ready = { status: res.status, body: await res.json() };
      if (res.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.info)).toEqual(expect.arrayContaining(['mongo', 'rabbitmq']));

    const publisher = t.app.get(EventPublisher);
    const event = CallRegisteredV1.create(
      {
        branchId: 'br-north',
        callId: 'nc-1',
        callNumber: '1',
        voucherNo: 'V1',
        problem: 'noise',
        category: 'A',
        customer: { id: 'c', name: 'Eva', phone: '1', address: 'x', zone: 'urban' },
        product: { model: 'm', serial: 's' },
        receivedAt: new Date().toISOString(),
      },
      { source: '/test', subject: 'nc-1' },
    );
    await publisher.publish([event]);
    const end = Date.now() + 10_000;
    while (!SeeCancellations.seen.includes('nc-1') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(SeeCancellations.seen).toEqual(['nc-1']);

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('nest_demo_events_consumed_total{type="intake.call.registered.v1",outcome="handled"} 1');
    expect(metrics).toMatch(/nest_demo_events_confirmed_total\{type="intake.call.cancelled.v1"\} 1/);
  });
});
