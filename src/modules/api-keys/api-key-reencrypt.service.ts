import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyEventType } from './api-keys.enums.js';
import { ApiKeyAudit } from './api-key-audit.js';
import type { EncryptionStatusDto } from './dto/admin-api-keys.dto.js';
import { ApiKey } from './entities/api-key.entity.js';
import { SecretCipher, SecretDecryptError } from './secret-cipher.js';

const BATCH = 100;

/**
 * Master-key rotation (api-keys.md §2.1): re-encrypts rows whose encryption_key_id ≠ the active kid, in batches of
 * 100, one row per transaction under SELECT … FOR UPDATE, auditing `re_encrypted` (or `decrypt_failed`). Used by the
 * `api-keys.re-encrypt` job and the `reencrypt-api-keys` CLI. Idempotent: a rerun finds nothing left.
 */
@Injectable()
export class ApiKeyReEncryptService {
  private readonly logger = new Logger(ApiKeyReEncryptService.name);
  lastJob: EncryptionStatusDto['last_job'] = null;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    private readonly audit: ApiKeyAudit,
  ) {}

  async run(jobId = 'cli'): Promise<{ reEncrypted: number; failed: number }> {
    const active = this.cipher.activeKeyId;
    this.lastJob = { job_id: jobId, state: 'running', re_encrypted: 0, failed: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    try {
      for (;;) {
        const ids = (await this.ds.query(
          `SELECT id FROM api_keys WHERE encryption_key_id <> $1 AND id > $2 ORDER BY id LIMIT ${BATCH}`,
          [active, after],
        )) as Array<{ id: string }>;
        if (ids.length === 0) break;
        for (const { id } of ids) {
          after = id;
          const ok = await this.reEncryptOne(id);
          if (ok === true) this.lastJob.re_encrypted += 1;
          else if (ok === false) this.lastJob.failed += 1;
        }
      }
      this.lastJob.state = 'completed';
    } catch (err) {
      this.lastJob.state = 'failed';
      throw err;
    }
    this.logger.log({
      msg: 'api key re-encryption finished',
      jobId,
      reEncrypted: this.lastJob.re_encrypted,
      failed: this.lastJob.failed,
    });
    return { reEncrypted: this.lastJob.re_encrypted, failed: this.lastJob.failed };
  }

  /** true = re-encrypted, false = could not decrypt, null = nothing to do (already active). */
  private reEncryptOne(id: string): Promise<boolean | null> {
    return this.ds.transaction(async (em) => {
      const key = await em
        .getRepository(ApiKey)
        .createQueryBuilder('k')
        .addSelect(['k.secretCiphertext', 'k.secretIv', 'k.secretAuthTag'])
        .setLock('pessimistic_write')
        .where('k.id = :id', { id })
        .getOne();
      if (!key || key.encryptionKeyId === this.cipher.activeKeyId) return null;
      const binding = { apiKeyId: key.id, userId: key.userId };
      let plain: string;
      try {
        plain = this.cipher.decrypt(
          {
            ciphertext: key.secretCiphertext,
            iv: key.secretIv,
            authTag: key.secretAuthTag,
            keyId: key.encryptionKeyId,
          },
          binding,
        );
      } catch (err) {
        if (!(err instanceof SecretDecryptError)) throw err;
        await this.audit.record(em, id, { eventType: ApiKeyEventType.DecryptFailed, errorCode: 'KEY_DECRYPT_FAILED' });
        return false;
      }
      const sealed = this.cipher.encrypt(plain, binding);
      await em
        .getRepository(ApiKey)
        .update(
          { id },
          {
            secretCiphertext: sealed.ciphertext,
            secretIv: sealed.iv,
            secretAuthTag: sealed.authTag,
            encryptionKeyId: sealed.keyId,
          },
        );
      await this.audit.record(em, id, { eventType: ApiKeyEventType.ReEncrypted });
      return true;
    });
  }

  async status(): Promise<EncryptionStatusDto> {
    const rows = (await this.ds.query(
      `SELECT encryption_key_id, count(*)::int AS count FROM api_keys GROUP BY encryption_key_id ORDER BY encryption_key_id`,
    )) as Array<{ encryption_key_id: string; count: number }>;
    const active = this.cipher.activeKeyId;
    return {
      active_key_id: active,
      keys: rows.map((r) => ({ ...r, configured: this.cipher.hasKey(r.encryption_key_id) })),
      pending_rows: rows.filter((r) => r.encryption_key_id !== active).reduce((n, r) => n + r.count, 0),
      last_job: this.lastJob,
    };
  }
}
