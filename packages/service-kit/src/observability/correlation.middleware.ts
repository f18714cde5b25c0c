import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import { runWithContext } from '@aftersales/contracts';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_HEADER = 'x-correlation-id';
// Accept what a caller or gateway plausibly sends, reject what could smuggle junk into logs and events.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Runs the rest of the request inside the correlation context, so every log line and every event the
 * request raises carries its correlation id (and W3C traceparent), and echoes the id to the caller.
 */
@Injectable()
export class CorrelationMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const given = req.header(CORRELATION_HEADER);
    const correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
    const traceparent = req.header('traceparent');
    res.setHeader(CORRELATION_HEADER, correlationId);
    runWithContext(
      { correlationId, traceparent: traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined },
      next,
    );
  }
}
