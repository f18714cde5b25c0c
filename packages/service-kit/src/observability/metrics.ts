import { Controller, Get, Inject, Injectable, NestMiddleware, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { Public } from '../auth/decorators';
import { SERVICE_NAME } from '../tokens';

/** `call-intake` → `call_intake`: Prometheus names allow no dashes. */
export const metricPrefix = (service: string): string => service.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * One registry per application instance, never prom-client's global one: several apps can then run in
 * one process (tests) without "metric already registered" clashes. Inject `Registry` to add metrics.
 */
export function createRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(registry: Registry, @Inject(SERVICE_NAME) service: string) {
    this.duration = new Histogram({
      name: `${metricPrefix(service)}_http_request_duration_seconds`,
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }
}

/** Times every request; a middleware (not an interceptor) so 401/403/404 answers are counted too. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: HttpMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.duration.startTimer();
    res.once('finish', () => {
      // The route pattern (/calls/:id), never the raw URL: ids in labels would explode the series count.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ method: req.method, route: String(route), status: String(res.statusCode) });
    });
    next();
  }
}

@Public()
@ApiExcludeController()
@Controller()
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get('metrics')
  async metrics(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.registry.contentType);
    return this.registry.metrics();
  }
}
