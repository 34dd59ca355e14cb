import type { AccessLevel } from '../../common/access/access-level.js';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { type CollectionAction, KnowledgeCollectionPolicy } from './knowledge-collection.policy.js';
import { KnowledgeEntryVisibility } from './knowledge.enums.js';

const actor = (role = UserRole.User): Actor => ({ id: 'u', role, username: 'u', emailVerified: true });
const policy = new KnowledgeCollectionPolicy();
const levels: AccessLevel[] = [null, 'public', 'moderation', 'view', 'edit', 'manage', 'owner'];

/** Rows of knowledge.md §1's access table: level → allowed? (allow_fork on). */
const table: Record<CollectionAction, AccessLevel[]> = {
  read: ['public', 'moderation', 'view', 'edit', 'manage', 'owner'],
  read_hidden_entries: ['moderation', 'edit', 'manage', 'owner'],
  edit: ['edit', 'manage', 'owner'],
  owner_settings: ['owner'],
  request_publication: ['owner'],
  unpublish: ['owner'],
  curate: [],
  manage_grants: ['manage', 'owner'],
  fork: ['public', 'view', 'edit', 'manage', 'owner'],
  link: ['public', 'view', 'edit', 'manage', 'owner'],
  export: ['public', 'view', 'edit', 'manage', 'owner'],
  delete: ['owner'],
};

describe('KnowledgeCollectionPolicy', () => {
  for (const [action, allowed] of Object.entries(table) as [CollectionAction, AccessLevel[]][]) {
    it.each(levels)(`${action} at level %s`, (level) => {
      expect(policy.can(actor(), action, { allowFork: true }, level)).toBe(allowed.includes(level));
    });
  }

  it.each([
    ['fork', 'view', false],
    ['fork', 'owner', true],
    ['export', 'view', false],
    ['export', 'edit', true],
  ] as const)('allow_fork=false: %s at %s → %s', (action, level, expected) => {
    expect(policy.can(actor(), action, { allowFork: false }, level)).toBe(expected);
  });

  it('staff curate and unpublish; anonymous never forks or links', () => {
    expect(policy.can(actor(UserRole.Moderator), 'curate', { allowFork: true }, 'moderation')).toBe(true);
    expect(policy.can(actor(UserRole.Moderator), 'unpublish', { allowFork: true }, 'moderation')).toBe(true);
    expect(policy.can(undefined, 'fork', { allowFork: true }, 'public')).toBe(false);
    expect(policy.can(undefined, 'link', { allowFork: true }, 'public')).toBe(false);
  });

  it('assert: unreadable → 404, readable but not allowed → 403', () => {
    expect(() => policy.assert(actor(), 'edit', { allowFork: true }, null)).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => policy.assert(actor(), 'edit', { allowFork: true }, 'view')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
    expect(() => policy.assert(actor(), 'edit', { allowFork: true }, 'edit')).not.toThrow();
  });

  it.each([
    [KnowledgeEntryVisibility.Inherit, 'view', true],
    [KnowledgeEntryVisibility.EditorsOnly, 'view', false],
    [KnowledgeEntryVisibility.EditorsOnly, 'public', false],
    [KnowledgeEntryVisibility.EditorsOnly, 'edit', true],
    [KnowledgeEntryVisibility.EditorsOnly, 'moderation', true],
    [KnowledgeEntryVisibility.Inherit, null, false],
  ] as const)('entry %s at %s → readable %s', (visibility, level, expected) => {
    expect(policy.canReadEntry(actor(), { visibility }, { allowFork: true }, level)).toBe(expected);
  });

  it('lets a moderator read editors_only entries of a public collection, but not edit them', () => {
    const moderator = actor(UserRole.Moderator);
    const hidden = { visibility: KnowledgeEntryVisibility.EditorsOnly };
    expect(policy.canReadEntry(moderator, hidden, { allowFork: true }, 'public')).toBe(true);
    expect(policy.can(moderator, 'edit', { allowFork: true }, 'public')).toBe(false);
    expect(policy.canReadEntry(actor(UserRole.Creator), hidden, { allowFork: true }, 'public')).toBe(false);
  });
});
