import { status as GrpcStatus } from '@grpc/grpc-js';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { currentContext } from '@aftersales/contracts';
import type { Request, Response } from 'express';
import { throwError } from 'rxjs';
import { DomainError, ValidationError, type FieldError } from './domain-errors';

/** RFC 9457 problem details; `errors` lists the bad fields of a 400. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  correlationId?: string;
  errors?: FieldError[];
}

const GRPC_CODE: Record<number, GrpcStatus> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  401: GrpcStatus.UNAUTHENTICATED,
  403: GrpcStatus.PERMISSION_DENIED,
  404: GrpcStatus.NOT_FOUND,
  409: GrpcStatus.FAILED_PRECONDITION,
  503: GrpcStatus.UNAVAILABLE,
};

/**
 * The one place errors become responses. Domain errors and Nest's HTTP exceptions keep their meaning;
 * anything else is a bug: logged with its stack, answered 500 without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost) {
    const problem = this.toProblem(exception);
    if (host.getType() === 'rpc') {
      // gRPC callers get the matching status code instead of UNKNOWN.
      return throwError(() => ({ code: GRPC_CODE[problem.status] ?? GrpcStatus.INTERNAL, message: problem.detail }));
    }
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    problem.instance = req.originalUrl;
    if (res.headersSent) return; // a streaming response failed half-way: nothing sensible left to send
    res.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): Problem {
    const correlationId = currentContext()?.correlationId;
    if (exception instanceof DomainError) {
      return {
        type: `urn:aftersales:problem:${exception.code}`,
        title: titleOf(exception.status),
        status: exception.status,
        detail: exception.message,
        correlationId,
        ...(exception instanceof ValidationError ? { errors: exception.errors } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) this.logger.error(exception.message, exception.stack);
      return { type: 'about:blank', title: titleOf(status), status, detail: detailOf(exception), correlationId };
    }
    // Errors of the HTTP layer below Nest (body-parser: too large, malformed) carry their 4xx status and
    // `expose: true`: the client's fault, answered as such.
    const http = exception as { status?: unknown; expose?: unknown; message?: unknown };
    if (typeof http.status === 'number' && http.status >= 400 && http.status < 500 && http.expose === true) {
      const detail = typeof http.message === 'string' ? http.message : titleOf(http.status);
      return { type: 'about:blank', title: titleOf(http.status), status: http.status, detail, correlationId };
    }
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`unhandled ${err.name}: ${err.message}`, err.stack);
    return {
      type: 'about:blank',
      title: titleOf(500),
      status: 500,
      detail: 'An unexpected error occurred. Quote the correlation id when reporting it.',
      correlationId,
    };
  }
}

/** 404 → "Not Found", from Nest's HttpStatus enum name. */
function titleOf(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name
    ? name.toLowerCase().replace(/(^|_)(\w)/g, (_, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase())
    : 'Error';
}

function detailOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
}
