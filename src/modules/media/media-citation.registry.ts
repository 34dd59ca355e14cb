import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { type MediaCitationFacts, NO_CITATIONS } from './media.policy.js';

/**
 * The hook through which other modules widen or narrow access to media (identity.md §2 access table):
 * knowledge registers "can this actor read a knowledge entry citing this document", chat and support register
 * "is this file an attachment" and "can this actor read a message citing it". Register from the module's
 * constructor (`registry.register(resolver)`), as job processors do; media never imports those modules.
 */
export interface MediaCitationResolver {
  /** For logs. */
  readonly name: string;
  /** True when the file is attached to one of this module's messages (chat, support): private whatever its kind. */
  isAttachment?(mediaId: string, manager?: EntityManager): Promise<boolean>;
  /** True when the actor (undefined = anonymous) may read one of this module's resources that cites the file. */
  canReadCiting(actor: Actor | undefined, mediaId: string, manager?: EntityManager): Promise<boolean>;
  /**
   * SQL condition (on the media alias) that keeps this module's attachments out of staff lists of another user's
   * files, e.g. `NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.media_id = m.id)`.
   */
  excludeAttachmentsSql?(alias: string): string;
}

@Injectable()
export class MediaCitationRegistry {
  private readonly resolvers: MediaCitationResolver[] = [];

  register(resolver: MediaCitationResolver): void {
    this.resolvers.push(resolver);
  }

  /**
   * Facts for MediaPolicy; with no resolvers registered (knowledge, chat, support not built yet) both are false.
   * Inside a transaction pass its `manager`: resolvers must query through it (the embedded database has a single
   * connection, so a query outside the open transaction would wait for it forever).
   */
  async factsFor(actor: Actor | undefined, mediaId: string, manager?: EntityManager): Promise<MediaCitationFacts> {
    if (!this.resolvers.length) return NO_CITATIONS;
    let isAttachment = false;
    for (const r of this.resolvers) if (r.isAttachment && (await r.isAttachment(mediaId, manager))) isAttachment = true;
    let readableViaCitation = false;
    for (const r of this.resolvers) {
      if (await r.canReadCiting(actor, mediaId, manager)) {
        readableViaCitation = true;
        break;
      }
    }
    return { isAttachment, readableViaCitation };
  }

  excludeAttachmentsSql(alias: string): string[] {
    return this.resolvers.flatMap((r) => (r.excludeAttachmentsSql ? [r.excludeAttachmentsSql(alias)] : []));
  }
}
