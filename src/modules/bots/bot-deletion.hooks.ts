import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A module's work inside the bot-delete transaction, before the row goes (its FK cascades have not run yet). */
export interface BotDeletionHook {
  /** For logs. */
  readonly name: string;
  beforeDelete(em: EntityManager, botId: string): Promise<void>;
}

/**
 * Lets modules that reference bots keep their own counters exact when a bot is deleted (chat: participant_count and
 * the primary bot of conversations the bot was in), without bots importing them. Register from the module's
 * provider (`hooks.register(hook)` in onModuleInit), as job processors and media citation resolvers do.
 */
@Injectable()
export class BotDeletionHooks {
  private readonly hooks: BotDeletionHook[] = [];

  register(hook: BotDeletionHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook in the caller's transaction; a failing hook rolls the deletion back. */
  async beforeDelete(em: EntityManager, botId: string): Promise<void> {
    for (const hook of this.hooks) await hook.beforeDelete(em, botId);
  }
}
