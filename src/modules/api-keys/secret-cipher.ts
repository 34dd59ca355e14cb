import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { type Env, NodeEnv } from '../../common/config/env.js';

export interface SealedSecret {
  ciphertext: Buffer;
  iv: Buffer;
  authTag: Buffer;
  keyId: string;
}

/** Binds a ciphertext to its row and owner (api-keys.md §2.1): a ciphertext copied into another row fails. */
export interface SecretBinding {
  apiKeyId: string;
  userId: string;
}

export class SecretDecryptError extends Error {
  constructor(readonly reason: 'unknown_kid' | 'bad_tag') {
    super(`API key secret could not be decrypted (${reason})`);
    this.name = 'SecretDecryptError';
  }
}

const DEV_KEY_LABEL = 'botcafe-development-only-api-key-master-key';

/**
 * AES-256-GCM under a keyring of master keys (kid → 32 bytes). Encrypts with the active kid; decrypts with whichever
 * kid the row names. Built from configuration only (KEY_ENCRYPTION_MASTER_KEY / KEY_ENCRYPTION_KEY_ID /
 * KEY_ENCRYPTION_PREVIOUS_KEYS); outside production an unset master key becomes a fixed, loudly logged development
 * key so local data survives restarts (production refuses to boot without one: env.ts).
 */
export class SecretCipher {
  private static warned = false;
  readonly activeKeyId: string;
  private readonly keys = new Map<string, Buffer>();
  private readonly fingerprintKey: Buffer;

  constructor(
    env: Pick<
      Env,
      | 'NODE_ENV'
      | 'KEY_ENCRYPTION_MASTER_KEY'
      | 'KEY_ENCRYPTION_KEY_ID'
      | 'KEY_ENCRYPTION_PREVIOUS_KEYS'
      | 'API_KEY_FINGERPRINT_SECRET'
    >,
  ) {
    this.activeKeyId = env.KEY_ENCRYPTION_KEY_ID;
    for (const entry of env.KEY_ENCRYPTION_PREVIOUS_KEYS ?? []) {
      const [kid, b64] = entry.split(':');
      this.keys.set(kid, Buffer.from(b64, 'base64'));
    }
    let active: Buffer;
    if (env.KEY_ENCRYPTION_MASTER_KEY) active = Buffer.from(env.KEY_ENCRYPTION_MASTER_KEY, 'base64');
    else {
      if (env.NODE_ENV === NodeEnv.Production) throw new Error('KEY_ENCRYPTION_MASTER_KEY is required in production');
      active = createHash('sha256').update(DEV_KEY_LABEL).digest();
      if (!SecretCipher.warned) {
        SecretCipher.warned = true;
        new Logger(SecretCipher.name).warn({
          msg: 'KEY_ENCRYPTION_MASTER_KEY is unset: using the public DEVELOPMENT key for API key encryption. Never use this outside development/test.',
          keyId: this.activeKeyId,
        });
      }
    }
    if (active.length !== 32) throw new Error('KEY_ENCRYPTION_MASTER_KEY must be 32 bytes');
    this.keys.set(this.activeKeyId, active);
    this.fingerprintKey = env.API_KEY_FINGERPRINT_SECRET
      ? Buffer.from(env.API_KEY_FINGERPRINT_SECRET, 'utf8')
      : Buffer.from(hkdfSync('sha256', active, Buffer.alloc(0), 'botcafe:api_key:fingerprint:v1', 32));
  }

  hasKey(kid: string): boolean {
    return this.keys.has(kid);
  }

  encrypt(plaintext: string, binding: SecretBinding): SealedSecret {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.activeKeyId)!, iv, { authTagLength: 16 });
    cipher.setAAD(aad(binding));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag(), keyId: this.activeKeyId };
  }

  decrypt(sealed: SealedSecret, binding: SecretBinding): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new SecretDecryptError('unknown_kid');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: 16 });
      decipher.setAAD(aad(binding));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError('bad_tag');
    }
  }

  /** Hex HMAC-SHA256 of the secret: detects duplicates without storing anything reversible. */
  fingerprint(secret: string): string {
    return createHmac('sha256', this.fingerprintKey).update(secret, 'utf8').digest('hex');
  }
}

function aad({ apiKeyId, userId }: SecretBinding): Buffer {
  return Buffer.from(`botcafe:api_key:v1:${apiKeyId}:${userId}`, 'utf8');
}

/** `••••abcd`: the only form of a secret the API ever shows. */
export function maskHint(hint: string): string {
  return `••••${hint}`;
}
