import { type Actor, UserRole } from '../../common/auth/actor.js';
import { AppError } from '../../common/errors/app-error.js';
import { AuthorKind, GenerationStatus } from './chat.enums.js';
import { type ConversationAction, type ConversationFacts, ConversationPolicy } from './conversation.policy.js';

const actor = (id: string, role = UserRole.User): Actor => ({ id, role, username: id, emailVerified: true });
const owner = actor('owner');
const member = actor('member');
const stranger = actor('stranger');
const admin = actor('admin', UserRole.Admin);
const moderator = actor('mod', UserRole.Moderator);
const facts = (a: Actor): ConversationFacts => ({ ownerUserId: 'owner', isActiveMember: a.id === 'member' });

describe('ConversationPolicy', () => {
  const policy = new ConversationPolicy();
  const table: [ConversationAction, Record<string, boolean>][] = [
    ['read', { owner: true, member: true, admin: true, moderator: false, stranger: false }],
    ['update', { owner: true, member: false, admin: false, moderator: false, stranger: false }],
    ['manage_participants', { owner: true, member: false, admin: false, moderator: false, stranger: false }],
    ['post', { owner: true, member: true, admin: false, moderator: false, stranger: false }],
    ['leave', { owner: false, member: true, admin: false, moderator: false, stranger: false }],
    ['delete', { owner: true, member: false, admin: true, moderator: false, stranger: false }],
  ];
  const who = { owner, member, admin, moderator, stranger };
  it.each(table)('%s follows chat.md §1.4', (action, expected) => {
    for (const [name, a] of Object.entries(who)) {
      expect([name, policy.can(a, action, facts(a))]).toEqual([name, expected[name]]);
    }
  });

  const status = (e: unknown) => (e as AppError).status;
  const thrown = (fn: () => void): number | undefined => {
    try {
      fn();
      return undefined;
    } catch (e) {
      return status(e);
    }
  };
  it('404 for a stranger, 403 for a visible but forbidden action, nothing for the owner', () => {
    expect(thrown(() => policy.assert(stranger, 'read', facts(stranger)))).toBe(404);
    expect(thrown(() => policy.assert(stranger, 'update', facts(stranger)))).toBe(404);
    expect(thrown(() => policy.assert(moderator, 'read', facts(moderator)))).toBe(404);
    expect(thrown(() => policy.assert(admin, 'update', facts(admin)))).toBe(403);
    expect(thrown(() => policy.assert(member, 'manage_participants', facts(member)))).toBe(403);
    expect(thrown(() => policy.assert(owner, 'leave', facts(owner)))).toBe(403);
    expect(thrown(() => policy.assert(owner, 'update', facts(owner)))).toBeUndefined();
  });

  describe('messages (chat.md §3.3)', () => {
    const userMsg = { authorKind: AuthorKind.User, authorUserId: 'member', generationStatus: null };
    const botMsg = { authorKind: AuthorKind.Bot, authorUserId: null, generationStatus: GenerationStatus.Completed };
    const sysMsg = { authorKind: AuthorKind.System, authorUserId: null, generationStatus: null };
    it('user message: only its author edits; author or owner deletes', () => {
      expect(policy.canMessage(member, 'edit', facts(member), userMsg)).toBe(true);
      expect(policy.canMessage(owner, 'edit', facts(owner), userMsg)).toBe(false);
      expect(policy.canMessage(owner, 'delete', facts(owner), userMsg)).toBe(true);
      expect(policy.canMessage(member, 'delete', facts(member), userMsg)).toBe(true);
      expect(policy.canMessage(admin, 'edit', facts(admin), userMsg)).toBe(false);
    });
    it('completed bot message: owner edits; open generation cannot be edited', () => {
      expect(policy.canMessage(owner, 'edit', facts(owner), botMsg)).toBe(true);
      expect(policy.canMessage(member, 'edit', facts(member), botMsg)).toBe(false);
      const queued = { ...botMsg, generationStatus: GenerationStatus.Queued };
      expect(policy.canMessage(owner, 'edit', facts(owner), queued)).toBe(false);
    });
    it('select alternative: the owner or the requester of the reply, never an admin or other member', () => {
      const reply = { ...botMsg, requestedByUserId: 'member' };
      expect(policy.canMessage(owner, 'select_alternative', facts(owner), reply)).toBe(true);
      expect(policy.canMessage(member, 'select_alternative', facts(member), reply)).toBe(true);
      expect(policy.canMessage(member, 'select_alternative', facts(member), botMsg)).toBe(false);
      expect(policy.canMessage(admin, 'select_alternative', facts(admin), reply)).toBe(false);
      const left = { ownerUserId: 'owner', isActiveMember: false };
      expect(policy.canMessage(member, 'select_alternative', left, reply)).toBe(false);
    });
    it('regenerate / stream / cancel: the owner or the requester of the reply, never an admin or other member', () => {
      const reply = { ...botMsg, requestedByUserId: 'member' };
      expect(policy.canMessage(owner, 'generate', facts(owner), reply)).toBe(true);
      expect(policy.canMessage(member, 'generate', facts(member), reply)).toBe(true);
      expect(policy.canMessage(member, 'generate', facts(member), botMsg)).toBe(false);
      expect(policy.canMessage(admin, 'generate', facts(admin), reply)).toBe(false);
    });
    it('system message: nobody edits', () => {
      expect(policy.canMessage(owner, 'edit', facts(owner), sysMsg)).toBe(false);
    });
    it('stranger → 404, member editing another one → 403', () => {
      try {
        policy.assertMessage(stranger, 'edit', facts(stranger), userMsg);
        throw new Error('expected');
      } catch (e) {
        expect(status(e)).toBe(404);
      }
      try {
        policy.assertMessage(owner, 'edit', facts(owner), userMsg);
        throw new Error('expected');
      } catch (e) {
        expect(status(e)).toBe(403);
      }
    });
  });
});
