import { InvalidError } from '../errors/app-error.js';

export type CursorValue = string | number | boolean | null;

/** Opaque keyset cursor: base64url of the JSON sort tuple, which always ends with the row id. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, expectedLength: number): CursorValue[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== expectedLength ||
    !parsed.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  ) {
    throw invalidCursor();
  }
  return parsed as CursorValue[];
}

function invalidCursor(): InvalidError {
  return new InvalidError('INVALID_CURSOR', 'The cursor is not one this API issued.', [
    { field: 'cursor', message: 'cursor is malformed' },
  ]);
}
