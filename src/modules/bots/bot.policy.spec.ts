import { type Actor, UserRole } from '../../common/auth/actor.js';
import type { AccessLevel } from '../../common/access/access-level.js';
import { BotPolicy } from './bot.policy.js';
import { Bot } from './entities/bot.entity.js';

const policy = new BotPolicy();
const bot = Object.assign(new Bot(), { id: 'b', ownerId: 'o' });
const user: Actor = { id: 'u', role: UserRole.User, username: 'u', emailVerified: true };
const mod: Actor = { ...user, id: 'm', role: UserRole.Moderator };

const can = (action: Parameters<BotPolicy['can']>[1], level: AccessLevel, actor: Actor | undefined = user) =>
  policy.can(actor, action, bot, level);

describe('BotPolicy (bots.md §1.4)', () => {
  it('viewers read and use, cannot edit', () => {
    expect([can('view', 'view'), can('use', 'view'), can('edit', 'view')]).toEqual([true, true, false]);
  });
  it('editors edit content but not settings or grants', () => {
    expect([can('edit', 'edit'), can('change_settings', 'edit'), can('manage_grants', 'edit')]).toEqual([
      true,
      false,
      false,
    ]);
  });
  it('managers manage grants but cannot delete', () => {
    expect([can('manage_grants', 'manage'), can('delete', 'manage')]).toEqual([true, false]);
  });
  it('owners do everything', () => {
    for (const a of ['view', 'use', 'copy', 'edit', 'change_settings', 'manage_grants', 'delete'] as const) {
      expect(can(a, 'owner')).toBe(true);
    }
  });
  it('anonymous callers read public bots but cannot use them', () => {
    expect([policy.can(undefined, 'view', bot, 'public'), policy.can(undefined, 'use', bot, 'public')]).toEqual([
      true,
      false,
    ]);
  });
  it("a moderator's moderation view reads but cannot use or copy", () => {
    expect([can('view', 'moderation', mod), can('use', 'moderation', mod), can('copy', 'moderation', mod)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(can('moderate', 'moderation', mod)).toBe(true);
    expect(can('moderate', 'owner', user)).toBe(false);
  });
  it('assert: invisible → 404, visible but not allowed → 403', () => {
    expect(() => policy.assert(user, 'edit', bot, null)).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => policy.assert(user, 'edit', bot, 'view')).toThrow(expect.objectContaining({ status: 403 }));
  });
});
