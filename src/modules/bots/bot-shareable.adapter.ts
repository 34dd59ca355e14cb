import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessResourceType } from '../../common/access/access.enums.js';
import type { ResourceCardDto } from '../access/dto/grant-response.dto.js';
import { toUserCard } from '../access/dto/user-card.dto.js';
import type { GrantableResource, ShareableResourceAdapter } from '../access/shareable-resource.registry.js';
import { mediaContentUrl } from '../media/media-url.js';
import { Bot } from './entities/bot.entity.js';

/** Lets /access-grants work on bots (registered by BotsModule). */
@Injectable()
export class BotShareableAdapter implements ShareableResourceAdapter {
  readonly type = AccessResourceType.Bot;
  readonly table = 'bots';
  readonly notFoundCode = 'BOT_NOT_FOUND';

  async load(em: EntityManager, id: string, lock: boolean): Promise<GrantableResource | null> {
    const bot = await em
      .getRepository(Bot)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!bot) return null;
    return {
      resourceType: AccessResourceType.Bot,
      id: bot.id,
      ownerId: bot.ownerId,
      visibility: bot.visibility,
      moderationStatus: bot.moderationStatus,
      shareExpiresAt: bot.shareExpiresAt,
      allowCollaboration: bot.allowCollaboration,
      defaultLevel: bot.defaultCollaboratorLevel,
      maxCollaborators: bot.maxCollaborators,
    };
  }

  async makeShared(em: EntityManager, id: string): Promise<void> {
    await em.query(
      `UPDATE bots SET visibility = 'shared', updated_at = now() WHERE id = $1 AND visibility = 'private'`,
      [id],
    );
  }

  async cards(em: EntityManager, ids: string[]): Promise<Map<string, ResourceCardDto>> {
    const rows: {
      id: string;
      name: string;
      slug: string;
      picture_media_id: string | null;
      owner_id: string;
      username: string;
      avatar_media_id: string | null;
      display_name: string | null;
    }[] = await em.query(
      `SELECT b.id, b.name, b.slug, b.picture_media_id, u.id AS owner_id, u.username, u.avatar_media_id,
              cp.display_name
         FROM bots b JOIN users u ON u.id = b.owner_id LEFT JOIN creator_profiles cp ON cp.user_id = u.id
        WHERE b.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map((r) => [
        r.id,
        {
          id: r.id,
          type: AccessResourceType.Bot,
          name: r.name,
          slug: r.slug,
          picture_url: mediaContentUrl(r.picture_media_id),
          owner: toUserCard({
            id: r.owner_id,
            username: r.username,
            avatarMediaId: r.avatar_media_id,
            profileDisplayName: r.display_name,
          }),
        },
      ]),
    );
  }
}
