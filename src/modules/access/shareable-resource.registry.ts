import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AccessResourceType, GrantLevel } from '../../common/access/access.enums.js';
import type { ShareableResource } from '../../common/access/access-level.js';
import type { ResourceCardDto } from './dto/grant-response.dto.js';

/** What the grants service needs to know about one resource. */
export interface GrantableResource extends ShareableResource {
  allowCollaboration: boolean;
  /** Level of a new grant when the request omits it. */
  defaultLevel: GrantLevel;
  /** Cap on active edit/manage grants; null = no cap. */
  maxCollaborators: number | null;
}

/**
 * Implemented by every module whose resources can be shared (bots registers `bot`, knowledge registers
 * `knowledge_collection`) and registered with ShareableResourceRegistry in the module's onModuleInit.
 */
export interface ShareableResourceAdapter {
  readonly type: AccessResourceType;
  /** Table with the shareable columns (id, owner_id, visibility, moderation_status, share_expires_at). */
  readonly table: string;
  /** Problem code for "does not exist or not visible", e.g. BOT_NOT_FOUND. */
  readonly notFoundCode: string;
  /** Loads the row; with `lock`, `SELECT … FOR UPDATE` so concurrent grant writes on one resource serialise. */
  load(em: EntityManager, id: string, lock: boolean): Promise<GrantableResource | null>;
  /** A grant on a private resource makes it shared, in the grant's transaction (bots.md §1.5, §3.5). */
  makeShared(em: EntityManager, id: string): Promise<void>;
  /** Cards for grant listings, one query for all ids. */
  cards(em: EntityManager, ids: string[]): Promise<Map<string, ResourceCardDto>>;
}

@Injectable()
export class ShareableResourceRegistry {
  private readonly adapters = new Map<AccessResourceType, ShareableResourceAdapter>();

  register(adapter: ShareableResourceAdapter): void {
    if (this.adapters.has(adapter.type)) throw new Error(`Resource type ${adapter.type} is already registered.`);
    this.adapters.set(adapter.type, adapter);
  }

  get(type: AccessResourceType): ShareableResourceAdapter | undefined {
    return this.adapters.get(type);
  }

  all(): ShareableResourceAdapter[] {
    return [...this.adapters.values()];
  }
}
