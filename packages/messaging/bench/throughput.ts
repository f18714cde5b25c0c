/**
 * Benchmark (not a test): events/s through publish → consume → ack, for this package and for plain
 * amqplib on the same broker, same run, same message shape: persistent messages with publisher confirms
 * into a durable quorum queue, manual acks, prefetch 20.
 *   pnpm bench:messaging            (N=20000 by default; BENCH_EVENTS to change)
 * Uses AMQP_URL when set, else a fresh vhost on 127.0.0.1:5672 (deleted afterwards).
 */
import { Registry } from 'prom-client';
import { CallCancelledV1 } from '@aftersales/contracts';
import { amqpCeiling, testBroker } from '@aftersales/testing';
import { Broker, EventConsumer, EventPublisher, MessagingMetrics, subscribe } from '../src';

const N = Number(process.env.BENCH_EVENTS ?? 20_000);
const WINDOW = 1_000; // publishes in flight before waiting for confirms
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

const event = (i: number) =>
  CallCancelledV1.create(
    { branchId: 'br-north', callId: `c${i}`, reason: 'benchmark' },
    { source: '/bench', subject: `c${i}` },
  );

async function ours(url: string): Promise<number> {
  const registry = new Registry();
  const broker = new Broker({ url, service: 'bench', logger: quiet });
  const metrics = new MessagingMetrics('bench', registry);
  const publisher = new EventPublisher(broker, metrics);
  let handled = 0;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const consumer = new EventConsumer(broker, {
    metrics,
    prefetch: 20,
    subscriptions: [subscribe(CallCancelledV1, async () => void (++handled === N && resolve()))],
  });
  await consumer.start();
  const events = Array.from({ length: N }, (_, i) => event(i));
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i += WINDOW) await publisher.publish(events.slice(i, i + WINDOW));
  await done;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await consumer.stop();
  await broker.close();
  return N / seconds;
}

async function main() {
  if (!process.env.AMQP_URL) {
    process.env.AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
    process.env.AFTERSALES_TEST_VHOSTS = '1';
  }
  const vhost = await testBroker();
  try {
    const rawRate = await amqpCeiling(vhost.url, Buffer.from(JSON.stringify(event(0))), N);
    const ourRate = await ours(vhost.url);
    console.log(`events: ${N} (persistent, confirmed, quorum queue, manual ack, prefetch 20)`);
    console.log(`raw amqplib:            ${rawRate.toFixed(0)} events/s`);
    console.log(
      `@aftersales/messaging:  ${ourRate.toFixed(0)} events/s (with schema validation, metrics, correlation context)`,
    );
    console.log(`ratio:                  ${((ourRate / rawRate) * 100).toFixed(1)}% of raw (target >= 50%)`);
  } finally {
    await vhost.dispose();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
