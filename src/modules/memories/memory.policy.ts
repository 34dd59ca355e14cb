import { Injectable } from '@nestjs/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { NotFoundError } from '../../common/errors/app-error.js';

export type MemoryAction = 'read' | 'update' | 'delete' | 'convert';
export const MEMORY_NOT_FOUND = 'MEMORY_NOT_FOUND';

/**
 * chat.md §4 access: memories are the owner's only. Bot creators, moderators and admins get nothing (memories go
 * with the account), so everyone but the owner gets 404 and there is no 403 case.
 */
@Injectable()
export class MemoryPolicy {
  can(actor: Actor, _action: MemoryAction, memory: { userId: string }): boolean {
    return actor.id === memory.userId;
  }

  assert(actor: Actor, action: MemoryAction, memory: { userId: string }): void {
    if (!this.can(actor, action, memory)) throw new NotFoundError(MEMORY_NOT_FOUND);
  }

  /** The same rule for lists: only the caller's own rows. */
  visibleTo<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, actor: Actor): SelectQueryBuilder<T> {
    return qb.andWhere(`${alias}.user_id = :memoryOwnerId`, { memoryOwnerId: actor.id });
  }
}
