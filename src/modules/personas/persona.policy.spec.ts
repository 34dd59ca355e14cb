import { ModerationStatus } from '../../common/access/access.enums.js';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { type PersonaAction, PersonaPolicy } from './persona.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner');
const user = actor('user');
const creator = actor('creator', UserRole.Creator);
const moderator = actor('mod', UserRole.Moderator);
const admin = actor('admin', UserRole.Admin);

const privatePersona = { ownerId: 'owner', isPublic: false, moderationStatus: ModerationStatus.Visible };
const publicPersona = { ownerId: 'owner', isPublic: true, moderationStatus: ModerationStatus.Visible };
const hiddenPublic = { ownerId: 'owner', isPublic: true, moderationStatus: ModerationStatus.Hidden };

describe('PersonaPolicy', () => {
  const policy = new PersonaPolicy();
  const table: [string, Actor, typeof privatePersona, Record<PersonaAction, boolean>][] = [
    [
      'owner, private',
      owner,
      privatePersona,
      { view: true, update: true, delete: true, copy: true, moderate: false, use: true, see_private_fields: true },
    ],
    [
      'user, private',
      user,
      privatePersona,
      {
        view: false,
        update: false,
        delete: false,
        copy: false,
        moderate: false,
        use: false,
        see_private_fields: false,
      },
    ],
    [
      'user, public',
      creator,
      publicPersona,
      { view: true, update: false, delete: false, copy: true, moderate: false, use: false, see_private_fields: false },
    ],
    [
      'user, hidden public',
      user,
      hiddenPublic,
      {
        view: false,
        update: false,
        delete: false,
        copy: false,
        moderate: false,
        use: false,
        see_private_fields: false,
      },
    ],
    [
      'moderator, private',
      moderator,
      privatePersona,
      { view: false, update: false, delete: false, copy: false, moderate: true, use: false, see_private_fields: false },
    ],
    [
      'moderator, hidden public',
      moderator,
      hiddenPublic,
      { view: true, update: false, delete: false, copy: false, moderate: true, use: false, see_private_fields: false },
    ],
    [
      'admin, private',
      admin,
      privatePersona,
      { view: true, update: true, delete: true, copy: false, moderate: true, use: false, see_private_fields: true },
    ],
    [
      'owner, hidden public',
      owner,
      hiddenPublic,
      { view: true, update: true, delete: true, copy: true, moderate: false, use: true, see_private_fields: true },
    ],
  ];

  describe.each(table)('%s', (_label, who, persona, expected) => {
    it.each(Object.entries(expected))('%s → %s', (action, allowed) => {
      expect(policy.can(who, action as PersonaAction, persona)).toBe(allowed);
    });
  });

  it('answers 404 for an invisible persona and 403 for a visible one the caller may not change', () => {
    expect(() => policy.assert(user, 'update', privatePersona)).toThrow(NotFoundError);
    expect(() => policy.assert(user, 'delete', privatePersona)).toThrow(NotFoundError);
    expect(() => policy.assert(user, 'update', publicPersona)).toThrow(ForbiddenError);
    expect(() => policy.assert(moderator, 'update', publicPersona)).toThrow(ForbiddenError);
    expect(() => policy.assert(moderator, 'moderate', privatePersona)).toThrow(NotFoundError);
    expect(() => policy.assert(moderator, 'moderate', publicPersona)).not.toThrow();
  });

  it('shows moderation reasons to the owner and staff only', () => {
    expect(policy.seesModeration(owner, hiddenPublic)).toBe(true);
    expect(policy.seesModeration(moderator, hiddenPublic)).toBe(true);
    expect(policy.seesModeration(user, hiddenPublic)).toBe(false);
  });
});
