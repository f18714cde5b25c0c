import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestBroker {
  url: string;
  vhost: string;
  /** Closes every connection of the vhost, as a network failure or broker restart would. */
  killConnections(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A RabbitMQ vhost of this test file's own, so parallel test files and earlier runs on the shared broker
 * never see each other's exchanges, queues or messages. Needs `rabbitmqctl` (the machine's broker); with
 * an AMQP_URL given from outside, that URL is used as it is.
 */
export async function testBroker(): Promise<TestBroker> {
  const base = process.env.AMQP_URL;
  if (!base) throw new Error('AMQP_URL is not set: run the tests through jest (global setup sets it)');
  if (!process.env.AFTERSALES_TEST_VHOSTS) {
    return { url: base, vhost: '/', killConnections: () => closeConnections('/'), dispose: async () => {} };
  }
  const vhost = `test-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', vhost]);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  return {
    url: `${base.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`,
    vhost,
    killConnections: () => closeConnections(vhost),
    dispose: async () => void (await run('rabbitmqctl', ['-q', 'delete_vhost', vhost])),
  };
}

async function closeConnections(vhost: string): Promise<void> {
  const { stdout } = await run('rabbitmqctl', ['-q', 'list_connections', '-p', vhost, 'pid', '--no-table-headers']);
  const pids = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const pid of pids) await run('rabbitmqctl', ['-q', 'close_connection', pid, 'test: connection killed']);
}

/** Counts messages ready in a queue of the vhost (rabbitmqctl, so no client state is involved). */
export async function queueDepth(vhost: string, queue: string): Promise<number> {
  const { stdout } = await run('rabbitmqctl', [
    '-q',
    'list_queues',
    '-p',
    vhost,
    'name',
    'messages_ready',
    '--no-table-headers',
  ]);
  const line = stdout.split('\n').find((l) => l.split('\t')[0] === queue);
  return line ? Number(line.split('\t')[1]) : 0;
}
