import { type Actor, UserRole } from '../auth/actor.js';
import { AccessResourceType, GrantLevel, GrantStatus, ModerationStatus, ResourceVisibility } from './access.enums.js';
import {
  canEdit,
  canManageGrants,
  canRead,
  canUse,
  type GrantLike,
  grantStatus,
  resolveAccessLevel,
  type ShareableResource,
} from './access-level.js';

const NOW = new Date('2026-01-01T12:00:00Z');
const past = new Date('2025-12-31T12:00:00Z');
const future = new Date('2026-01-02T12:00:00Z');

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner');
const stranger = actor('stranger');
const moderator = actor('mod', UserRole.Moderator);
const admin = actor('admin', UserRole.Admin);

const resource = (over: Partial<ShareableResource> = {}): ShareableResource => ({
  resourceType: AccessResourceType.Bot,
  id: 'r1',
  ownerId: 'owner',
  visibility: ResourceVisibility.Shared,
  moderationStatus: ModerationStatus.Visible,
  shareExpiresAt: null,
  allowCollaboration: true,
  ...over,
});
const grant = (over: Partial<GrantLike> = {}): GrantLike => ({
  level: GrantLevel.Edit,
  expiresAt: null,
  revokedAt: null,
  ...over,
});
const level = (a: Actor | undefined, r: ShareableResource, g: GrantLike | null = null) =>
  resolveAccessLevel(a, r, g, NOW);

describe('resolveAccessLevel (bots.md §3.4)', () => {
  it('1. admin is owner-equivalent, even on hidden or private resources', () => {
    expect(level(admin, resource({ visibility: ResourceVisibility.Private }))).toBe('owner');
    expect(level(admin, resource({ moderationStatus: ModerationStatus.Hidden }))).toBe('owner');
  });

  it('2. the owner is owner, also when hidden by moderation', () => {
    expect(level(owner, resource({ visibility: ResourceVisibility.Private }))).toBe('owner');
    expect(level(owner, resource({ moderationStatus: ModerationStatus.Hidden }))).toBe('owner');
  });

  it('3. hidden by moderation: moderators read it, grantees and the public see nothing', () => {
    const hidden = resource({ visibility: ResourceVisibility.Public, moderationStatus: ModerationStatus.Hidden });
    expect(level(moderator, hidden)).toBe('moderation');
    expect(level(stranger, hidden, grant({ level: GrantLevel.Manage }))).toBeNull();
    expect(level(undefined, hidden)).toBeNull();
  });

  it('4. an active grant gives its level', () => {
    for (const l of [GrantLevel.View, GrantLevel.Edit, GrantLevel.Manage]) {
      expect(level(stranger, resource(), grant({ level: l }))).toBe(l);
    }
    expect(level(stranger, resource({ visibility: ResourceVisibility.Public }), grant())).toBe('edit');
    expect(level(stranger, resource(), grant({ expiresAt: future }))).toBe('edit');
  });

  it('4. expired, revoked, share-expired and private-suspended grants do not count', () => {
    expect(level(stranger, resource(), grant({ expiresAt: past }))).toBeNull();
    expect(level(stranger, resource(), grant({ expiresAt: NOW }))).toBeNull();
    expect(level(stranger, resource(), grant({ revokedAt: past }))).toBeNull();
    expect(level(stranger, resource({ shareExpiresAt: past }), grant())).toBeNull();
    expect(level(stranger, resource({ visibility: ResourceVisibility.Private }), grant())).toBeNull();
    // a public resource still reads as public once the grant stops working
    expect(level(stranger, resource({ visibility: ResourceVisibility.Public }), grant({ expiresAt: past }))).toBe(
      'public',
    );
  });

  it('4. creator-profile grants ignore a private visibility (README decision 15)', () => {
    const profile = resource({
      resourceType: AccessResourceType.CreatorProfile,
      visibility: ResourceVisibility.Private,
    });
    expect(level(stranger, profile, grant({ level: GrantLevel.View }))).toBe('view');
  });

  it('4. without allow_collaboration an edit/manage grant reads as view', () => {
    expect(level(stranger, resource({ allowCollaboration: false }), grant({ level: GrantLevel.Manage }))).toBe('view');
  });

  it('5. public resources are readable by everyone, anonymous included', () => {
    const pub = resource({ visibility: ResourceVisibility.Public });
    expect(level(undefined, pub)).toBe('public');
    expect(level(stranger, pub)).toBe('public');
    expect(level(moderator, pub)).toBe('public');
  });

  it('6. moderators read private and shared resources (moderation view, not a grant)', () => {
    expect(level(moderator, resource({ visibility: ResourceVisibility.Private }))).toBe('moderation');
    expect(level(moderator, resource(), grant({ level: GrantLevel.View }))).toBe('view');
  });

  it('7. otherwise nothing', () => {
    expect(level(stranger, resource())).toBeNull();
    expect(level(undefined, resource({ visibility: ResourceVisibility.Private }))).toBeNull();
    expect(level(actor('creator', UserRole.Creator), resource())).toBeNull();
  });
});

describe('capabilities by level', () => {
  it('the moderation view reads but cannot use, edit or manage', () => {
    expect(canRead('moderation')).toBe(true);
    expect(canUse('moderation')).toBe(false);
    expect(canEdit('moderation')).toBe(false);
    expect(canManageGrants('moderation')).toBe(false);
  });
  it('levels rank as the spec says', () => {
    expect([canEdit('view'), canEdit('edit'), canEdit('manage'), canEdit('owner'), canEdit('public')]).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect([canManageGrants('edit'), canManageGrants('manage'), canManageGrants('owner')]).toEqual([false, true, true]);
    expect(canUse('public')).toBe(true);
    expect(canRead(null)).toBe(false);
  });
});

describe('grantStatus', () => {
  it('computes revoked > expired > suspended > active', () => {
    expect(grantStatus(grant({ revokedAt: past, expiresAt: past }), resource(), NOW)).toBe(GrantStatus.Revoked);
    expect(grantStatus(grant({ expiresAt: past }), resource({ visibility: ResourceVisibility.Private }), NOW)).toBe(
      GrantStatus.Expired,
    );
    expect(grantStatus(grant(), resource({ visibility: ResourceVisibility.Private }), NOW)).toBe(GrantStatus.Suspended);
    expect(grantStatus(grant(), resource({ shareExpiresAt: past }), NOW)).toBe(GrantStatus.Suspended);
    expect(grantStatus(grant(), resource(), NOW)).toBe(GrantStatus.Active);
  });
});
