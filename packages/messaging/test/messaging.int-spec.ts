import amqplib from 'amqplib';
import { Collection, MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import {
  CallCancelledV1,
  CallReclassifiedV1,
  CallRegisteredV1,
  CloudEvent,
  currentContext,
  eventMeta,
  EVENTS_EXCHANGE,
  TechnicianAssignedV1,
} from '@aftersales/contracts';
import { queueDepth, testBroker, TestBroker, testStore, TestStore } from '@aftersales/testing';
import {
  Broker,
  EventConsumer,
  EventPublisher,
  insertWithEvents,
  MessagingMetrics,
  NonRetryableError,
  OutboxRelay,
  retryOnWriteConflict,
  saveWithEvents,
  subscribe,
  UNROUTABLE_QUEUE,
} from '../src';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const registered = (callId: string, branchId = 'br-north') =>
  CallRegisteredV1.create(
    {
      branchId,
      callId,
      callNumber: `N-${callId}`,
      voucherNo: `V-${callId}`,
      customer: { id: 'cu1', name: 'Ana', phone: '600', address: 'Calle 1', zone: 'urban' },
      product: { model: 'WM-1', serial: 'S1' },
      problem: 'does not spin',
      category: 'A',
      receivedAt: new Date().toISOString(),
    },
    { source: '/aftersales/call-intake', subject: callId },
  );

describe('messaging on the real broker and store', () => {
  let rabbit: TestBroker;
  let store: TestStore;
  let mongo: MongoClient;
  const closers: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    rabbit = await testBroker();
    store = testStore();
    mongo = await new MongoClient(store.url, { maxPoolSize: 10 }).connect();
  });
  afterEach(async () => {
    while (closers.length) await closers.pop()!().catch(() => undefined);
  });
  afterAll(async () => {
    await mongo
      .db(store.dbName('messaging'))
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
    await rabbit.dispose();
  });

  let instance = 0;
  /** A service of its own per test, so queues, bindings and metrics never carry over between tests. */
  function service(base: string) {
    const name = `${base}-${++instance}`;
    const metric = (m: string) => `${name.replace(/-/g, '_')}_${m}`;
    const registry = new Registry();
    const metrics = new MessagingMetrics(name, registry);
    const broker = new Broker({ url: rabbit.url, service: name, logger: quiet });
    const publisher = new EventPublisher(broker, metrics);
    closers.push(() => broker.close());
    return { name, metric, broker, publisher, metrics, registry };
  }

  function consumer(
    svc: ReturnType<typeof service>,
    opts: Omit<ConstructorParameters<typeof EventConsumer>[1], 'metrics'>,
  ) {
    const c = new EventConsumer(svc.broker, { retryDelaysMs: [100, 200], metrics: svc.metrics, ...opts });
    closers.push(() => c.stop());
    return c;
  }

  /** A projection that counts assignments per call, applying each event exactly once. */
  function countingProjection(collection: Collection) {
    return subscribe(TechnicianAssignedV1, async (event, ctx) => {
      const id = event.data.callId;
      for (;;) {
        const doc = await collection.findOne({ _id: id as never });
        if (!doc) {
          const r = await insertWithEvents(collection, { _id: id as never, count: 1 }, [], { causedBy: ctx.eventKey });
          if (r === 'saved') return;
          continue; // someone inserted first: apply to theirs
        }
        const r = await saveWithEvents(collection, id, doc.version, { count: doc.count + 1 }, [], {
          causedBy: ctx.eventKey,
        });
        if (r !== 'conflict') return;
      }
    });
  }

  const assigned = (callId: string) =>
    TechnicianAssignedV1.create(
      {
        branchId: 'br-north',
        callId,
        technicianId: 't1',
        technicianName: 'Luis',
        assignedBy: 'd1',
        assignedAt: new Date().toISOString(),
        slaDueAt: new Date().toISOString(),
      },
      { source: '/aftersales/dispatch', subject: callId },
    );

  it('publishes an event written with a state change after a crash before the publish, and applies it once when delivered twice', async () => {
    const db = mongo.db(store.dbName('messaging'));
    const jobs = db.collection('jobs');
    const counts = db.collection('assignment_counts');
    const event = assigned('call-1');
    // The "service" saves the state and its event in one write, then crashes before relaying it.
    await insertWithEvents(jobs, { _id: 'call-1' as never, status: 'assigned' }, [event]);

    const producer = service('dispatch');
    const reader = service('reporting');
    await consumer(reader, { subscriptions: [countingProjection(counts)] }).start();

    // A new process starts: its relay finds the stranded event and publishes it.
    const relay = new OutboxRelay(producer.publisher, {
      intervalMs: 50,
      metrics: producer.metrics,
      logger: quiet,
    }).watch(jobs);
    relay.start();
    closers.push(() => relay.stop());
    await until(async () => (await counts.findOne({ _id: 'call-1' as never }))?.count === 1, 'the effect');
    await until(
      async () => (await jobs.findOne({ _id: 'call-1' as never }))?.outboxPending === false,
      'outbox cleared',
    );
    expect((await jobs.findOne({ _id: 'call-1' as never }))?.outbox).toEqual([]);

    // The same event arrives again (e.g. relay crashed before marking it sent): nothing changes.
    await producer.publisher.publish([event]);
    await until(
      async () =>
        (await reader.registry.getSingleMetricAsString(reader.metric('events_consumed_total'))).includes(
          'outcome="handled"} 2',
        ),
      'second delivery handled',
    );
    expect((await counts.findOne({ _id: 'call-1' as never }))?.count).toBe(1);
    expect((await counts.findOne({ _id: 'call-1' as never }))?.processed).toEqual([`/aftersales/dispatch|${event.id}`]);
  });

  it('keeps events saved while a relay publishes, and publishes them on the next pass', async () => {
    const db = mongo.db(store.dbName('messaging'));
    const jobs = db.collection('jobs2');
    const producer = service('dispatch');
    const first = assigned('call-2');
    await insertWithEvents(jobs, { _id: 'call-2' as never }, [first]);
    // Read by the relay, then the aggregate moves on before the relay marks the first event sent.
    const relay = new OutboxRelay(producer.publisher, { logger: quiet }).watch(jobs);
    const second = assigned('call-2');
    const originalPublish = producer.publisher.publish.bind(producer.publisher);
    producer.publisher.publish = async (events) => {
      await saveWithEvents(jobs, 'call-2', 1, {}, [second]);
      return originalPublish(events);
    };
    expect(await relay.pass()).toBe(1);
    const doc = await jobs.findOne({ _id: 'call-2' as never });
    expect(doc?.outbox.map((e: CloudEvent) => e.id)).toEqual([second.id]);
    expect(doc?.outboxPending).toBe(true);
    producer.publisher.publish = originalPublish;
    expect(await relay.pass()).toBe(1);
    expect((await jobs.findOne({ _id: 'call-2' as never }))?.outbox).toEqual([]);
  });

  it('publishes at once, by reading just that document, what a kick names; other documents wait for the search', async () => {
    const db = mongo.db(store.dbName('messaging'));
    const jobs = db.collection('kicked');
    const producer = service('dispatch');
    const relay = new OutboxRelay(producer.publisher, { intervalMs: 60_000, logger: quiet }).watch(jobs);
    relay.start(); // its first pass searches: nothing there yet
    closers.push(() => relay.stop());
    await new Promise((resolve) => setTimeout(resolve, 200));
    const named = assigned('k-named');
    const unnamed = assigned('k-unnamed');
    await insertWithEvents(jobs, { _id: 'k-unnamed' as never }, [unnamed]);
    await insertWithEvents(jobs, { _id: 'k-named' as never }, [named]);
    relay.kick({ collection: 'kicked', id: 'k-named' });
    await until(async () => (await jobs.findOne({ _id: 'k-named' as never }))?.outboxPending === false, 'named sent');
    expect((await jobs.findOne({ _id: 'k-unnamed' as never }))?.outboxPending).toBe(true); // no search ran
    relay.kick(); // a kick naming nothing searches every collection
    await until(async () => (await jobs.findOne({ _id: 'k-unnamed' as never }))?.outboxPending === false, 'all sent');
  });

  it('lets exactly one of several concurrent saves of an aggregate win, keeping only its events', async () => {
    const db = mongo.db(store.dbName('messaging'));
    const jobs = db.collection('race');
    await insertWithEvents(jobs, { _id: 'r1' as never, state: 'open' }, []);
    const events = [1, 2, 3, 4].map(() => assigned('r1'));
    const results = await Promise.all(events.map((e, i) => saveWithEvents(jobs, 'r1', 1, { state: `by-${i}` }, [e])));
    expect(results.filter((r) => r === 'saved')).toHaveLength(1);
    expect(results.filter((r) => r === 'conflict')).toHaveLength(3);
    const winner = results.indexOf('saved');
    const doc = await jobs.findOne({ _id: 'r1' as never });
    expect(doc).toMatchObject({ version: 2, state: `by-${winner}` });
    expect(doc?.outbox.map((e: CloudEvent) => e.id)).toEqual([events[winner].id]);
  });

  it('counts every one of many concurrent increments when retried on write conflicts', async () => {
    const counters = mongo.db(store.dbName('messaging')).collection('counters');
    await Promise.all(
      Array.from({ length: 12 }, () =>
        retryOnWriteConflict(() => counters.updateOne({ _id: 'seq' as never }, { $inc: { n: 1 } }, { upsert: true }), {
          upsert: true,
        }),
      ),
    );
    expect((await counters.findOne({ _id: 'seq' as never }))?.n).toBe(12);
  });

  it('retries a failing handler with delays, then dead-letters it with the reason, and goes on with the next messages', async () => {
    const producer = service('call-intake');
    const svc = service('dispatch');
    const handled: string[] = [];
    const attempts: number[] = [];
    await consumer(svc, {
      subscriptions: [
        subscribe(CallRegisteredV1, async (event, ctx) => {
          if (event.data.callId === 'poison') {
            attempts.push(ctx.attempt);
            throw new Error('cannot handle this call');
          }
          handled.push(event.data.callId);
        }),
      ],
    }).start();
    await producer.publisher.publish([registered('poison'), registered('ok-1')]);
    await until(() => handled.includes('ok-1'), 'next message handled while the poison one waits');
    await producer.publisher.publish([registered('ok-2')]);
    await until(async () => (await queueDepth(rabbit.vhost, `${svc.name}.dlq`)) === 1, 'poison message in the DLQ');
    expect(attempts).toEqual([0, 1, 2]);
    expect(handled).toEqual(['ok-1', 'ok-2']);

    const conn = await amqplib.connect(rabbit.url);
    closers.push(() => conn.close());
    const ch = await conn.createChannel();
    const dead = await ch.get(`${svc.name}.dlq`, { noAck: true });
    expect(dead && JSON.parse(dead.content.toString()).data.callId).toBe('poison');
    expect(dead && dead.properties.headers?.['x-death-reason']).toBe('Error: cannot handle this call');
    expect(dead && dead.properties.headers?.['x-original-routing-key']).toBe('intake.call.registered.v1.br-north');
    expect(await svc.registry.getSingleMetricAsString(svc.metric('events_consumed_total'))).toContain(
      'type="intake.call.registered.v1",outcome="dead-lettered"} 1',
    );
  });

  it('sends a message that fails schema validation straight to the DLQ, without retries', async () => {
    const svc = service('dispatch');
    let calls = 0;
    await consumer(svc, { subscriptions: [subscribe(CallCancelledV1, async () => void calls++)] }).start();
    const conn = await amqplib.connect(rabbit.url);
    closers.push(() => conn.close());
    const raw = await conn.createConfirmChannel();
    const bad = {
      ...CallCancelledV1.create({ branchId: 'br-north', callId: 'c9', reason: 'dup' }, { source: '/x', subject: 'c9' }),
    };
    (bad.data as Record<string, unknown>).reason = 42;
    raw.publish(EVENTS_EXCHANGE, 'intake.call.cancelled.v1.br-north', Buffer.from(JSON.stringify(bad)));
    raw.publish(EVENTS_EXCHANGE, 'intake.call.cancelled.v1.br-north', Buffer.from('{not json'));
    await raw.waitForConfirms();
    await until(async () => (await queueDepth(rabbit.vhost, `${svc.name}.dlq`)) === 2, 'both in the DLQ');
    const first = await raw.get(`${svc.name}.dlq`, { noAck: true });
    const second = await raw.get(`${svc.name}.dlq`, { noAck: true });
    const reasons = [first, second].map((m) => (m ? String(m.properties.headers?.['x-death-reason']) : ''));
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^invalid intake.call.cancelled.v1 data: reason:/),
        'invalid message: body is not JSON',
      ]),
    );
    expect(calls).toBe(0);
  });

  it('dead-letters at once when the handler says retrying cannot help', async () => {
    const producer = service('call-intake');
    const svc = service('dispatch');
    const attempts: number[] = [];
    await consumer(svc, {
      subscriptions: [
        subscribe(CallRegisteredV1, async (_e, ctx) => {
          attempts.push(ctx.attempt);
          throw new NonRetryableError('contradicts state');
        }),
      ],
    }).start();
    await producer.publisher.publish([registered('nr-1')]);
    await until(async () => (await queueDepth(rabbit.vhost, `${svc.name}.dlq`)) === 1, 'in the DLQ');
    expect(attempts).toEqual([0]);
  });

  it('reconnects a consumer whose connection was killed and misses nothing published meanwhile', async () => {
    const svc = service('dispatch');
    const seen = new Set<string>();
    await consumer(svc, {
      subscriptions: [subscribe(CallRegisteredV1, async (e) => void seen.add(e.data.callId))],
    }).start();
    const producer = service('call-intake');
    await producer.publisher.publish([registered('before')]);
    await until(() => seen.has('before'), 'first event');

    let disconnects = 0;
    svc.broker.connection.on('disconnect', () => disconnects++);
    await rabbit.killConnections(); // kills both services' connections, as a broker restart would
    await until(() => disconnects > 0, 'disconnect noticed');
    const ids = Array.from({ length: 20 }, (_, i) => `during-${i}`);
    await producer.publisher.publish(ids.map((id) => registered(id))); // waits for its own reconnect, then confirms
    await until(() => ids.every((id) => seen.has(id)), 'every event published while down', 20_000);
    expect(svc.broker.isConnected()).toBe(true);
  });

  it("delivers to an integrator's queue bound to #.br-north exactly that branch's events, as plain JSON CloudEvents", async () => {
    const conn = await amqplib.connect(rabbit.url);
    closers.push(() => conn.close());
    const ch = await conn.createChannel();
    const producer = service('call-intake');
    await producer.publisher.waitForReady(); // declares the exchange
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, EVENTS_EXCHANGE, '#.br-north');
    await producer.publisher.publish([
      registered('n1', 'br-north'),
      registered('s1', 'br-south'),
      registered('n2', 'br-north'),
    ]);
    const got: Array<{ body: Record<string, any>; props: amqplib.MessageProperties }> = [];
    await ch.consume(
      queue,
      (m) => m && got.push({ body: JSON.parse(m.content.toString('utf8')), props: m.properties }),
      { noAck: true },
    );
    await until(() => got.length >= 2, 'two events');
    await new Promise((r) => setTimeout(r, 300)); // a br-south event would have arrived by now
    expect(got.map((g) => g.body.data.callId)).toEqual(['n1', 'n2']);
    for (const { body, props } of got) {
      expect(body).toMatchObject({
        specversion: '1.0',
        type: 'intake.call.registered.v1',
        branchid: 'br-north',
        datacontenttype: 'application/json',
      });
      expect(props).toMatchObject({
        contentType: 'application/cloudevents+json',
        messageId: body.id,
        type: body.type,
        deliveryMode: 2,
      });
    }
  });

  it('keeps unroutable events in the unroutable queue instead of dropping them', async () => {
    const producer = service('billing');
    const nobodyListens = CallReclassifiedV1.create(
      { branchId: 'br-east', callId: 'x', from: 'A', to: 'B', reason: 'r' },
      { source: '/t', subject: 'x' },
    );
    await producer.publisher.publish([nobodyListens]);
    await until(async () => (await queueDepth(rabbit.vhost, UNROUTABLE_QUEUE)) >= 1, 'unroutable event kept');
  });

  it('carries correlation and causation into the events a handler raises', async () => {
    const svc = service('dispatch');
    const db = mongo.db(store.dbName('messaging'));
    const jobs = db.collection('jobs3');
    await consumer(svc, {
      subscriptions: [
        subscribe(CallRegisteredV1, async (e, ctx) => {
          expect(currentContext()?.causationId).toBe(e.id);
          const next = TechnicianAssignedV1.create(
            {
              branchId: e.data.branchId,
              callId: e.data.callId,
              technicianId: 't',
              technicianName: 'T',
              assignedBy: 'd',
              assignedAt: e.time,
              slaDueAt: e.time,
            },
            eventMeta('/aftersales/dispatch', e.data.callId),
          );
          await insertWithEvents(jobs, { _id: e.data.callId as never }, [next], { causedBy: ctx.eventKey });
        }),
      ],
    }).start();
    const producer = service('call-intake');
    const cause = CallRegisteredV1.create(registered('corr-1').data, {
      source: '/aftersales/call-intake',
      subject: 'corr-1',
      correlationId: 'req-42',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    await producer.publisher.publish([cause]);
    await until(async () => !!(await jobs.findOne({ _id: 'corr-1' as never })), 'job written');
    const [raised] = (await jobs.findOne({ _id: 'corr-1' as never }))!.outbox as CloudEvent[];
    expect(raised).toMatchObject({ correlationid: 'req-42', causationid: cause.id, traceparent: cause.traceparent });
  });

  it('lets in-flight handlers finish and ack on shutdown', async () => {
    const svc = service('dispatch');
    let finished = 0;
    const c = new EventConsumer(svc.broker, {
      retryDelaysMs: [100],
      subscriptions: [
        subscribe(CallRegisteredV1, async () => {
          await new Promise((r) => setTimeout(r, 300));
          finished++;
        }),
      ],
    });
    await c.start();
    const producer = service('call-intake');
    await producer.publisher.publish([registered('slow-1'), registered('slow-2')]);
    await until(async () => (await queueDepth(rabbit.vhost, `${svc.name}.events`)) === 0, 'messages taken');
    await c.stop();
    expect(finished).toBe(2);
    // Acked, so nothing comes back to a new consumer.
    await new Promise((r) => setTimeout(r, 200));
    expect(await queueDepth(rabbit.vhost, `${svc.name}.events`)).toBe(0);
  });
});
