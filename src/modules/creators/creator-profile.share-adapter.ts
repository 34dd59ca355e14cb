import type { EntityManager } from 'typeorm';
import { AccessResourceType, GrantLevel } from '../../common/access/access.enums.js';
import type { ResourceCardDto } from '../access/dto/grant-response.dto.js';
import type { GrantableResource, ShareableResourceAdapter } from '../access/shareable-resource.registry.js';
import { mediaContentUrl } from '../media/media-url.js';
import { profileResource } from './creator-profile.policy.js';
import { CreatorProfile } from './entities/creator-profile.entity.js';

/**
 * Lets `/access-grants` share creator profiles (team members of a studio; bots.md §3). The `table` is a derived
 * table with the shareable columns: profiles have no visibility/share expiry of the bots kind, and a private
 * profile does not suspend its grants (README decision 15), so it reads as visible and never expiring.
 */
export const creatorProfileShareAdapter: ShareableResourceAdapter = {
  type: AccessResourceType.CreatorProfile,
  table:
    `(SELECT id, user_id AS owner_id, 'public'::text AS visibility, moderation_status,` +
    ` NULL::timestamptz AS share_expires_at FROM creator_profiles)`,
  notFoundCode: 'PROFILE_NOT_FOUND',
  async load(em: EntityManager, id: string, lock: boolean): Promise<GrantableResource | null> {
    const row = await em.getRepository(CreatorProfile).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) return null;
    return {
      ...profileResource(row),
      allowCollaboration: row.allowCollaboration,
      defaultLevel: GrantLevel.View,
      maxCollaborators: null,
    };
  },
  async makeShared(): Promise<void> {
    // Profiles keep their own visibility: a grant never changes it.
  },
  async cards(em: EntityManager, ids: string[]): Promise<Map<string, ResourceCardDto>> {
    const rows = await em
      .getRepository(CreatorProfile)
      .createQueryBuilder('cp')
      .innerJoinAndSelect('cp.user', 'u')
      .where('cp.id IN (:...ids)', { ids })
      .getMany();
    return new Map(
      rows.map((p) => [
        p.id,
        {
          id: p.id,
          type: AccessResourceType.CreatorProfile,
          name: p.displayName,
          slug: null,
          picture_url: mediaContentUrl(p.avatarMediaId),
          owner: {
            id: p.userId,
            username: p.user!.username,
            display_name: p.displayName,
            avatar_url: mediaContentUrl(p.avatarMediaId),
          },
        } as ResourceCardDto,
      ]),
    );
  },
};
