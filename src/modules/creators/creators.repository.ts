import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ModerationStatus, ResourceVisibility } from '../../common/access/access.enums.js';
import { UserRole } from '../../common/auth/actor.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { User } from '../identity/entities/user.entity.js';
import { mediaContentUrl } from '../media/media-url.js';
import type { FeaturedBotCardDto } from './dto/creator-profile-response.dto.js';
import { CreatorFeaturedBot } from './entities/creator-featured-bot.entity.js';

/**
 * The creators module's queries that read or write other modules' tables. Entities are imported only to build
 * queries (STYLE.md allows an entity import for relations and queries); nothing here loads another module's
 * repository. Identity owns users.role, bots owns bots: these are the narrow reads and the one role write that
 * creators.md and identity.md ask of this module.
 */
@Injectable()
export class CreatorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** identity.md §1.5: creating a profile promotes user → creator and never demotes a higher role. */
  async promoteToCreator(em: EntityManager, userId: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({ role: UserRole.Creator })
      .where('id = :userId AND role = :role', { userId, role: UserRole.User })
      .execute();
  }

  /** Deleting the profile demotes creator → user (moderators and admins keep their role). */
  async demoteToUser(em: EntityManager, userId: string): Promise<void> {
    await em
      .createQueryBuilder()
      .update(User)
      .set({ role: UserRole.User })
      .where('id = :userId AND role = :role', { userId, role: UserRole.Creator })
      .execute();
  }

  /** How many public bots a user owns (the value of public_bot_count at profile creation). */
  async countPublicBots(em: EntityManager, userId: string): Promise<number> {
    return em
      .getRepository(Bot)
      .createQueryBuilder('b')
      .where('b.owner_id = :userId AND b.visibility = :public', { userId, public: ResourceVisibility.Public })
      .getCount();
  }

  /** The subset of `botIds` that are `userId`'s public, visible bots. */
  async ownPublicBotIds(em: EntityManager, userId: string, botIds: string[]): Promise<Set<string>> {
    if (!botIds.length) return new Set();
    const rows = await em
      .getRepository(Bot)
      .createQueryBuilder('b')
      .select('b.id', 'id')
      .where('b.id IN (:...botIds) AND b.owner_id = :userId', { botIds, userId })
      .andWhere('b.visibility = :public AND b.moderation_status = :visible', {
        public: ResourceVisibility.Public,
        visible: ModerationStatus.Visible,
      })
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => r.id));
  }

  /**
   * The showcase of one profile, in order, one query. Bots that are no longer public (or hidden) are left out
   * unless `includeNonPublic` (the owner and editors see them, flagged).
   */
  async featuredBots(em: EntityManager, profileId: string, includeNonPublic: boolean): Promise<FeaturedBotCardDto[]> {
    const qb = em
      .getRepository(CreatorFeaturedBot)
      .createQueryBuilder('f')
      .innerJoin(Bot, 'b', 'b.id = f.bot_id')
      .select(['f.bot_id AS id', 'f.position AS position', 'b.slug AS slug', 'b.name AS name'])
      .addSelect('b.picture_media_id', 'picture_media_id')
      .addSelect(`(b.visibility = 'public' AND b.moderation_status = 'visible')`, 'is_public')
      .where('f.creator_profile_id = :profileId', { profileId })
      .orderBy('f.position', 'ASC');
    if (!includeNonPublic) qb.andWhere(`b.visibility = 'public' AND b.moderation_status = 'visible'`);
    const rows = await qb.getRawMany<{
      id: string;
      position: number;
      slug: string;
      name: string;
      picture_media_id: string | null;
      is_public: boolean;
    }>();
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      picture_url: mediaContentUrl(r.picture_media_id),
      position: Number(r.position),
      is_public: r.is_public,
    }));
  }

  /**
   * `creators.refresh-stats` (creators.md §1.5): one set-based UPDATE that recounts follower_count and
   * public_bot_count and sums likes and conversations of each creator's public bots. Writes totals, never
   * increments, so a retried or repeated run changes nothing.
   */
  async refreshStats(profileIds?: string[]): Promise<number> {
    const filter = profileIds?.length ? 'AND cp.id = ANY($1::uuid[])' : '';
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE creator_profiles cp
          SET follower_count = s.followers,
              public_bot_count = s.public_bots,
              total_likes = s.likes,
              total_conversations = s.conversations,
              stats_refreshed_at = now()
         FROM (
           SELECT p.id,
                  (SELECT count(*) FROM creator_follows f WHERE f.creator_profile_id = p.id)::int AS followers,
                  coalesce(b.public_bots, 0)::int AS public_bots,
                  coalesce(b.likes, 0)::int AS likes,
                  coalesce(b.conversations, 0)::int AS conversations
             FROM creator_profiles p
             LEFT JOIN LATERAL (
               SELECT count(*) AS public_bots, sum(likes_count) AS likes, sum(conversation_count) AS conversations
                 FROM bots WHERE owner_id = p.user_id AND visibility = 'public'
             ) b ON true
         ) s
        WHERE s.id = cp.id ${filter}`,
      profileIds?.length ? [profileIds] : [],
    );
    return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
  }
}

/**
 * SQL for "the bot's owner is a creator the user follows", for the bots explore filter `followed_creators=true`
 * (creators.md §2). `botAlias` is the bots alias of the caller's query; `userParam` the name of the parameter that
 * holds the follower's user id. Uses the creator_follows primary key (follower_id, creator_profile_id) and
 * ux_creator_profiles_user.
 *
 *   qb.andWhere(followedCreatorsSql('b', 'me'), { me: actor.id })
 */
export function followedCreatorsSql(botAlias: string, userParam: string): string {
  return (
    `EXISTS (SELECT 1 FROM creator_follows cf JOIN creator_profiles cfp ON cfp.id = cf.creator_profile_id` +
    ` WHERE cf.follower_id = :${userParam} AND cfp.user_id = ${botAlias}.owner_id)`
  );
}
