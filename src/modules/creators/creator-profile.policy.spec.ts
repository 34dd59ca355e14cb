import { UserRole, type Actor } from '../../common/auth/actor.js';
import { ModerationStatus, ResourceVisibility } from '../../common/access/access.enums.js';
import { resolveAccessLevel } from '../../common/access/access-level.js';
import { CreatorProfilePolicy, profileResource, type ProfileAction } from './creator-profile.policy.js';
import { CreatorProfileVisibility } from './entities/creator.enums.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner', UserRole.Creator);
const stranger = actor('stranger');
const moderator = actor('mod', UserRole.Moderator);
const admin = actor('admin', UserRole.Admin);
const profile = { id: 'p', userId: 'owner' };
const policy = new CreatorProfilePolicy();

describe('profileResource', () => {
  it('reads unlisted as public and private as private', () => {
    const base = { id: 'p', userId: 'o', moderationStatus: ModerationStatus.Visible, allowCollaboration: true };
    expect(profileResource({ ...base, profileVisibility: CreatorProfileVisibility.Unlisted }).visibility).toBe(
      ResourceVisibility.Public,
    );
    expect(profileResource({ ...base, profileVisibility: CreatorProfileVisibility.Private }).visibility).toBe(
      ResourceVisibility.Private,
    );
  });
  it('lets a view grant read a private profile (decision 15)', () => {
    const r = profileResource({
      id: 'p',
      userId: 'o',
      moderationStatus: ModerationStatus.Visible,
      allowCollaboration: true,
      profileVisibility: CreatorProfileVisibility.Private,
    });
    expect(resolveAccessLevel(stranger, r, { level: 'view' as never, expiresAt: null, revokedAt: null })).toBe('view');
    expect(resolveAccessLevel(stranger, r, null)).toBeNull();
  });
});

describe('CreatorProfilePolicy', () => {
  const rows: [string, Actor | undefined, ProfileAction, Parameters<CreatorProfilePolicy['can']>[3], boolean][] = [
    ['anonymous reads public', undefined, 'read', 'public', true],
    ['stranger cannot read private', stranger, 'read', null, false],
    ['editor edits content', stranger, 'edit_content', 'edit', true],
    ['viewer cannot edit', stranger, 'edit_content', 'view', false],
    ['editor cannot change visibility', stranger, 'edit_owner_settings', 'edit', false],
    ['manager cannot delete', stranger, 'delete', 'manage', false],
    ['owner deletes', owner, 'delete', 'owner', true],
    ['admin deletes', admin, 'delete', 'owner', true],
    ['moderator cannot edit content', moderator, 'edit_content', 'moderation', false],
    ['owner requests verification', owner, 'request_verification', 'owner', true],
    ['admin does not request for others', admin, 'request_verification', 'owner', false],
    ['moderator sets verification', moderator, 'set_verification', 'moderation', true],
    ['owner cannot set verification', owner, 'set_verification', 'owner', false],
    ['moderator cannot set premium', moderator, 'set_premium', 'moderation', false],
    ['admin sets premium', admin, 'set_premium', 'owner', true],
    ['moderator features', moderator, 'feature', 'public', true],
    ['stranger cannot list followers', stranger, 'list_followers', 'public', false],
    ['owner lists followers', owner, 'list_followers', 'owner', true],
    ['moderator cannot list followers', moderator, 'list_followers', 'public', false],
  ];
  it.each(rows)('%s', (_label, who, action, level, expected) => {
    expect(policy.can(who, action, profile, level)).toBe(expected);
  });
  it('answers 404 when the profile is not readable and 403 when only the action is refused', () => {
    expect(() => policy.assert(stranger, 'edit_content', profile, null)).toThrow(
      expect.objectContaining({ status: 404, code: 'PROFILE_NOT_FOUND' }),
    );
    expect(() => policy.assert(stranger, 'edit_content', profile, 'public')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });
});
