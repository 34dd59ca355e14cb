import { mediaContentUrl } from '../../media/media-url.js';

/** A user card (identity.md §1): what other people may see of an account. */
export class UserCardDto {
  /** User id. */
  id!: string;
  /** Public handle. */
  username!: string;
  /** Creator profile display name if one exists, else the username. */
  display_name!: string;
  /** URL of the avatar image, or null. */
  avatar_url!: string | null;
}

export const mediaUrl = (mediaId: string | null | undefined): string | null => mediaContentUrl(mediaId);

/**
 * Builds a card from user columns. The creators module does not exist yet, so display_name falls back to the
 * username (identity.md: the creator profile's display name wins once profiles exist).
 */
export function toUserCard(user: {
  id: string;
  username: string;
  avatarMediaId?: string | null;
  profileDisplayName?: string | null;
}): UserCardDto {
  return {
    id: user.id,
    username: user.username,
    display_name: user.profileDisplayName || user.username,
    avatar_url: mediaUrl(user.avatarMediaId),
  };
}
