import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ModerationStatus } from '../../common/access/access.enums.js';
import type { Actor } from '../../common/auth/actor.js';
import { InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { keysetPage, type Page } from '../../common/pagination/page.js';
import type { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { mediaContentUrl } from '../media/media-url.js';
import { CreatorsService } from './creators.service.js';
import {
  type FollowedCreatorDto,
  type FollowerCardDto,
  type FollowStateDto,
  toCreatorCard,
} from './dto/creator-profile-response.dto.js';
import { CreatorFollow } from './entities/creator-follow.entity.js';
import { CreatorProfile } from './entities/creator-profile.entity.js';
import { CreatorProfileVisibility } from './entities/creator.enums.js';

/**
 * Follows (creators.md §2). follower_count moves only when a row was really inserted or deleted
 * (INSERT … ON CONFLICT DO NOTHING RETURNING / DELETE … RETURNING), in the same transaction, with SET n = n ± 1:
 * concurrent and repeated requests keep it exact.
 */
@Injectable()
export class FollowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly creators: CreatorsService,
  ) {}

  async follow(actor: Actor, username: string): Promise<FollowStateDto> {
    return this.dataSource.transaction(async (em) => {
      const { profile } = await this.creators.load(actor, username, 'read', em);
      if (profile.userId === actor.id) {
        throw new InvalidError('CANNOT_FOLLOW_SELF', 'You cannot follow your own profile.', [
          { field: 'username', message: 'cannot follow yourself' },
        ]);
      }
      // Private or hidden profiles cannot be followed: 404 even for those who may read them.
      if (
        profile.profileVisibility === CreatorProfileVisibility.Private ||
        profile.moderationStatus === ModerationStatus.Hidden
      ) {
        throw new NotFoundError('PROFILE_NOT_FOUND');
      }
      const inserted: unknown[] = await em.query(
        `INSERT INTO creator_follows (follower_id, creator_profile_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING follower_id`,
        [actor.id, profile.id],
      );
      const count = inserted.length
        ? await em.query(
            `UPDATE creator_profiles SET follower_count = follower_count + 1 WHERE id = $1 RETURNING follower_count`,
            [profile.id],
          )
        : await em.query(`SELECT follower_count FROM creator_profiles WHERE id = $1`, [profile.id]);
      return { following: true, follower_count: followerCount(count) };
    });
  }

  async unfollow(actor: Actor, username: string): Promise<FollowStateDto> {
    return this.dataSource.transaction(async (em) => {
      // Unfollowing stays possible after a profile turned private: the follower's own row is theirs to delete.
      let profileId: string;
      try {
        profileId = (await this.creators.load(actor, username, 'read', em)).profile.id;
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        const row: { id: string }[] = await em.query(
          `SELECT cp.id FROM creator_profiles cp JOIN users u ON u.id = cp.user_id
            JOIN creator_follows f ON f.creator_profile_id = cp.id AND f.follower_id = $2
           WHERE u.username = $1`,
          [username.toLowerCase(), actor.id],
        );
        if (!row.length) throw err;
        profileId = row[0].id;
      }
      const deleted: unknown[] = await em.query(
        `DELETE FROM creator_follows WHERE follower_id = $1 AND creator_profile_id = $2 RETURNING follower_id`,
        [actor.id, profileId],
      );
      const count = deleted.length
        ? await em.query(
            `UPDATE creator_profiles SET follower_count = GREATEST(follower_count - 1, 0) WHERE id = $1
             RETURNING follower_count`,
            [profileId],
          )
        : await em.query(`SELECT follower_count FROM creator_profiles WHERE id = $1`, [profileId]);
      return { following: false, follower_count: followerCount(count) };
    });
  }

  async state(actor: Actor, username: string): Promise<FollowStateDto> {
    const { profile } = await this.creators.load(actor, username, 'read');
    const following = await this.dataSource
      .getRepository(CreatorFollow)
      .exists({ where: { followerId: actor.id, creatorProfileId: profile.id } });
    return { following, follower_count: profile.followerCount };
  }

  /** The profile's followers, newest first: owner and admins only (others see follower_count). */
  async followers(actor: Actor, username: string, query: PageQueryDto): Promise<Page<FollowerCardDto>> {
    const { profile } = await this.creators.load(actor, username, 'list_followers');
    const qb = this.dataSource
      .getRepository(CreatorFollow)
      .createQueryBuilder('f')
      .innerJoinAndSelect('f.follower', 'u')
      .where('f.creator_profile_id = :profileId', { profileId: profile.id });
    const page = await keysetPage(
      qb,
      [
        { expr: 'f.created_at', direction: 'DESC', value: (f) => f.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'f.follower_id', direction: 'DESC', value: (f) => f.followerId, cast: 'uuid' },
      ],
      query,
    );
    // User cards show the creator display name where the follower has a profile (identity.md): one query per page.
    const ids = page.items.map((f) => f.followerId);
    const names = new Map<string, { displayName: string; avatarMediaId: string | null }>();
    if (ids.length) {
      const rows = await this.dataSource
        .getRepository(CreatorProfile)
        .createQueryBuilder('cp')
        .select(['cp.userId', 'cp.displayName', 'cp.avatarMediaId'])
        .where('cp.user_id IN (:...ids)', { ids })
        .getMany();
      for (const r of rows) names.set(r.userId, { displayName: r.displayName, avatarMediaId: r.avatarMediaId });
    }
    return {
      items: page.items.map((f) => {
        const p = names.get(f.followerId);
        return {
          id: f.followerId,
          username: f.follower!.username,
          display_name: p?.displayName ?? f.follower!.displayName ?? f.follower!.username,
          avatar_url: mediaContentUrl(p?.avatarMediaId ?? f.follower!.avatarMediaId),
          followed_at: f.createdAt.toISOString(),
        };
      }),
      next_cursor: page.next_cursor,
    };
  }

  /** Creators I follow, most recently followed first; profiles that turned private or hidden are left out. */
  async following(actor: Actor, query: PageQueryDto): Promise<Page<FollowedCreatorDto>> {
    const qb = this.dataSource
      .getRepository(CreatorFollow)
      .createQueryBuilder('f')
      .innerJoinAndSelect('f.creatorProfile', 'cp')
      .innerJoin('cp.user', 'u')
      .addSelect(['u.id', 'u.username'])
      .where('f.follower_id = :me', { me: actor.id })
      .andWhere(`cp.profile_visibility <> 'private' AND cp.moderation_status = 'visible'`);
    const page = await keysetPage(
      qb,
      [
        { expr: 'f.created_at', direction: 'DESC', value: (f) => f.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'f.creator_profile_id', direction: 'DESC', value: (f) => f.creatorProfileId, cast: 'uuid' },
      ],
      query,
    );
    return {
      items: page.items.map((f) => ({
        ...toCreatorCard(f.creatorProfile!, f.creatorProfile!.user!.username),
        followed_at: f.createdAt.toISOString(),
      })),
      next_cursor: page.next_cursor,
    };
  }
}

function followerCount(rows: unknown): number {
  // UPDATE … RETURNING through the pg driver yields [rows, affected]; SELECT yields rows.
  const list = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as { follower_count: number }[];
  return Number(list[0]?.follower_count ?? 0);
}
