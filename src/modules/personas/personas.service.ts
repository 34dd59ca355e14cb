import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, QueryFailedError, Repository } from 'typeorm';
import { ModerationStatus } from '../../common/access/access.enums.js';
import type { Actor } from '../../common/auth/actor.js';
import { ConflictError, NotFoundError } from '../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, type Page } from '../../common/pagination/page.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';
import { Pronouns } from '../identity/entities/user.entity.js';
import { MediaService } from '../media/media.service.js';
import type { CreatePersonaDto, PersonaDetailSectionInputDto } from './dto/create-persona.dto.js';
import type { ListPersonasDto } from './dto/list-personas.dto.js';
import type { ModeratePersonaDto } from './dto/moderate-persona.dto.js';
import { type PersonaResponseDto, toPersonaResponse } from './dto/persona-response.dto.js';
import type { UpdatePersonaDto } from './dto/update-persona.dto.js';
import { PersonaDetailSection } from './entities/persona-detail-section.entity.js';
import { Persona, PUBLIC_VISIBLE_PERSONA } from './entities/persona.entity.js';
import { PersonaPolicy } from './persona.policy.js';

/** bots.md §4: at most this many personas per user. */
export const MAX_PERSONAS_PER_USER = 100;

/** DTO field → entity property for the plain columns (everything except sections, avatar and the flags). */
const SCALAR_FIELDS = {
  name: 'name',
  description: 'description',
  gender: 'gender',
  age: 'age',
  pronouns: 'pronouns',
  custom_pronouns: 'customPronouns',
  visual_theme: 'visualTheme',
  color_scheme: 'colorScheme',
  appearance_description: 'appearanceDescription',
  personality: 'personality',
  backstory: 'backstory',
  tone: 'tone',
  formality: 'formality',
  humor: 'humor',
  communication: 'communication',
  response_length: 'responseLength',
  creativity: 'creativity',
  knowledge_sharing: 'knowledgeSharing',
  preferred_topics: 'preferredTopics',
  avoid_topics: 'avoidTopics',
  conversation_starter: 'conversationStarter',
  signature_phrases: 'signaturePhrases',
  custom_instructions: 'customInstructions',
  tags: 'tags',
} as const satisfies Partial<Record<keyof CreatePersonaDto, keyof Persona>>;

/** Fields that may be omitted on PATCH but never set to null. */
const NOT_NULLABLE = [
  'name',
  'description',
  'preferred_topics',
  'avoid_topics',
  'signature_phrases',
  'tags',
  'is_default',
  'is_public',
  'detail_sections',
] as const;
/** Optional text columns: an empty (after trimming) string is stored as null. */
const BLANK_AS_NULL = new Set<string>([
  'color_scheme',
  'appearance_description',
  'personality',
  'backstory',
  'conversation_starter',
  'custom_instructions',
]);
const ARRAY_FIELDS = new Set<string>(['preferred_topics', 'avoid_topics', 'signature_phrases', 'tags']);

@Injectable()
export class PersonasService {
  private readonly logger = new Logger(PersonasService.name);

  constructor(
    @InjectRepository(Persona) private readonly personaRepo: Repository<Persona>,
    private readonly dataSource: DataSource,
    private readonly policy: PersonaPolicy,
    private readonly media: MediaService,
  ) {}

  async list(actor: Actor, query: ListPersonasDto): Promise<Page<PersonaResponseDto>> {
    const scope = query.scope ?? 'mine';
    const sort = query.sort ?? 'recent';
    if (scope === 'public' && sort === 'most_used') {
      // usage_count is private to the owner, and a keyset cursor would carry it.
      throw new ValidationFailedException([
        { field: 'sort', message: 'most_used is available for your own personas only (scope=mine)' },
      ]);
    }
    const qb = this.personaRepo.createQueryBuilder('p').leftJoinAndSelect('p.owner', 'owner');
    if (scope === 'mine') qb.where('p.owner_id = :me', { me: actor.id });
    else qb.where(PUBLIC_VISIBLE_PERSONA.replace(/\b(is_public|moderation_status)\b/g, 'p.$1'));
    if (query.tag) qb.andWhere('p.tags @> ARRAY[:tag]::text[]', { tag: query.tag });
    const tsquery = prefixTsQuery(query.q);
    if (query.q && !tsquery) return { items: [], next_cursor: null };
    if (tsquery) qb.andWhere(`p.search_vector @@ to_tsquery('simple', :tsquery)`, { tsquery });
    const columns: Record<typeof sort, KeysetColumn<Persona>[]> = {
      recent: [
        { expr: 'p.updated_at', direction: 'DESC', value: (p) => p.updatedAt.toISOString(), cast: 'timestamptz' },
        { expr: 'p.id', direction: 'DESC', value: (p) => p.id, cast: 'uuid' },
      ],
      name: [
        { expr: 'p.name_sort', direction: 'ASC', value: (p) => p.nameSort, cast: 'varchar' },
        { expr: 'p.id', direction: 'ASC', value: (p) => p.id, cast: 'uuid' },
      ],
      most_used: [
        { expr: 'p.usage_count', direction: 'DESC', value: (p) => p.usageCount, cast: 'integer' },
        { expr: 'p.id', direction: 'DESC', value: (p) => p.id, cast: 'uuid' },
      ],
    };
    const page = await keysetPage(qb, columns[sort], query);
    return { items: await this.toResponses(actor, page.items), next_cursor: page.next_cursor };
  }

  async get(actor: Actor, id: string): Promise<PersonaResponseDto> {
    const persona = await this.load(this.dataSource.manager, id);
    this.policy.assert(actor, 'view', persona);
    return (await this.toResponses(actor, [persona]))[0];
  }

  async create(actor: Actor, dto: CreatePersonaDto): Promise<PersonaResponseDto> {
    const id = await this.withDefaultConflicts(() =>
      this.dataSource.transaction(async (em) => {
        await this.lockOwner(em, actor.id);
        const [{ n }] = (await em.query('SELECT count(*)::int AS n FROM personas WHERE owner_id = $1', [actor.id])) as {
          n: number;
        }[];
        if (n >= MAX_PERSONAS_PER_USER) {
          throw new ConflictError('PERSONA_LIMIT_REACHED', `You can have at most ${MAX_PERSONAS_PER_USER} personas.`);
        }
        const persona = em.create(Persona, { ownerId: actor.id });
        this.applyFields(persona, dto, true);
        await this.media.assertUsableImage(actor.id, dto.avatar_media_id, null, {
          field: 'avatar_media_id',
          manager: em,
        });
        persona.avatarMediaId = dto.avatar_media_id ?? null;
        persona.isPublic = dto.is_public ?? false;
        persona.isDefault = dto.is_default ?? false;
        if (persona.isDefault) await this.unsetDefault(em, actor.id);
        const saved = await em.save(persona);
        await this.replaceSections(em, saved.id, dto.detail_sections ?? []);
        return saved.id;
      }),
    );
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdatePersonaDto): Promise<PersonaResponseDto> {
    const nulls = NOT_NULLABLE.filter((f) => dto[f] === null);
    if (nulls.length) {
      throw new ValidationFailedException(nulls.map((field) => ({ field, message: `${field} cannot be null` })));
    }
    await this.withDefaultConflicts(() =>
      this.dataSource.transaction(async (em) => {
        const persona = await em.findOne(Persona, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!persona) throw new NotFoundError('PERSONA_NOT_FOUND');
        this.policy.assert(actor, 'update', persona);
        this.applyFields(persona, dto, false);
        if (dto.avatar_media_id !== undefined) {
          await this.media.assertUsableImage(actor.id, dto.avatar_media_id, persona.avatarMediaId, {
            field: 'avatar_media_id',
            manager: em,
          });
          persona.avatarMediaId = dto.avatar_media_id;
        }
        if (dto.is_public !== undefined) persona.isPublic = dto.is_public;
        if (dto.is_default !== undefined && dto.is_default !== persona.isDefault) {
          await this.lockOwner(em, persona.ownerId);
          if (dto.is_default) await this.unsetDefault(em, persona.ownerId, persona.id);
          persona.isDefault = dto.is_default;
        }
        if (dto.detail_sections !== undefined) {
          await this.replaceSections(em, persona.id, dto.detail_sections);
          persona.updatedAt = new Date(); // sections are part of the persona: its updated_at moves too
        }
        await em.save(persona);
      }),
    );
    return this.get(actor, id);
  }

  /** Owner or admin; conversations keep their name snapshot (chat.md), sections cascade, copies keep existing. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const persona = await em.findOne(Persona, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!persona) throw new NotFoundError('PERSONA_NOT_FOUND');
      this.policy.assert(actor, 'delete', persona);
      await em.delete(Persona, { id });
    });
  }

  /** A new private persona for the caller with every field and section, except flags and counters. */
  async copy(actor: Actor, id: string): Promise<PersonaResponseDto> {
    const newId = await this.dataSource.transaction(async (em) => {
      const source = await this.load(em, id);
      this.policy.assert(actor, 'copy', source);
      await this.lockOwner(em, actor.id);
      const [{ n }] = (await em.query('SELECT count(*)::int AS n FROM personas WHERE owner_id = $1', [actor.id])) as {
        n: number;
      }[];
      if (n >= MAX_PERSONAS_PER_USER) {
        throw new ConflictError('PERSONA_LIMIT_REACHED', `You can have at most ${MAX_PERSONAS_PER_USER} personas.`);
      }
      const copy = em.create(Persona, { ownerId: actor.id });
      for (const prop of Object.values(SCALAR_FIELDS)) {
        const value = source[prop];
        (copy as unknown as Record<string, unknown>)[prop] = Array.isArray(value) ? [...value] : value;
      }
      if (source.ownerId !== actor.id) {
        // custom_instructions are never shown to non-owners (they may hold private notes), so a copy of someone
        // else's persona does not carry them; and a new persona may reference only the caller's own media.
        copy.customInstructions = null;
        copy.avatarMediaId = null;
      } else {
        copy.avatarMediaId = source.avatarMediaId;
      }
      copy.isPublic = false;
      copy.isDefault = false;
      copy.copiedFromPersonaId = source.id;
      const saved = await em.save(copy);
      const sections = await em.find(PersonaDetailSection, { where: { personaId: source.id } });
      await this.replaceSections(
        em,
        saved.id,
        sections.sort((a, b) => a.position - b.position).map((s) => ({ label: s.label, content: s.content })),
      );
      return saved.id;
    });
    return this.get(actor, newId);
  }

  /** Moderators hide or restore a public persona (admins any persona). */
  async moderate(actor: Actor, id: string, dto: ModeratePersonaDto): Promise<PersonaResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const persona = await em.findOne(Persona, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!persona) throw new NotFoundError('PERSONA_NOT_FOUND');
      this.policy.assert(actor, 'moderate', persona);
      persona.moderationStatus = dto.status;
      persona.moderationReason = dto.status === ModerationStatus.Hidden ? (dto.reason ?? null) : null;
      persona.moderatedById = actor.id;
      persona.moderatedAt = new Date();
      await em.save(persona);
    });
    this.logger.log({ msg: 'persona moderated', personaId: id, status: dto.status, by: actor.id });
    return this.get(actor, id);
  }

  /**
   * For chat: a persona may be used only by its owner (bots.md §4). Anything else is 404 PERSONA_NOT_FOUND, as
   * chat.md asks. Pass `manager` to run inside the caller's transaction.
   */
  async assertUsable(actorId: string, personaId: string, manager: EntityManager = this.dataSource.manager) {
    const persona = await manager.findOne(Persona, { where: { id: personaId, ownerId: actorId } });
    if (!persona) throw new NotFoundError('PERSONA_NOT_FOUND');
    return persona;
  }

  // ---- helpers ----

  private async load(em: EntityManager, id: string): Promise<Persona> {
    const persona = await em.findOne(Persona, { where: { id }, relations: { owner: true } });
    if (!persona) throw new NotFoundError('PERSONA_NOT_FOUND');
    return persona;
  }

  /** One query for all sections of the page and one for the owners' creator display names: no N+1. */
  private async toResponses(actor: Actor, personas: Persona[]): Promise<PersonaResponseDto[]> {
    if (!personas.length) return [];
    const ids = personas.map((p) => p.id);
    const sections = await this.dataSource.getRepository(PersonaDetailSection).find({
      where: { personaId: In(ids) },
      order: { position: 'ASC' },
    });
    const byPersona = new Map<string, PersonaDetailSection[]>();
    for (const s of sections) byPersona.set(s.personaId, [...(byPersona.get(s.personaId) ?? []), s]);
    const names = await this.creatorDisplayNames([...new Set(personas.map((p) => p.ownerId))]);
    return personas.map((p) =>
      toPersonaResponse(p, byPersona.get(p.id) ?? [], {
        includePrivate: this.policy.can(actor, 'see_private_fields', p),
        includeModeration: this.policy.seesModeration(actor, p),
        ownerDisplayName: names.get(p.ownerId) ?? null,
      }),
    );
  }

  /** Owner cards show the creator profile's display name when there is one (identity.md §1 user card). */
  private async creatorDisplayNames(userIds: string[]): Promise<Map<string, string>> {
    try {
      const rows = (await this.dataSource.query(
        'SELECT user_id, display_name FROM creator_profiles WHERE user_id = ANY($1::uuid[])',
        [userIds],
      )) as { user_id: string; display_name: string | null }[];
      return new Map(rows.filter((r) => r.display_name).map((r) => [r.user_id, r.display_name!]));
    } catch (err) {
      if (err instanceof QueryFailedError && (err as QueryFailedError & { code?: string }).code === '42P01') {
        return new Map(); // creators module not migrated in this deployment
      }
      throw err;
    }
  }

  /** Copies DTO fields onto the entity and enforces the custom_pronouns rule on the merged result. */
  private applyFields(persona: Persona, dto: UpdatePersonaDto, creating: boolean): void {
    const target = persona as unknown as Record<string, unknown>;
    for (const [field, prop] of Object.entries(SCALAR_FIELDS)) {
      let value = (dto as Record<string, unknown>)[field];
      if (value === undefined) {
        if (creating) target[prop] = ARRAY_FIELDS.has(field) ? [] : (target[prop] ?? null);
        continue;
      }
      if (typeof value === 'string' && BLANK_AS_NULL.has(field) && value.trim() === '') value = null;
      if (Array.isArray(value)) value = [...new Set(value as string[])];
      target[prop] = value;
    }
    // Changing pronouns away from `other` drops the custom text unless the request sets it explicitly.
    if (dto.pronouns !== undefined && dto.pronouns !== Pronouns.Other && dto.custom_pronouns === undefined) {
      persona.customPronouns = null;
    }
    const needsCustom = persona.pronouns === Pronouns.Other;
    if (needsCustom !== (persona.customPronouns !== null && persona.customPronouns !== undefined)) {
      throw new ValidationFailedException([
        {
          field: 'custom_pronouns',
          message: needsCustom
            ? 'custom_pronouns is required when pronouns is other'
            : 'custom_pronouns is allowed only when pronouns is other',
        },
      ]);
    }
  }

  private async replaceSections(
    em: EntityManager,
    personaId: string,
    sections: Pick<PersonaDetailSectionInputDto, 'label' | 'content'>[],
  ): Promise<void> {
    await em.delete(PersonaDetailSection, { personaId });
    if (!sections.length) return;
    await em.insert(
      PersonaDetailSection,
      sections.map((s, position) => ({ personaId, position, label: s.label, content: s.content })),
    );
  }

  /** Serialises one owner's default switches and creations (count limit) across concurrent requests. */
  private async lockOwner(em: EntityManager, ownerId: string): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`personas-${ownerId}`]);
  }

  private async unsetDefault(em: EntityManager, ownerId: string, exceptId?: string): Promise<void> {
    const qb = em
      .createQueryBuilder()
      .update(Persona)
      .set({ isDefault: false })
      .where('owner_id = :ownerId AND is_default', { ownerId });
    if (exceptId) qb.andWhere('id <> :exceptId', { exceptId });
    await qb.execute();
  }

  /** A lost race on ux_personas_one_default (should not happen under the owner lock) → 409, never a 500. */
  private async withDefaultConflicts<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const e = err as QueryFailedError & { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (
        err instanceof QueryFailedError &&
        e.code === '23505' &&
        (e.constraint ?? e.driverError?.constraint) === 'ux_personas_one_default'
      ) {
        throw new ConflictError('PERSONA_DEFAULT_CONFLICT', 'Another request changed your default persona; retry.');
      }
      throw err;
    }
  }
}

/** `q` → a prefix tsquery (`word1:* & word2:*`) from letters and digits only, so user text cannot break the syntax. */
export function prefixTsQuery(q: string | undefined): string | null {
  if (!q) return null;
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}
