import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { AppError } from './app-error.js';
import { ValidationFailedException } from '../validation/validation-failed.exception.js';
import { STATUS_TITLES, problemTypeFor } from './problem-types.js';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  correlation_id?: string;
  instance?: string;
  [extra: string]: unknown;
}

/** Every error leaves as application/problem+json (RFC 9457) with a stable code and the request's correlation id. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (!reply || typeof reply.status !== 'function') throw exception; // not HTTP (a worker): let it propagate
    const { problem, headers } = this.toProblem(exception);
    problem.correlation_id = request?.correlationId;
    problem.instance = request?.url?.split('?')[0];
    if (problem.status >= 500) {
      this.logger.error({ msg: 'unhandled error', err: exception, correlationId: request?.correlationId });
    }
    if (reply.sent || reply.raw.headersSent) return;
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(problem.status).type('application/problem+json').send(problem);
  }

  private toProblem(exception: unknown): { problem: ProblemDocument; headers: Record<string, string> } {
    if (exception instanceof AppError) {
      return {
        problem: this.base(exception.status, exception.code, exception.message, exception.extra),
        headers: exception.headers,
      };
    }
    if (exception instanceof ValidationFailedException) {
      return {
        problem: this.base(400, 'VALIDATION_FAILED', 'The request has invalid or unknown fields.', {
          errors: exception.errors,
        }),
        headers: {},
      };
    }
    if (exception instanceof ThrottlerException) {
      return { problem: this.base(429, 'RATE_LIMITED', 'Too many requests; try again later.'), headers: {} };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const detail =
        typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      return {
        problem: this.base(status, codeForStatus(status), Array.isArray(detail) ? detail.join('; ') : String(detail)),
        headers: {},
      };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      // Fastify's own client errors: body too large, bad JSON, wrong content type, multipart limits.
      return {
        problem: this.base(fastifyError.statusCode, codeForStatus(fastifyError.statusCode), fastifyError.message),
        headers: {},
      };
    }
    if (exception instanceof QueryFailedError) {
      const pgCode = (exception as QueryFailedError & { code?: string }).code;
      if (pgCode === '22P02' || pgCode === '22001' || pgCode === '23514') {
        return { problem: this.base(400, 'INVALID_VALUE', 'A value is out of range or malformed.'), headers: {} };
      }
      if (pgCode === '23505') {
        return { problem: this.base(409, 'CONFLICT', 'A resource with these values already exists.'), headers: {} };
      }
    }
    return { problem: this.base(500, 'INTERNAL_ERROR', 'Something went wrong on our side.'), headers: {} };
  }

  private base(status: number, code: string, detail?: string, extra: Record<string, unknown> = {}): ProblemDocument {
    return {
      type: problemTypeFor(code),
      title: STATUS_TITLES[status] ?? HttpStatus[status] ?? 'Error',
      status,
      detail,
      code,
      ...extra,
    };
  }
}

function codeForStatus(status: number): string {
  const byStatus: Record<number, string> = {
    400: 'BAD_REQUEST',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    406: 'NOT_ACCEPTABLE',
    409: 'CONFLICT',
    413: 'PAYLOAD_TOO_LARGE',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    422: 'UNPROCESSABLE',
    429: 'RATE_LIMITED',
  };
  return byStatus[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
}
