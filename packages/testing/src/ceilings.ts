/**
 * The raw ceilings of the machine's broker and store, for benchmarks to print their figures against:
 * what plain amqplib and the plain MongoDB driver reach with nothing of ours in the way.
 */
import { randomBytes } from 'node:crypto';
import amqplib from 'amqplib';
import mongoose from 'mongoose';

/**
 * Persistent messages/s through publish (confirm channel, windows of 1,000) → topic exchange → quorum
 * queue → consume with manual ack (prefetch 20): the system's path and delivery guarantees, without it.
 * `body` is one message's content.
 */
export async function amqpCeiling(url: string, body: Buffer, messages = 20_000): Promise<number> {
  const name = `ceiling.${randomBytes(3).toString('hex')}`;
  const conn = await amqplib.connect(url);
  try {
    const pub = await conn.createConfirmChannel();
    const sub = await conn.createChannel();
    await pub.assertExchange(name, 'topic', { durable: false });
    await pub.assertQueue(name, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await pub.bindQueue(name, name, '#');
    await sub.prefetch(20);
    let acked = 0;
    const done = new Promise<void>((resolve) =>
      sub.consume(name, (m) => {
        if (!m) return;
        JSON.parse(m.content.toString('utf8'));
        sub.ack(m);
        if (++acked === messages) resolve();
      }),
    );
    const start = performance.now();
    for (let i = 0; i < messages; i += 1_000) {
      for (let j = i; j < Math.min(i + 1_000, messages); j++) {
        pub.publish(name, 'ceiling.event.v1.br-north', body, {
          persistent: true,
          contentType: 'application/cloudevents+json',
        });
      }
      await pub.waitForConfirms();
    }
    await done;
    const rate = messages / ((performance.now() - start) / 1000);
    await pub.deleteQueue(name);
    await pub.deleteExchange(name);
    return rate;
  } finally {
    await conn.close();
  }
}

export interface StoreCeiling {
  insertsPerSecond: number;
  updatesPerSecond: number;
}

/**
 * Single-document writes/s with the plain driver, `concurrency` at a time for `seconds` each: inserts of
 * small documents, then `$inc` updates by `_id` of random ones among them (each worker its own). Uses (and drops) its own database.
 */
export async function storeCeiling(url: string, seconds = 5, concurrency = 10): Promise<StoreCeiling> {
  const conn = await mongoose
    .createConnection(url, { dbName: `ceiling_${randomBytes(3).toString('hex')}`, maxPoolSize: concurrency })
    .asPromise();
  try {
    const docs = conn.db!.collection<{ _id: string; n: number; at: Date }>('docs');
    let inserted = 0;
    const insertsPerSecond = await forSeconds(seconds, concurrency, async () => {
      await docs.insertOne({ _id: `d${inserted++}`, n: 0, at: new Date() });
    });
    // Each worker updates its own documents: concurrent writes of one document are a conflict, not a write.
    const updatesPerSecond = await forSeconds(seconds, concurrency, async (worker) => {
      const i = Math.floor(Math.random() * (inserted / concurrency)) * concurrency + worker;
      await docs.updateOne({ _id: `d${i}` }, { $inc: { n: 1 } });
    });
    return { insertsPerSecond, updatesPerSecond };
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

/** Runs `op` from `concurrency` loops for `seconds`; operations completed per second. */
async function forSeconds(
  seconds: number,
  concurrency: number,
  op: (worker: number) => Promise<void>,
): Promise<number> {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        await op(worker);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}
