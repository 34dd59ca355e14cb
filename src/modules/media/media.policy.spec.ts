import { type Actor, UserRole } from '../../common/auth/actor.js';
import { ForbiddenError, NotFoundError } from '../../common/errors/app-error.js';
import { MediaKind } from './entities/media.entity.js';
import { type MediaCitationFacts, MediaPolicy, NO_CITATIONS } from './media.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner');
const stranger = actor('stranger');
const creator = actor('creator', UserRole.Creator);
const moderator = actor('mod', UserRole.Moderator);
const admin = actor('admin', UserRole.Admin);
const image = { ownerId: 'owner', kind: MediaKind.Image };
const doc = { ownerId: 'owner', kind: MediaKind.Document };
const cited: MediaCitationFacts = { isAttachment: false, readableViaCitation: true };
const attachment: MediaCitationFacts = { isAttachment: true, readableViaCitation: false };
const readableAttachment: MediaCitationFacts = { isAttachment: true, readableViaCitation: true };

describe('MediaPolicy', () => {
  const policy = new MediaPolicy();

  describe('read', () => {
    it.each([
      ['anonymous', undefined, image, NO_CITATIONS, true],
      ['stranger', stranger, image, NO_CITATIONS, true],
      ['anonymous', undefined, doc, NO_CITATIONS, false],
      ['stranger', stranger, doc, NO_CITATIONS, false],
      ['creator', creator, doc, NO_CITATIONS, false],
      ['owner', owner, doc, NO_CITATIONS, true],
      ['moderator', moderator, doc, NO_CITATIONS, true],
      ['admin', admin, doc, NO_CITATIONS, true],
      ['stranger citing a document', stranger, doc, cited, true],
      ['anonymous on an attached image', undefined, image, attachment, false],
      ['stranger on an attached image', stranger, image, attachment, false],
      ['moderator on an attachment (same as user)', moderator, doc, attachment, false],
      ['reader of the citing message', stranger, image, readableAttachment, true],
      ['owner of an attachment', owner, image, attachment, true],
      ['admin on an attachment', admin, doc, attachment, true],
    ])('%s → %s', (_label, who, media, facts, expected) => {
      expect(policy.can(who, 'read', media, facts)).toBe(expected);
    });
  });

  it.each([
    [owner, true],
    [admin, true],
    [moderator, false],
    [stranger, false],
    [undefined, false],
  ])('update alt_text: %o → %s', (who, expected) => {
    expect(policy.can(who, 'update', image, NO_CITATIONS)).toBe(expected);
  });

  it.each([
    [owner, true],
    [moderator, true],
    [admin, true],
    [creator, false],
    [stranger, false],
  ])('delete: %o → %s', (who, expected) => {
    expect(policy.can(who, 'delete', doc, NO_CITATIONS)).toBe(expected);
  });

  it('shows sha256 and storage_key to the owner only', () => {
    expect(policy.can(owner, 'see_private_fields', image, NO_CITATIONS)).toBe(true);
    expect(policy.can(admin, 'see_private_fields', image, NO_CITATIONS)).toBe(false);
    expect(policy.can(stranger, 'see_private_fields', image, NO_CITATIONS)).toBe(false);
  });

  it('answers 404 when the file is not visible and 403 when visible but not allowed', () => {
    expect(() => policy.assert(stranger, 'update', doc, NO_CITATIONS)).toThrow(NotFoundError);
    expect(() => policy.assert(stranger, 'update', image, NO_CITATIONS)).toThrow(ForbiddenError);
    expect(() => policy.assert(stranger, 'delete', image, NO_CITATIONS)).toThrow(ForbiddenError);
    expect(() => policy.assert(moderator, 'update', doc, NO_CITATIONS)).toThrow(ForbiddenError);
    expect(() => policy.assert(moderator, 'delete', doc, NO_CITATIONS)).not.toThrow();
  });

  it('skips the citation lookup for owners and admins only', () => {
    expect(policy.needsCitationFacts(owner, doc)).toBe(false);
    expect(policy.needsCitationFacts(admin, doc)).toBe(false);
    expect(policy.needsCitationFacts(moderator, doc)).toBe(true);
    expect(policy.needsCitationFacts(undefined, image)).toBe(true);
  });

  describe('listOwner', () => {
    it('lists own files by default and when owner_id is oneself', () => {
      expect(policy.listOwner(stranger)).toEqual({ ownerId: 'stranger', excludeAttachments: false });
      expect(policy.listOwner(stranger, 'stranger')).toEqual({ ownerId: 'stranger', excludeAttachments: false });
    });
    it("refuses another user's list to non-staff", () => {
      expect(() => policy.listOwner(creator, 'owner')).toThrow(ForbiddenError);
    });
    it('lets moderators list anyone without attachments, admins with', () => {
      expect(policy.listOwner(moderator, 'owner')).toEqual({ ownerId: 'owner', excludeAttachments: true });
      expect(policy.listOwner(admin, 'owner')).toEqual({ ownerId: 'owner', excludeAttachments: false });
    });
  });
});
