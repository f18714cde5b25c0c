import type { INestApplication, Type } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { createServer } from 'node:net';
import { configureApp, startGrpc, type GrpcServerOptions } from './bootstrap';
import { CONFIG_ENV, LOG_DESTINATION } from './tokens';

/**
 * Collects the app's JSON log lines so tests can assert on them. Lines logged inside a request are
 * always this app's; lines logged outside one (start-up, background work) go through Nest's and
 * nestjs-pino's process-wide loggers, i.e. to whichever app was initialised first or last when a test
 * runs several apps in one process. Assert on those through the app's behaviour instead.
 */
export class LogCapture {
  private buffer = '';

  write(chunk: string): boolean {
    this.buffer += chunk;
    return true;
  }

  lines(): Array<Record<string, unknown>> {
    return this.buffer
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export interface TestAppOptions {
  /** Merged over process.env for this app only (several apps may run in one test process). */
  env?: Record<string, string | undefined>;
  /** Replace providers, e.g. `(b) => b.overrideProvider(Clock).useValue(fixedClock)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** Also serve the service's gRPC API, on a free port (see `grpcUrl`). */
  grpc?: GrpcServerOptions;
}

export interface TestApp {
  app: INestApplication;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** host:port of the gRPC server, when `grpc` was given. */
  grpcUrl?: string;
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Boots a service's real AppModule on a random port with the same wiring as production
 * (configureApp), its config read from process.env + `env`, and its logs captured.
 */
export async function createTestApp(appModule: Type<unknown>, options: TestAppOptions = {}): Promise<TestApp> {
  // Loaded here, not at the top, so production code importing the kit never loads the testing package.
  const { Test } = require('@nestjs/testing') as typeof import('@nestjs/testing');
  const logs = new LogCapture();
  let builder = Test.createTestingModule({ imports: [appModule] })
    .overrideProvider(CONFIG_ENV)
    .useValue({ ...process.env, ...options.env })
    .overrideProvider(LOG_DESTINATION)
    .useValue(logs);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  configureApp(app);
  const grpcUrl = options.grpc ? `127.0.0.1:${await freePort()}` : undefined;
  if (options.grpc && grpcUrl) await startGrpc(app, options.grpc, grpcUrl);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, url, grpcUrl, logs, close: () => app.close() };
}

/** Nest's gRPC server does not report the port it bound, so pick a free one first. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
