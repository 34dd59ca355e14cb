import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Env } from '../config/env.js';

/** Paths pino blanks in every log line: credentials, tokens, keys, and bodies that may carry private text. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.current_password',
  '*.access_token',
  '*.refresh_token',
  '*.token',
  '*.api_key',
  '*.key',
  '*.secret',
  'body',
  'req.body',
];

/** Where log lines go: stdout unless a test installs a capturing stream before building the app. */
export const logSink: { stream?: Writable } = {};

@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): Params => ({
        pinoHttp: [
          {
            level: config.get('LOG_LEVEL'),
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            genReqId: (req: IncomingMessage) => String(req.id ?? 'unknown'),
            customProps: (req: IncomingMessage) => ({ correlationId: req.id }),
            autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
            serializers: {
              req: (req: { id: string; method: string; url?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url?.split('?')[0],
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          logSink.stream ?? process.stdout,
        ] as Params['pinoHttp'],
      }),
    }),
  ],
})
export class LoggingModule {}
