import { DEFAULT_JWT_SECRET, validateEnv } from './env.js';

describe('validateEnv', () => {
  it('applies defaults for an empty environment', () => {
    const env = validateEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATABASE_POOL_SIZE).toBe(10);
    expect(env.CORS_ORIGINS).toEqual([]);
  });

  it('parses numbers, booleans and lists from strings', () => {
    const env = validateEnv({
      PORT: '8080',
      RATE_LIMIT_ENABLED: 'false',
      CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(env.PORT).toBe(8080);
    expect(env.RATE_LIMIT_ENABLED).toBe(false);
    expect(env.CORS_ORIGINS).toEqual(['https://a.example', 'https://b.example']);
  });

  it('lists every bad variable at once', () => {
    expect(() => validateEnv({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*JWT_SECRET|PORT[\s\S]*JWT_SECRET[\s\S]*DATABASE_URL/,
    );
    try {
      validateEnv({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short' });
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'JWT_SECRET']) expect(message).toContain(name);
    }
  });

  it('refuses production with the public default JWT secret or without the key-encryption master key', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET[\s\S]*KEY_ENCRYPTION_MASTER_KEY/);
    expect(() =>
      validateEnv({
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(40),
        KEY_ENCRYPTION_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      }),
    ).not.toThrow();
    expect(DEFAULT_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
  });
});
