import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, IsNull } from 'typeorm';
import {
  AccessResourceType,
  GrantLevel,
  GrantMethod,
  GrantStatus,
  ModerationStatus,
  ResourceVisibility,
} from '../../common/access/access.enums.js';
import { type AccessLevel, canManageGrants, grantStatus } from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../common/errors/app-error.js';
import { keysetPage, type Page } from '../../common/pagination/page.js';
import { User, UserStatus } from '../identity/entities/user.entity.js';
import type { CreateGrantDto, UpdateGrantDto } from './dto/create-grant.dto.js';
import type { GrantResponseDto, ResourceCardDto } from './dto/grant-response.dto.js';
import type { ListGrantsQueryDto, ReceivedGrantsQueryDto } from './dto/list-grants.dto.js';
import { toUserCard } from './dto/user-card.dto.js';
import { AccessGrant } from './entities/access-grant.entity.js';
import {
  type GrantableResource,
  type ShareableResourceAdapter,
  ShareableResourceRegistry,
} from './shareable-resource.registry.js';

export const MAX_ACTIVE_GRANTS_PER_RESOURCE = 100;

export interface UpsertGrantInput {
  resource: GrantableResource;
  granteeId: string;
  level: GrantLevel;
  method: GrantMethod;
  grantedById: string | null;
  expiresAt?: Date | null;
  reason?: string | null;
  note?: string | null;
}

/**
 * Grants on any shareable resource (bots.md §3.5–3.6). Resource specifics come from the adapter each module
 * registers with ShareableResourceRegistry; who may do what comes from AccessPolicy.
 */
@Injectable()
export class GrantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ShareableResourceRegistry,
    private readonly access: AccessPolicy,
  ) {}

  /** POST /access-grants: create, or refresh the unrevoked grant of that pair (→ created=false). */
  async create(actor: Actor, dto: CreateGrantDto): Promise<{ grant: GrantResponseDto; created: boolean }> {
    if (dto.expires_at && dto.expires_at.getTime() <= Date.now()) throw pastExpiry();
    const result = await this.dataSource.transaction(async (em) => {
      const adapter = this.adapter(dto.resource_type);
      const resource = await this.loadForManagement(em, adapter, actor, dto.resource_id);
      const callerLevel = await this.access.levelFor(actor, resource, em);
      const level = dto.level ?? resource.defaultLevel;
      if (callerLevel === 'manage' && level === GrantLevel.Manage) {
        throw new ForbiddenError('GRANT_FORBIDDEN', 'Managers may grant view or edit only.');
      }
      const grantee = await em.getRepository(User).findOne({
        where: { username: dto.grantee_username },
        select: { id: true, status: true, suspendedUntil: true },
      });
      if (!grantee) throw new NotFoundError('USER_NOT_FOUND', 'No account has this username.');
      if (grantee.id === resource.ownerId || grantee.id === actor.id) {
        throw new InvalidError('INVALID_GRANTEE', 'The owner and you yourself cannot receive a grant.', [
          { field: 'grantee_username', message: 'grantee must not be the owner or the caller' },
        ]);
      }
      if (grantee.status === UserStatus.Suspended && (!grantee.suspendedUntil || grantee.suspendedUntil > new Date())) {
        throw new ConflictError('GRANTEE_INACTIVE', 'This account is suspended.');
      }
      const existing = await em.getRepository(AccessGrant).findOne({
        where: {
          resourceType: dto.resource_type,
          resourceId: dto.resource_id,
          granteeId: grantee.id,
          revokedAt: IsNull(),
        },
      });
      if (existing && callerLevel === 'manage' && existing.level === GrantLevel.Manage) {
        throw new ForbiddenError('GRANT_FORBIDDEN', 'Managers cannot change manage grants.');
      }
      const grant = await this.upsertGrant(em, {
        resource,
        granteeId: grantee.id,
        level: dto.level ?? existing?.level ?? resource.defaultLevel,
        method: GrantMethod.DirectShare,
        grantedById: actor.id,
        expiresAt: dto.expires_at ?? null,
        reason: dto.reason,
        note: dto.note,
      });
      return { id: grant.grant.id, created: grant.created };
    });
    return { grant: await this.getResponse(result.id), created: result.created };
  }

  /**
   * Creates or refreshes the grant of one grantee on one resource inside the caller's transaction, enforcing
   * allow_collaboration, max_collaborators and the 100-grant cap, and making a private resource shared. For
   * internal callers too (share-password redemption, program memberships). The resource should be loaded with a lock.
   */
  async upsertGrant(em: EntityManager, input: UpsertGrantInput): Promise<{ grant: AccessGrant; created: boolean }> {
    const { resource } = input;
    const repo = em.getRepository(AccessGrant);
    const existing = await repo.findOne({
      where: {
        resourceType: resource.resourceType,
        resourceId: resource.id,
        granteeId: input.granteeId,
        revokedAt: IsNull(),
      },
    });
    await this.assertCollaborationAllowed(em, resource, input.level, existing?.id ?? null);
    if (!existing) {
      const [{ n }] = await em.query(
        `SELECT count(*)::int AS n FROM access_grants WHERE resource_type = $1 AND resource_id = $2
           AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
        [resource.resourceType, resource.id],
      );
      if (n >= MAX_ACTIVE_GRANTS_PER_RESOURCE) {
        throw new ConflictError('GRANT_LIMIT', `A resource can have at most ${MAX_ACTIVE_GRANTS_PER_RESOURCE} grants.`);
      }
    }
    let grant: AccessGrant;
    if (existing) {
      existing.level = input.level;
      existing.expiresAt = input.expiresAt ?? null;
      if (input.reason !== undefined) existing.reason = input.reason;
      if (input.note !== undefined) existing.note = input.note;
      grant = await repo.save(existing);
    } else {
      grant = await repo.save(
        repo.create({
          resourceType: resource.resourceType,
          ...typedColumn(resource.resourceType, resource.id),
          granteeId: input.granteeId,
          level: input.level,
          grantMethod: input.method,
          grantedById: input.grantedById,
          expiresAt: input.expiresAt ?? null,
          reason: input.reason ?? null,
          note: input.note ?? null,
        }),
      );
    }
    if (resource.visibility === ResourceVisibility.Private) {
      await this.adapter(resource.resourceType).makeShared(em, resource.id);
    }
    return { grant, created: !existing };
  }

  /** PATCH /access-grants/{id}. */
  async update(actor: Actor, id: string, dto: UpdateGrantDto): Promise<GrantResponseDto> {
    if (dto.expires_at && dto.expires_at.getTime() <= Date.now()) throw pastExpiry();
    await this.dataSource.transaction(async (em) => {
      const grant = await this.loadGrant(em, id);
      const adapter = this.adapter(grant.resourceType);
      const resource = await adapter.load(em, grant.resourceId, true);
      if (!resource) throw grantNotFound();
      const level = await this.access.levelFor(actor, resource, em);
      this.assertCanSeeGrant(actor, grant, level);
      if (!canManageGrants(level))
        throw new ForbiddenError('GRANT_FORBIDDEN', 'Only the owner or a manager may change grants.');
      if (grant.revokedAt) throw new ConflictError('GRANT_REVOKED', 'A revoked grant cannot be changed; grant again.');
      if (level === 'manage' && (grant.level === GrantLevel.Manage || dto.level === GrantLevel.Manage)) {
        throw new ForbiddenError('GRANT_FORBIDDEN', 'Managers cannot touch or give manage grants.');
      }
      if (dto.level !== undefined) {
        await this.assertCollaborationAllowed(em, resource, dto.level, grant.id);
        grant.level = dto.level;
      }
      if (dto.expires_at !== undefined) grant.expiresAt = dto.expires_at;
      if (dto.note !== undefined) grant.note = dto.note;
      await em.getRepository(AccessGrant).save(grant);
    });
    return this.getResponse(id);
  }

  /** DELETE /access-grants/{id}: soft revoke (owner, admin, manager for view/edit grants, the grantee). */
  async revoke(actor: Actor, id: string, reason?: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const grant = await this.loadGrant(em, id);
      if (grant.granteeId !== actor.id) {
        const resource = await this.adapter(grant.resourceType).load(em, grant.resourceId, true);
        if (!resource) throw grantNotFound();
        const level = await this.access.levelFor(actor, resource, em);
        this.assertCanSeeGrant(actor, grant, level);
        if (!canManageGrants(level))
          throw new ForbiddenError('GRANT_FORBIDDEN', 'Only the owner or a manager may revoke.');
        if (level === 'manage' && grant.level === GrantLevel.Manage) {
          throw new ForbiddenError('GRANT_FORBIDDEN', 'Managers cannot revoke manage grants.');
        }
      }
      if (grant.revokedAt) return; // idempotent; a revoked grant is never reactivated
      await em
        .getRepository(AccessGrant)
        .update({ id: grant.id }, { revokedAt: () => 'now()', revokedById: actor.id, revokeReason: reason ?? null });
    });
  }

  /** GET /access-grants: grants on one resource (owner, manager, admin). */
  async list(actor: Actor, query: ListGrantsQueryDto): Promise<Page<GrantResponseDto>> {
    const em = this.dataSource.manager;
    const adapter = this.adapter(query.resource_type);
    const resource = await this.loadForManagement(em, adapter, actor, query.resource_id, false);
    const qb = em
      .getRepository(AccessGrant)
      .createQueryBuilder('g')
      .leftJoinAndSelect('g.grantee', 'grantee')
      .leftJoinAndSelect('g.grantedBy', 'granter')
      .where('g.resource_type = :type AND g.resource_id = :rid', { type: query.resource_type, rid: query.resource_id });
    if (!query.include_inactive) qb.andWhere('g.revoked_at IS NULL');
    const page = await keysetPage(
      qb,
      [
        { expr: 'g.created_at', direction: 'DESC', value: (g) => g.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'g.id', direction: 'DESC', value: (g) => g.id, cast: 'uuid' },
      ],
      query,
    );
    return { items: page.items.map((g) => toGrantResponse(g, resource)), next_cursor: page.next_cursor };
  }

  /** GET /access-grants/received: my active grants with resource cards. */
  async received(actor: Actor, query: ReceivedGrantsQueryDto): Promise<Page<GrantResponseDto>> {
    const em = this.dataSource.manager;
    const adapters = query.resource_type
      ? [this.registry.get(query.resource_type)].filter((a): a is ShareableResourceAdapter => !!a)
      : this.registry.all();
    if (!adapters.length) return { items: [], next_cursor: null };
    const qb = em
      .getRepository(AccessGrant)
      .createQueryBuilder('g')
      .leftJoinAndSelect('g.grantee', 'grantee')
      .leftJoinAndSelect('g.grantedBy', 'granter')
      .where('g.grantee_id = :me AND g.revoked_at IS NULL AND (g.expires_at IS NULL OR g.expires_at > now())', {
        me: actor.id,
      });
    const perType = adapters.map(
      (a) =>
        `(g.resource_type = '${a.type}' AND EXISTS (SELECT 1 FROM ${a.table} r WHERE r.id = g.resource_id` +
        ` AND r.visibility <> '${ResourceVisibility.Private}' AND r.moderation_status = '${ModerationStatus.Visible}'` +
        ` AND (r.share_expires_at IS NULL OR r.share_expires_at > now())))`,
    );
    qb.andWhere(`(${perType.join(' OR ')})`);
    const page = await keysetPage(
      qb,
      [
        { expr: 'g.created_at', direction: 'DESC', value: (g) => g.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'g.id', direction: 'DESC', value: (g) => g.id, cast: 'uuid' },
      ],
      query,
    );
    const cards = new Map<string, ResourceCardDto>();
    for (const a of adapters) {
      const ids = page.items.filter((g) => g.resourceType === a.type).map((g) => g.resourceId);
      if (ids.length) for (const [k, v] of await a.cards(em, ids)) cards.set(k, v);
    }
    return {
      items: page.items.map((g) => ({
        ...toGrantResponse(g, null),
        status: GrantStatus.Active,
        resource: cards.get(g.resourceId),
      })),
      next_cursor: page.next_cursor,
    };
  }

  /** Deletes every grant of a resource (for resource types whose typed column has no database cascade yet). */
  async deleteForResource(em: EntityManager, type: AccessResourceType, resourceId: string): Promise<void> {
    await em.query(`DELETE FROM access_grants WHERE resource_type = $1 AND resource_id = $2`, [type, resourceId]);
  }

  private async getResponse(id: string): Promise<GrantResponseDto> {
    const grant = await this.dataSource.getRepository(AccessGrant).findOne({
      where: { id },
      relations: { grantee: true, grantedBy: true },
    });
    if (!grant) throw grantNotFound();
    const resource = await this.adapter(grant.resourceType).load(this.dataSource.manager, grant.resourceId, false);
    return toGrantResponse(grant, resource);
  }

  private adapter(type: AccessResourceType): ShareableResourceAdapter {
    const adapter = this.registry.get(type);
    if (!adapter) throw new NotFoundError('RESOURCE_NOT_FOUND', `Resources of type ${type} cannot be shared here.`);
    return adapter;
  }

  /** Loads a resource the caller must manage: invisible → 404, visible without owner/manage → 403. */
  private async loadForManagement(
    em: EntityManager,
    adapter: ShareableResourceAdapter,
    actor: Actor,
    id: string,
    lock = true,
  ): Promise<GrantableResource> {
    const resource = await adapter.load(em, id, lock);
    if (!resource) throw new NotFoundError(adapter.notFoundCode);
    const level = await this.access.levelFor(actor, resource, em);
    if (level === null) throw new NotFoundError(adapter.notFoundCode);
    if (!canManageGrants(level)) {
      throw new ForbiddenError('GRANT_FORBIDDEN', 'Only the owner or a manager may manage grants.');
    }
    return resource;
  }

  private async loadGrant(em: EntityManager, id: string): Promise<AccessGrant> {
    const grant = await em.getRepository(AccessGrant).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!grant) throw grantNotFound();
    return grant;
  }

  /** A grant is visible to its grantee and to whoever can read the resource; others get 404. */
  private assertCanSeeGrant(actor: Actor, grant: AccessGrant, level: AccessLevel): void {
    if (grant.granteeId !== actor.id && level === null) throw grantNotFound();
  }

  private async assertCollaborationAllowed(
    em: EntityManager,
    resource: GrantableResource,
    level: GrantLevel,
    excludeGrantId: string | null,
  ): Promise<void> {
    if (level === GrantLevel.View) return;
    if (!resource.allowCollaboration) {
      throw new ConflictError('COLLABORATION_DISABLED', 'Edit and manage grants need allow_collaboration.');
    }
    if (resource.maxCollaborators === null) return;
    const [{ n }] = await em.query(
      `SELECT count(*)::int AS n FROM access_grants WHERE resource_type = $1 AND resource_id = $2
         AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND level IN ('edit', 'manage')
         AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [resource.resourceType, resource.id, excludeGrantId],
    );
    if (n >= resource.maxCollaborators) {
      throw new ConflictError('COLLABORATOR_LIMIT', `At most ${resource.maxCollaborators} collaborators are allowed.`);
    }
  }
}

function typedColumn(type: AccessResourceType, id: string): Partial<AccessGrant> {
  switch (type) {
    case AccessResourceType.Bot:
      return { botId: id };
    case AccessResourceType.KnowledgeCollection:
      return { knowledgeCollectionId: id };
    case AccessResourceType.CreatorProfile:
      return { creatorProfileId: id };
  }
}

function grantNotFound(): NotFoundError {
  return new NotFoundError('GRANT_NOT_FOUND');
}

function pastExpiry(): InvalidError {
  return new InvalidError('VALIDATION_FAILED', 'expires_at must be in the future.', [
    { field: 'expires_at', message: 'expires_at must be in the future' },
  ]);
}

export function toGrantResponse(grant: AccessGrant, resource: GrantableResource | null): GrantResponseDto {
  return {
    id: grant.id,
    resource_type: grant.resourceType,
    resource_id: grant.resourceId,
    grantee: toUserCard(grant.grantee!),
    level: grant.level,
    grant_method: grant.grantMethod,
    granted_by: grant.grantedBy ? toUserCard(grant.grantedBy) : null,
    reason: grant.reason,
    note: grant.note,
    expires_at: grant.expiresAt,
    revoked_at: grant.revokedAt,
    revoke_reason: grant.revokeReason,
    status: resource ? grantStatus(grant, resource) : grant.revokedAt ? GrantStatus.Revoked : GrantStatus.Active,
    last_used_at: grant.lastUsedAt,
    use_count: grant.useCount,
    created_at: grant.createdAt,
    updated_at: grant.updatedAt,
  };
}
