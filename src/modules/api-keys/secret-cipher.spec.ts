import { randomBytes, randomUUID } from 'node:crypto';
import { NodeEnv } from '../../common/config/env.js';
import { SecretCipher, SecretDecryptError } from './secret-cipher.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const base = {
  NODE_ENV: NodeEnv.Test,
  KEY_ENCRYPTION_PREVIOUS_KEYS: [] as string[],
  API_KEY_FINGERPRINT_SECRET: undefined,
};

describe('SecretCipher', () => {
  const binding = { apiKeyId: randomUUID(), userId: randomUUID() };

  it('round-trips and never contains the plaintext', () => {
    const c = new SecretCipher({ ...base, KEY_ENCRYPTION_MASTER_KEY: k1, KEY_ENCRYPTION_KEY_ID: 'k1' });
    const sealed = c.encrypt('sk-test-secret-abcd1234', binding);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.ciphertext.toString('utf8')).not.toContain('sk-test');
    expect(c.decrypt(sealed, binding)).toBe('sk-test-secret-abcd1234');
  });

  it('fails on another row or owner (AAD binding) and on an unknown kid', () => {
    const c = new SecretCipher({ ...base, KEY_ENCRYPTION_MASTER_KEY: k1, KEY_ENCRYPTION_KEY_ID: 'k1' });
    const sealed = c.encrypt('sk-test-secret-abcd1234', binding);
    expect(() => c.decrypt(sealed, { ...binding, apiKeyId: randomUUID() })).toThrow(SecretDecryptError);
    expect(() => c.decrypt(sealed, { ...binding, userId: randomUUID() })).toThrow(SecretDecryptError);
    expect(() => c.decrypt({ ...sealed, keyId: 'nope' }, binding)).toThrow(SecretDecryptError);
  });

  it('decrypts old rows with a previous key after rotation', () => {
    const old = new SecretCipher({ ...base, KEY_ENCRYPTION_MASTER_KEY: k1, KEY_ENCRYPTION_KEY_ID: 'k1' });
    const sealed = old.encrypt('secret-value-1234', binding);
    const rotated = new SecretCipher({
      ...base,
      KEY_ENCRYPTION_MASTER_KEY: k2,
      KEY_ENCRYPTION_KEY_ID: 'k2',
      KEY_ENCRYPTION_PREVIOUS_KEYS: [`k1:${k1}`],
    });
    expect(rotated.decrypt(sealed, binding)).toBe('secret-value-1234');
    expect(rotated.encrypt('x'.repeat(10), binding).keyId).toBe('k2');
  });

  it('derives a stable development key when none is configured, but never in production', () => {
    const a = new SecretCipher({ ...base, KEY_ENCRYPTION_MASTER_KEY: undefined, KEY_ENCRYPTION_KEY_ID: 'k1' });
    const b = new SecretCipher({ ...base, KEY_ENCRYPTION_MASTER_KEY: undefined, KEY_ENCRYPTION_KEY_ID: 'k1' });
    expect(b.decrypt(a.encrypt('dev-secret-123', binding), binding)).toBe('dev-secret-123');
    expect(
      () =>
        new SecretCipher({
          ...base,
          NODE_ENV: NodeEnv.Production,
          KEY_ENCRYPTION_MASTER_KEY: undefined,
          KEY_ENCRYPTION_KEY_ID: 'k1',
        }),
    ).toThrow(/required in production/);
  });
});
