import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

const HOW_TO =
  'Set MONGO_URL (a MongoDB >= 6 or FerretDB 1.24 URL) and AMQP_URL (RabbitMQ >= 3.10), ' +
  'or run where Docker is available (testcontainers), or where Go + PostgreSQL can run FerretDB (infra/ferretdb.sh).';

export function tcpReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function dockerAvailable(): boolean {
  if (!existsSync('/var/run/docker.sock') && !process.env.DOCKER_HOST) return false;
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves MONGO_URL and AMQP_URL for the test run, in this order:
 *  1. the variables as given (a real MongoDB / RabbitMQ always wins);
 *  2. testcontainers (MongoDB 7 replica set, RabbitMQ 4) where a Docker engine answers;
 *  3. this machine's own services: FerretDB built and started by infra/ferretdb.sh on the local
 *     PostgreSQL, RabbitMQ on 127.0.0.1:5672 with a vhost per test file;
 * and otherwise fails saying what to set — never skips.
 */
export async function ensureInfrastructure(): Promise<void> {
  const docker = !(process.env.MONGO_URL && process.env.AMQP_URL) && dockerAvailable();
  if (docker) {
    await startContainers();
    return;
  }
  if (!process.env.MONGO_URL) {
    try {
      process.env.MONGO_URL = execFileSync('bash', [path.join(ROOT, 'infra/ferretdb.sh')], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }).trim();
    } catch {
      throw new Error(`No MongoDB-compatible store: infra/ferretdb.sh failed. ${HOW_TO}`);
    }
  }
  if (!process.env.AMQP_URL) {
    if (!(await tcpReachable('127.0.0.1', 5672))) throw new Error(`No RabbitMQ on 127.0.0.1:5672. ${HOW_TO}`);
    // Each test file gets its own vhost (see broker.ts), so parallel files never see each other's messages.
    process.env.AFTERSALES_TEST_VHOSTS = '1';
    process.env.AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
  }
}

async function startContainers(): Promise<void> {
  // Loaded only where Docker exists, so machines without it don't pay for it.
  const { MongoDBContainer } = await import('@testcontainers/mongodb');
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  if (!process.env.MONGO_URL) {
    const mongo = await new MongoDBContainer('mongo:7').start();
    process.env.MONGO_URL = `${mongo.getConnectionString()}/?directConnection=true`;
  }
  if (!process.env.AMQP_URL) {
    const rabbit = await new RabbitMQContainer('rabbitmq:4-management').start();
    process.env.AMQP_URL = rabbit.getAmqpUrl();
  }
}
