import { Transform } from 'class-transformer';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { usernameProblem } from './reserved-usernames.js';

/** Lower-cases a string input (handles and emails are case-insensitive); other values pass through for validation. */
export const LowerCase = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

/** A valid, non-reserved handle (identity.md §1): `^[a-z0-9][a-z0-9_-]{2,29}$`, not in RESERVED_USERNAMES. */
export function IsUsername(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateBy(
      {
        name: 'isUsername',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && usernameProblem(value) === null,
          defaultMessage: (args) =>
            typeof args?.value === 'string'
              ? (usernameProblem(args.value) ?? 'username is invalid')
              : 'username must be a string',
        },
      },
      options,
    ),
  );
}
