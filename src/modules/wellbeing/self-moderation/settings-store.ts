import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SelfModerationSettings } from './entities/self-moderation-settings.entity.js';
import { applyEditable, type EditableSettings } from './settings-fields.js';

/**
 * Loads a user's settings row, applying due pending changes lazily (§2.3: "at the next read or evaluation").
 * Writers take the row lock (`FOR UPDATE`), which also serialises one user's concurrent gated requests, so session
 * accounting sees every earlier activity.
 */
@Injectable()
export class SettingsStore {
  async load(em: EntityManager, userId: string, now: Date, lock: boolean): Promise<SelfModerationSettings | null> {
    const row = await em.findOne(SelfModerationSettings, {
      where: { userId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!row) return null;
    if (row.pendingApplyAt && row.pendingApplyAt.getTime() <= now.getTime()) {
      applyEditable(row, (row.pendingChanges ?? {}) as Partial<EditableSettings>);
      row.pendingChanges = null;
      row.pendingApplyAt = null;
      if (lock) {
        await em.save(SelfModerationSettings, row);
      } else {
        // An unlocked read applies the change with a guarded update, so a concurrent writer is never overwritten.
        const locked = await this.load(em, userId, now, true);
        return locked;
      }
    }
    return row;
  }
}
