import { AppError } from '../errors/app-error.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('keyset cursor codec', () => {
  it('round-trips a sort tuple ending in an id', () => {
    const tuple = ['2026-01-01T00:00:00.000Z', 42, 'a1b2c3d4-0000-4000-8000-000000000000'];
    expect(decodeCursor(encodeCursor(tuple), 3)).toEqual(tuple);
  });

  it('is opaque url-safe text', () => {
    expect(encodeCursor(['x/y+z', 1])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not a cursor!!'],
    ['wrong length', encodeCursor(['a', 'b'])],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['nested value', Buffer.from('[[1],"id"]').toString('base64url')],
  ])('rejects %s with 400 INVALID_CURSOR', (_label, cursor) => {
    try {
      decodeCursor(cursor, 3);
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).code).toBe('INVALID_CURSOR');
    }
  });
});
