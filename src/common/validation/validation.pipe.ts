import { ValidationPipe } from '@nestjs/common';
import { ValidationFailedException } from './validation-failed.exception.js';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => ValidationFailedException.fromValidationErrors(errors),
  });
}
