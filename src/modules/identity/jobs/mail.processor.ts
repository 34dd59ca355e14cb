import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { Env } from '../../../common/config/env.js';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import type { JobPayloads, MailTemplate } from '../../../common/queue/jobs.js';
import { AuthToken } from '../entities/auth-token.entity.js';
import { User } from '../entities/user.entity.js';
import { type MailMessage, MailTransport } from '../mail/mail-transport.js';
import { MailTokenSealer } from '../mail/mail-token-sealer.js';
import { sha256Hex } from '../tokens.js';

const SUBJECTS: Record<MailTemplate, string> = {
  welcome: 'Welcome to BotCafé',
  email_verification: 'Confirm your email address',
  password_reset: 'Reset your BotCafé password',
  email_change: 'Confirm your new email address',
};

const PATHS: Partial<Record<MailTemplate, string>> = {
  email_verification: '/verify-email',
  password_reset: '/reset-password',
  email_change: '/verify-email',
};

/** The `mail` queue: renders and hands mails to the MailTransport. Payloads carry the user id, never the address. */
@Injectable()
export class MailProcessor implements JobProcessor<'mail'> {
  readonly queue = 'mail' as const;
  private readonly logger = new Logger(MailProcessor.name);

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AuthToken) private readonly authTokens: Repository<AuthToken>,
    private readonly transport: MailTransport,
    private readonly config: ConfigService<Env, true>,
    private readonly sealer: MailTokenSealer,
  ) {}

  async handle(job: QueueJob<'mail'>): Promise<void> {
    switch (job.name) {
      case 'mail.send':
        return this.send(job.payload);
      default: {
        const unknown: never = job.name;
        throw new Error(`Unknown mail job ${String(unknown)}`);
      }
    }
  }

  private async send(payload: JobPayloads['mail.send']): Promise<void> {
    const token = payload.sealed_token ? this.sealer.open(payload.sealed_token) : undefined;
    const user = await this.users.findOne({
      where: { id: payload.to_user_id },
      select: { id: true, email: true, username: true },
    });
    if (!user) {
      this.logger.log({ msg: 'mail skipped: user gone', template: payload.template, userId: payload.to_user_id });
      return;
    }
    let to = user.email;
    if (payload.template === 'email_change') {
      // The link goes to the new address, which only the token's row knows.
      const row = token
        ? await this.authTokens.findOne({ where: { tokenHash: sha256Hex(token) }, select: { newEmail: true } })
        : null;
      if (!row?.newEmail) {
        this.logger.log({ msg: 'mail skipped: token gone', template: payload.template, userId: user.id });
        return;
      }
      to = row.newEmail;
    }
    const path = PATHS[payload.template];
    const link =
      path && token ? `${this.config.get('PUBLIC_BASE_URL')}${path}?token=${encodeURIComponent(token)}` : undefined;
    const message: MailMessage = {
      template: payload.template,
      userId: user.id,
      to,
      subject: SUBJECTS[payload.template],
      text: render(payload.template, user.username, link),
      token: token,
      link,
    };
    await this.transport.send(message);
  }
}

function render(template: MailTemplate, username: string, link?: string): string {
  switch (template) {
    case 'welcome':
      return `Hi ${username}, welcome to BotCafé!`;
    case 'email_verification':
      return `Hi ${username}, confirm your email address: ${link} (valid for 24 hours).`;
    case 'password_reset':
      return `Hi ${username}, reset your password: ${link} (valid for 1 hour). If you did not ask, ignore this mail.`;
    case 'email_change':
      return `Hi ${username}, confirm your new email address: ${link} (valid for 24 hours).`;
  }
}
