import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../common/config/env.js';
import type { MailTemplate } from '../../../common/queue/jobs.js';

export interface MailMessage {
  template: MailTemplate;
  userId: string;
  to: string;
  subject: string;
  text: string;
  /** The single-use token the mail carries (verification, reset, email change), if any. */
  token?: string;
  /** The link built from the token, if any. */
  link?: string;
}

/** Delivers rendered mails. Swap the provider for a real one (SMTP, an email API) without touching producers. */
export abstract class MailTransport {
  abstract send(message: MailMessage): Promise<void>;
}

/**
 * The default transport: delivers nothing and logs only the template and the user id (never the address or the
 * token). Outside production it keeps the last 50 messages in memory, so tests and local development can read
 * the links (`app.get(MailTransport).outbox`).
 */
@Injectable()
export class LogMailTransport extends MailTransport {
  static readonly OUTBOX_SIZE = 50;
  private readonly logger = new Logger(LogMailTransport.name);
  private readonly keep: boolean;
  readonly outbox: MailMessage[] = [];

  constructor(config: ConfigService<Env, true>) {
    super();
    this.keep = config.get('NODE_ENV') !== 'production';
  }

  async send(message: MailMessage): Promise<void> {
    this.logger.log({ msg: 'mail not sent (log transport)', template: message.template, userId: message.userId });
    if (!this.keep) return;
    this.outbox.push(message);
    if (this.outbox.length > LogMailTransport.OUTBOX_SIZE) this.outbox.shift();
  }

  /** The newest message of a template sent to this address, if any. */
  last(to: string, template?: MailTemplate): MailMessage | undefined {
    const address = to.toLowerCase();
    for (let i = this.outbox.length - 1; i >= 0; i -= 1) {
      const m = this.outbox[i];
      if (m.to.toLowerCase() === address && (!template || m.template === template)) return m;
    }
    return undefined;
  }
}
