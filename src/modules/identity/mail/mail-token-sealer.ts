import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Env } from '../../../common/config/env.js';

/**
 * Mail jobs travel through Redis (BullMQ keeps failed jobs), so the one-time token a mail carries is sealed with
 * AES-256-GCM under a key derived from the server secret: the queue never holds a usable reset or verification token.
 */
@Injectable()
export class MailTokenSealer {
  private readonly key: Buffer;

  constructor(config: ConfigService<Env, true>) {
    this.key = createHash('sha256')
      .update(`botcafe:mail-token:${config.get('JWT_SECRET')}`)
      .digest();
  }

  seal(token: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(sealed: string): string {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
