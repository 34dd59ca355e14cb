/**
 * AccessPolicy: the one implementation of bots.md §3.4 ("effective access") for every shareable resource
 * (bots, knowledge collections). Provided globally by AccessModule (src/modules/access), so any module can inject it.
 *
 * How another module uses it (knowledge collections, for example):
 *
 *   1. Give the entity the shareable columns: owner_id, visibility (`ResourceVisibility`, enumName
 *      `resource_visibility`), moderation_status (`ModerationStatus`, enumName `moderation_status`),
 *      share_expires_at, allow_collaboration (all from src/common/access/access.enums.ts).
 *   2. Single reads: `const level = await access.levelFor(actor, shareable(AccessResourceType.KnowledgeCollection, row))`
 *      (pass the transaction's EntityManager as third argument inside a transaction). `level === null` → 404;
 *      then decide with the helpers of access-level.ts: canRead / canUse (chat, link, fork: not for the moderator's
 *      'moderation' view) / canEdit / canManageGrants / isOwnerLevel → 403 when false.
 *   3. Lists: `access.visibleTo(qb, 'kc', actor, AccessResourceType.KnowledgeCollection)` adds the same rule as SQL
 *      (owner, admin, moderator, public+visible, or an active grant through an EXISTS on access_grants), so a list
 *      never shows what a direct read would refuse. `access.levelsFor(actor, rows)` then computes `my_access` for a
 *      whole page with one query.
 *   4. Grants: register a `ShareableResourceAdapter` with `ShareableResourceRegistry` (src/modules/access) in your
 *      module's onModuleInit; `/access-grants` then works for your resource type, and GrantsService offers
 *      `upsertGrant(em, …)` for internal grants (e.g. share-password redemption) and `deleteForResource(em, …)` for
 *      deletes while the typed FK column has no database cascade yet.
 *
 * Levels are never cached beyond one call: lowering or revoking a grant takes effect on the next request.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, type DataSource, type EntityManager, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { type Actor, isAdmin, isStaff } from '../auth/actor.js';
import { AccessResourceType, type GrantLevel, ModerationStatus, ResourceVisibility } from './access.enums.js';
import { type AccessLevel, type GrantLike, resolveAccessLevel, type ShareableResource } from './access-level.js';

export interface VisibleToOptions {
  /**
   * Default true: admins and moderators see every row (what they may read). false: treat them like any user (own +
   * granted + public), e.g. for "accessible to me" lists that should not fill up with everybody's bots.
   */
  staffBypass?: boolean;
}

interface GrantRow {
  id: string;
  resource_id: string;
  level: GrantLevel;
  expires_at: Date | null;
}

let paramSeq = 0;

@Injectable()
export class AccessPolicy {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** bots.md §3.4 for one resource; at most one query (the caller's unrevoked grant). */
  async levelFor(
    actor: Actor | null | undefined,
    resource: ShareableResource,
    em?: EntityManager,
  ): Promise<AccessLevel> {
    const quick = this.withoutGrant(actor, resource);
    if (quick !== undefined) return quick;
    const grants = await this.loadGrants(actor!, resource.resourceType, [resource.id], em);
    return resolveAccessLevel(actor, resource, grants.get(resource.id) ?? null);
  }

  /** levelFor for a page of resources of one type, with one grants query. Map keyed by resource id. */
  async levelsFor(
    actor: Actor | null | undefined,
    resources: ShareableResource[],
    em?: EntityManager,
  ): Promise<Map<string, AccessLevel>> {
    const out = new Map<string, AccessLevel>();
    const pending: ShareableResource[] = [];
    for (const r of resources) {
      const quick = this.withoutGrant(actor, r);
      if (quick === undefined) pending.push(r);
      else out.set(r.id, quick);
    }
    if (pending.length) {
      const byType = new Map<AccessResourceType, ShareableResource[]>();
      for (const r of pending) byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), r]);
      for (const [type, list] of byType) {
        const grants = await this.loadGrants(
          actor!,
          type,
          list.map((r) => r.id),
          em,
        );
        for (const r of list) out.set(r.id, resolveAccessLevel(actor, r, grants.get(r.id) ?? null));
      }
    }
    return out;
  }

  /** The caller's unrevoked grant rows (at most one per resource: ux_access_grants_active). */
  async grantFor(
    actor: Actor,
    resource: ShareableResource,
    em?: EntityManager,
  ): Promise<(GrantLike & { id: string }) | null> {
    const grants = await this.loadGrants(actor, resource.resourceType, [resource.id], em);
    return grants.get(resource.id) ?? null;
  }

  /**
   * Adds "the caller may read this row" to a list query, in SQL (one EXISTS on access_grants through
   * ux_access_grants_active). `alias` must have the shareable columns (owner_id, visibility, moderation_status,
   * share_expires_at). Anonymous: public and visible. Admin and moderators (unless staffBypass=false): all.
   */
  visibleTo<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    alias: string,
    actor: Actor | null | undefined,
    resourceType: AccessResourceType,
    options: VisibleToOptions = {},
  ): SelectQueryBuilder<T> {
    const staffBypass = options.staffBypass ?? true;
    if (staffBypass && (isAdmin(actor) || isStaff(actor))) return qb;
    const p = `acc${++paramSeq}`;
    const publicVisible = `(${alias}.visibility = '${ResourceVisibility.Public}' AND ${alias}.moderation_status = '${ModerationStatus.Visible}')`;
    if (!actor) return qb.andWhere(publicVisible);
    return qb.andWhere(
      new Brackets((w) => {
        w.where(`${alias}.owner_id = :${p}_actor`, { [`${p}_actor`]: actor.id })
          .orWhere(publicVisible)
          .orWhere(
            `(${alias}.moderation_status = '${ModerationStatus.Visible}' AND ${this.grantExistsSql(alias, p)})`,
            {
              [`${p}_type`]: resourceType,
            },
          );
      }),
    );
  }

  /**
   * SQL for "the caller (parameter :<p>_actor) holds an active grant on <alias>": not revoked, not expired, share not
   * expired, resource not private. Exposed for lists such as "shared with me". Parameters: `<p>_actor`, `<p>_type`.
   */
  grantExistsSql(alias: string, p: string, levels?: GrantLevel[]): string {
    const levelCond = levels?.length ? ` AND g_${p}.level IN (${levels.map((l) => `'${l}'`).join(', ')})` : '';
    return (
      `(${alias}.visibility <> '${ResourceVisibility.Private}'` +
      ` AND (${alias}.share_expires_at IS NULL OR ${alias}.share_expires_at > now())` +
      ` AND EXISTS (SELECT 1 FROM access_grants g_${p} WHERE g_${p}.resource_type = :${p}_type` +
      ` AND g_${p}.resource_id = ${alias}.id AND g_${p}.grantee_id = :${p}_actor AND g_${p}.revoked_at IS NULL` +
      ` AND (g_${p}.expires_at IS NULL OR g_${p}.expires_at > now())${levelCond}))`
    );
  }

  /**
   * Records that the caller's grant on a resource was used (bots.md §3.2 last_used_at/use_count), at most once per
   * minute per grant, so reads stay cheap. Call after a read whose level came from a grant (view/edit/manage).
   */
  async touchGrant(granteeId: string, resource: ShareableResource, em?: EntityManager): Promise<void> {
    await (em ?? this.dataSource.manager).query(
      `UPDATE access_grants SET last_used_at = now(), use_count = use_count + 1
        WHERE resource_type = $1 AND resource_id = $2 AND grantee_id = $3 AND revoked_at IS NULL
          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [resource.resourceType, resource.id, granteeId],
    );
  }

  /** Decides without the grants table when it can; undefined when a grant lookup is needed. */
  private withoutGrant(actor: Actor | null | undefined, resource: ShareableResource): AccessLevel | undefined {
    if (!actor || isAdmin(actor) || actor.id === resource.ownerId) return resolveAccessLevel(actor, resource, null);
    if (resource.moderationStatus === ModerationStatus.Hidden) return resolveAccessLevel(actor, resource, null);
    return undefined;
  }

  private async loadGrants(
    actor: Actor,
    type: AccessResourceType,
    ids: string[],
    em?: EntityManager,
  ): Promise<Map<string, GrantLike & { id: string }>> {
    const rows: GrantRow[] = await (em ?? this.dataSource.manager).query(
      `SELECT id, resource_id, level, expires_at FROM access_grants
        WHERE resource_type = $1 AND resource_id = ANY($2::uuid[]) AND grantee_id = $3 AND revoked_at IS NULL`,
      [type, ids, actor.id],
    );
    return new Map(
      rows.map((r) => [
        r.resource_id,
        { id: r.id, level: r.level, expiresAt: r.expires_at ? new Date(r.expires_at) : null, revokedAt: null },
      ]),
    );
  }
}
