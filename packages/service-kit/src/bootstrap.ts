import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import type { BaseConfig } from './config/base-schema';
import { setupOpenApi } from './openapi';
import { SERVICE_CONFIG, SERVICE_NAME } from './tokens';

export interface GrpcServerOptions {
  /** Proto package(s) served, e.g. "billing.v1". */
  package: string | string[];
  protoPath: string | string[];
  /** @grpc/proto-loader options, e.g. `{ includeDirs: [protoRoot], keepCase: false }`. */
  loader?: Record<string, unknown>;
}

export interface BootstrapOptions {
  name: string;
  grpc?: GrpcServerOptions;
}

/**
 * The app-level wiring that is not a module concern: the pino logger for Nest's own logs and the
 * OpenAPI document. Shared by bootstrapService and createTestApp so tests run what production runs
 * (guard, filter, pipe and middleware come from ServiceKitModule itself).
 */
export function configureApp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.getHttpAdapter().getInstance().disable?.('x-powered-by'); // don't advertise the framework
  setupOpenApi(app, app.get<string>(SERVICE_NAME));
}

/** Serves the service's gRPC API from the same app, so guard, filter and pipe apply to it as well. */
export async function startGrpc(app: INestApplication, grpc: GrpcServerOptions, url: string): Promise<void> {
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.GRPC, options: { ...grpc, url } },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
}

/** main.ts of every service: `void bootstrapService(AppModule, { name: 'billing', grpc: {...} })`. */
export async function bootstrapService(appModule: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  try {
    // abortOnError: false, so a failed start-up exits with a message and code 1 rather than a core dump.
    const app = await NestFactory.create(appModule, { bufferLogs: true, abortOnError: false });
    configureApp(app);
    app.enableShutdownHooks(); // SIGTERM → close HTTP, gRPC, Mongo, broker cleanly (Kubernetes rollouts)
    const config = app.get<BaseConfig>(SERVICE_CONFIG);
    const logger = app.get(Logger);
    if (options.grpc) {
      if (config.GRPC_PORT === undefined) throw new Error(`GRPC_PORT must be set: ${options.name} serves gRPC`);
      await startGrpc(app, options.grpc, `0.0.0.0:${config.GRPC_PORT}`);
    }
    await app.listen(config.PORT, '0.0.0.0');
    const http = await app.getUrl();
    logger.log(
      `${options.name} listening on ${http} (docs ${http}/docs, metrics ${http}/metrics)` +
        (options.grpc ? `, gRPC on 0.0.0.0:${config.GRPC_PORT}` : ''),
      'Bootstrap',
    );
    return app;
  } catch (err) {
    process.stderr.write(`${options.name}: start-up failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  }
}
