/**
 * Errors services throw. They carry an HTTP status and a stable UPPER_SNAKE code but no HTTP types, so workers can
 * run the same services. The global filter turns them into RFC 9457 problem documents.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? code);
    this.name = new.target.name;
  }
}

export class InvalidError extends AppError {
  constructor(code: string, detail?: string, errors?: { field: string; message: string }[]) {
    super(400, code, detail, errors ? { errors } : {});
  }
}
export class UnauthorizedError extends AppError {
  constructor(code = 'UNAUTHORIZED', detail = 'Authentication is required.') {
    super(401, code, detail);
  }
}
export class ForbiddenError extends AppError {
  constructor(code = 'FORBIDDEN', detail = 'You are not allowed to do this.', extra: Record<string, unknown> = {}) {
    super(403, code, detail, extra);
  }
}
export class NotFoundError extends AppError {
  constructor(code = 'NOT_FOUND', detail = 'The resource does not exist or is not visible to you.') {
    super(404, code, detail);
  }
}
export class ConflictError extends AppError {
  constructor(code: string, detail?: string, extra: Record<string, unknown> = {}) {
    super(409, code, detail, extra);
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(code = 'PAYLOAD_TOO_LARGE', detail?: string) {
    super(413, code, detail);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(code = 'UNSUPPORTED_MEDIA_TYPE', detail?: string) {
    super(415, code, detail);
  }
}
export class UnprocessableError extends AppError {
  constructor(code: string, detail?: string, errors?: { field: string; message: string }[]) {
    super(422, code, detail, errors ? { errors } : {});
  }
}
export class TooManyRequestsError extends AppError {
  constructor(code: string, retryAfterSeconds: number, detail?: string, extra: Record<string, unknown> = {}) {
    super(
      429,
      code,
      detail,
      { retry_after: retryAfterSeconds, ...extra },
      { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    );
  }
}
