import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import type { z } from 'zod';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/tokens';
import { BranchDirectory } from './branches/branch-directory';
import type { BaseConfig } from './config/base-schema';
import { loadConfig } from './config/config';
import { ProblemDetailsFilter } from './errors/problem.filter';
import { ZodValidationPipe } from './errors/validation';
import { HealthController } from './health/health.controller';
import { ReadinessChecks } from './health/readiness';
import { CorrelationMiddleware } from './observability/correlation.middleware';
import { loggerParams, stdoutDestination } from './observability/logging';
import { createRegistry, HttpMetrics, HttpMetricsMiddleware, MetricsController } from './observability/metrics';
import { CONFIG_ENV, LOG_DESTINATION, SERVICE_CONFIG, SERVICE_NAME } from './tokens';

export interface ServiceKitOptions<S extends z.ZodObject> {
  name: string;
  /** The service's schema, built on `baseConfigSchema(name, …)`. */
  config: S;
}

/**
 * What every service needs, in one import: validated config, logs, metrics, health, auth, problem+json
 * errors, zod validation and the branch directory. Global, so feature modules just inject.
 */
@Global()
@Module({})
export class ServiceKitModule implements NestModule {
  static forRoot<S extends z.ZodObject>({ name, config }: ServiceKitOptions<S>): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        LoggerModule.forRootAsync({
          inject: [SERVICE_CONFIG, LOG_DESTINATION],
          useFactory: (cfg: BaseConfig, destination: DestinationStream) => loggerParams(name, cfg, destination),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_NAME, useValue: name },
        { provide: CONFIG_ENV, useValue: process.env },
        {
          provide: SERVICE_CONFIG,
          inject: [CONFIG_ENV],
          useFactory: (env: NodeJS.ProcessEnv) => loadConfig(config, env, { service: name }),
        },
        { provide: LOG_DESTINATION, useFactory: stdoutDestination },
        { provide: Registry, useFactory: createRegistry },
        HttpMetrics,
        ReadinessChecks,
        {
          provide: BranchDirectory,
          inject: [SERVICE_CONFIG],
          useFactory: (cfg: BaseConfig) => BranchDirectory.fromFile(cfg.BRANCHES_FILE),
        },
        {
          provide: TokenVerifier,
          inject: [SERVICE_CONFIG],
          useFactory: (cfg: BaseConfig) =>
            new TokenVerifier({
              jwksUrl: cfg.AUTH_JWKS_URL,
              devSecret: cfg.AUTH_DEV_SECRET,
              issuer: cfg.AUTH_ISSUER,
              audience: cfg.AUTH_AUDIENCE,
            }),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
      ],
      exports: [
        SERVICE_NAME,
        SERVICE_CONFIG,
        LOG_DESTINATION,
        Registry,
        ReadinessChecks,
        BranchDirectory,
        TokenVerifier,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Correlation first: everything after it, including the metrics and request logs, runs inside it.
    consumer.apply(CorrelationMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
