import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConflictError, NotFoundError } from '../../common/errors/app-error.js';
import { ApiKeyEventType, type ApiKeyUsePurpose } from './api-keys.enums.js';
import { ApiKeyAudit } from './api-key-audit.js';
import { ApiKey } from './entities/api-key.entity.js';
import { SecretCipher, SecretDecryptError } from './secret-cipher.js';

/**
 * The only place a secret is decrypted (api-keys.md §2.1): immediately before an upstream call, for the owner's own
 * request. The plaintext lives in `fn`'s scope only; failures audit `decrypt_failed` and surface as
 * KEY_DECRYPT_FAILED without details.
 */
@Injectable()
export class ApiKeySecretService {
  private readonly logger = new Logger(ApiKeySecretService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    private readonly audit: ApiKeyAudit,
  ) {}

  async withSecret<T>(
    apiKeyId: string,
    callerId: string,
    purpose: ApiKeyUsePurpose,
    fn: (secret: string, key: ApiKey) => Promise<T>,
  ): Promise<T> {
    const key = await this.ds
      .getRepository(ApiKey)
      .createQueryBuilder('k')
      .addSelect(['k.secretCiphertext', 'k.secretIv', 'k.secretAuthTag'])
      .where('k.id = :id', { id: apiKeyId })
      .getOne();
    if (!key || key.userId !== callerId) throw new NotFoundError('API_KEY_NOT_FOUND');
    let secret: string;
    try {
      secret = this.cipher.decrypt(
        { ciphertext: key.secretCiphertext, iv: key.secretIv, authTag: key.secretAuthTag, keyId: key.encryptionKeyId },
        { apiKeyId: key.id, userId: key.userId },
      );
    } catch (err) {
      if (!(err instanceof SecretDecryptError)) throw err;
      await this.ds.transaction((em) =>
        this.audit.record(em, key.id, {
          eventType: ApiKeyEventType.DecryptFailed,
          purpose,
          errorCode: 'KEY_DECRYPT_FAILED',
        }),
      );
      this.logger.warn({ msg: 'api key secret could not be decrypted', apiKeyId: key.id, reason: err.reason });
      throw new ConflictError('KEY_DECRYPT_FAILED', 'The key could not be decrypted; replace its secret.');
    }
    // Never let the ciphertext travel further with the entity either.
    key.secretCiphertext = key.secretIv = key.secretAuthTag = Buffer.alloc(0);
    return fn(secret, key);
  }
}
