import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../../common/config/env.js';
import { MailTokenSealer } from './mail-token-sealer.js';

const config = (secret: string) => ({ get: () => secret }) as unknown as ConfigService<Env, true>;

describe('MailTokenSealer', () => {
  const token = 'reset-token-0123456789abcdef0123456789abcdef';

  it('round-trips a token without the plain token appearing in the sealed form', () => {
    const sealer = new MailTokenSealer(config('s'.repeat(40)));
    const sealed = sealer.seal(token);
    expect(sealed).not.toContain(token);
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(token);
    expect(sealer.open(sealed)).toBe(token);
  });

  it('cannot be opened under another server secret or after tampering', () => {
    const sealed = new MailTokenSealer(config('a'.repeat(40))).seal(token);
    expect(() => new MailTokenSealer(config('b'.repeat(40))).open(sealed)).toThrow();
    const raw = Buffer.from(sealed, 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => new MailTokenSealer(config('a'.repeat(40))).open(raw.toString('base64url'))).toThrow();
  });
});
