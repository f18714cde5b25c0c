import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream } from 'pino';
import type { BaseConfig } from '../config/base-schema';
import { contextLogFields } from './context-fields';

const QUIET_PATHS = /^\/(health\/|metrics$)/;

/**
 * JSON logs, one line per event, with the service name and the correlation context mixed into every
 * line (request handlers and event consumers alike), string levels for log pipelines, and secrets redacted.
 */
export function loggerParams(service: string, config: BaseConfig, destination: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level: config.LOG_LEVEL,
        base: { service },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        mixin: contextLogFields,
        // The request logger carries only the request id, not the whole request, on every line.
        quietReqLogger: true,
        autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
        customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
          err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
        redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      },
      destination,
    ],
  };
}

export const stdoutDestination = (): DestinationStream => pino.destination(1);
