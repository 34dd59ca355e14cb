import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In, QueryFailedError, Repository } from 'typeorm';
import { type Actor, isStaff } from '../../../common/auth/actor.js';
import { ConflictError, NotFoundError } from '../../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, mapPage, type Page } from '../../../common/pagination/page.js';
import { ValidationFailedException } from '../../../common/validation/validation-failed.exception.js';
import { CrisisDetector } from './crisis-detector.js';
import { normalizeCrisisText, resolveCrisisLocale } from './crisis-matching.js';
import { SelfModerationSettings } from '../self-moderation/entities/self-moderation-settings.entity.js';
import { CrisisPolicy } from './crisis.policy.js';
import {
  type CrisisKeywordResponseDto,
  type CreateCrisisKeywordDto,
  type ListCrisisKeywordsDto,
  toCrisisKeywordResponse,
  type UpdateCrisisKeywordDto,
} from './dto/crisis-keyword.dto.js';
import type {
  CreateCrisisResourceDto,
  CrisisHoursDto,
  CrisisRegionDto,
  UpdateCrisisResourceDto,
  VerifyCrisisResourceDto,
} from './dto/crisis-resource-input.dto.js';
import {
  type CrisisResourceResponseDto,
  type CrisisResourcesForMeDto,
  toCrisisResourceResponse,
} from './dto/crisis-resource-response.dto.js';
import type { ListCrisisResourcesDto } from './dto/list-crisis-resources.dto.js';
import { CrisisKeyword } from './entities/crisis-keyword.entity.js';
import { CrisisResourceHours } from './entities/crisis-resource-hours.entity.js';
import { CrisisResourceRegion } from './entities/crisis-resource-region.entity.js';
import { CrisisResource } from './entities/crisis-resource.entity.js';
import { CrisisVerification, VISIBLE_STATUSES } from './entities/crisis.enums.js';

/** Fields whose change (like a change of regions) sends a verified resource back to pending (§4.4). */
const CONTACT_FIELDS = [
  'phone_number',
  'text_number',
  'text_instructions',
  'website_url',
  'chat_url',
  'app_url',
  'email',
] as const;
const NOT_NULLABLE = [
  'title',
  'description',
  'resource_type',
  'resource_category',
  'languages',
  'is_worldwide',
  'is_24_7',
  'timezone',
  'cost',
  'features',
  'tags',
  'is_emergency',
  'display_order',
  'regions',
  'hours',
  'is_active',
  'verify',
] as const;

const DTO_TO_ENTITY: Record<string, keyof CrisisResource> = {
  title: 'title',
  description: 'description',
  resource_type: 'resourceType',
  resource_category: 'resourceCategory',
  phone_number: 'phoneNumber',
  text_number: 'textNumber',
  text_instructions: 'textInstructions',
  website_url: 'websiteUrl',
  chat_url: 'chatUrl',
  app_url: 'appUrl',
  email: 'email',
  is_worldwide: 'isWorldwide',
  is_24_7: 'is24x7',
  timezone: 'timezone',
  hours_note: 'hoursNote',
  languages: 'languages',
  cost: 'cost',
  features: 'features',
  tags: 'tags',
  is_emergency: 'isEmergency',
  display_order: 'displayOrder',
  is_active: 'isActive',
};

/**
 * Crisis resources and keywords (wellbeing.md §4.1, §4.2, §4.4). Nothing here logs: keywords and crisis data stay out
 * of log lines.
 */
@Injectable()
export class CrisisService {
  constructor(
    @InjectRepository(CrisisResource) private readonly resourceRepo: Repository<CrisisResource>,
    @InjectRepository(CrisisKeyword) private readonly keywordRepo: Repository<CrisisKeyword>,
    private readonly dataSource: DataSource,
    private readonly policy: CrisisPolicy,
    private readonly detector: CrisisDetector,
  ) {}

  // ---- resources ----

  /** Public list in §4.3 order: emergency first, more specific region, verified before needs_update, order, title. */
  async list(actor: Actor | undefined, query: ListCrisisResourcesDto): Promise<Page<CrisisResourceResponseDto>> {
    if (query.subdivision && !query.country) {
      throw new ValidationFailedException([{ field: 'subdivision', message: 'subdivision needs country' }]);
    }
    const country = query.country?.toUpperCase() ?? null;
    const subdivision = query.subdivision?.toUpperCase() ?? null;
    if (country && subdivision && !subdivision.startsWith(`${country}-`)) {
      throw new ValidationFailedException([{ field: 'subdivision', message: 'subdivision must start with country' }]);
    }
    const staff = isStaff(actor);
    const qb = this.resourceRepo.createQueryBuilder('r');
    if (!staff) {
      qb.where('r.is_active = true').andWhere('r.verification_status IN (:...visible)', { visible: VISIBLE_STATUSES });
    }
    if (query.lang)
      qb.andWhere('r.languages @> CAST(:langs AS text[])', { langs: [query.lang.split('-')[0].toLowerCase()] });
    if (query.category) qb.andWhere('r.resource_category = :category', { category: query.category });
    if (query.type) qb.andWhere('r.resource_type = :type', { type: query.type });
    if (query.emergency !== undefined) qb.andWhere('r.is_emergency = :emergency', { emergency: query.emergency });
    if (query.open_now) qb.andWhere(OPEN_NOW_SQL);
    let regionRank = '0';
    if (country) {
      const sub = subdivision ? 'AND (g.subdivision_code IS NULL OR g.subdivision_code = :subdivision)' : '';
      qb.andWhere(
        `(r.is_worldwide OR EXISTS (SELECT 1 FROM crisis_resource_regions g WHERE g.resource_id = r.id AND g.country_code = :country ${sub}))`,
        { country, subdivision },
      );
      regionRank = `(CASE
        WHEN EXISTS (SELECT 1 FROM crisis_resource_regions g WHERE g.resource_id = r.id AND g.country_code = :country
          AND g.subdivision_code = :subdivision) THEN 0
        WHEN EXISTS (SELECT 1 FROM crisis_resource_regions g WHERE g.resource_id = r.id AND g.country_code = :country
          AND g.subdivision_code IS NULL) THEN 1
        ELSE 2 END)`;
    }
    const columns: KeysetColumn<CrisisResource>[] = [
      {
        expr: '(CASE WHEN r.is_emergency THEN 0 ELSE 1 END)',
        direction: 'ASC',
        selectAs: 'k_emergency',
        cast: 'integer',
        value: (_, raw) => Number(raw.k_emergency),
      },
      {
        expr: regionRank,
        direction: 'ASC',
        selectAs: 'k_region',
        cast: 'integer',
        value: (_, raw) => Number(raw.k_region),
      },
      {
        expr: `(CASE WHEN r.verification_status = 'verified' THEN 0 ELSE 1 END)`,
        direction: 'ASC',
        selectAs: 'k_status',
        cast: 'integer',
        value: (_, raw) => Number(raw.k_status),
      },
      { expr: 'r.display_order', direction: 'ASC', cast: 'integer', value: (r) => r.displayOrder },
      { expr: 'r.title', direction: 'ASC', cast: 'varchar', value: (r) => r.title },
      { expr: 'r.id', direction: 'ASC', cast: 'uuid', value: (r) => r.id },
    ];
    const page = await keysetPage(qb, columns, query);
    return this.withChildren(page, staff);
  }

  /**
   * The public list for the caller's region and language (§4.3 order of precedence: the self-moderation settings'
   * support_* fields, then Accept-Language, then worldwide and en).
   */
  async forMe(
    actor: Actor,
    acceptLanguage: string | undefined,
    query: ListCrisisResourcesDto,
  ): Promise<CrisisResourcesForMeDto> {
    const settings = await this.dataSource.getRepository(SelfModerationSettings).findOneBy({ userId: actor.id });
    const locale = resolveCrisisLocale({
      acceptLanguage,
      supportCountry: settings?.supportCountry,
      supportSubdivision: settings?.supportSubdivision,
      supportLanguage: settings?.supportLanguage,
    });
    const country = query.country ?? locale.country ?? undefined;
    if (!query.country && !query.subdivision && locale.subdivision)
      query = { ...query, subdivision: locale.subdivision };
    const lang = query.lang ?? locale.language;
    const page = await this.list(actor, { ...query, country, lang });
    if (page.items.length || query.cursor || lang === 'en') {
      return { ...page, region_used: query.subdivision ?? country ?? null, language_used: lang };
    }
    const fallback = await this.list(actor, { ...query, country, lang: 'en' });
    return { ...fallback, region_used: query.subdivision ?? country ?? null, language_used: 'en' };
  }

  async get(actor: Actor | undefined, id: string): Promise<CrisisResourceResponseDto> {
    const resource = await this.resourceRepo.findOne({ where: { id }, relations: { regions: true, hours: true } });
    if (!resource) throw new NotFoundError('CRISIS_RESOURCE_NOT_FOUND');
    this.policy.assert(actor, 'view', resource);
    return toCrisisResourceResponse(resource, resource.regions ?? [], resource.hours ?? [], isStaff(actor));
  }

  async create(actor: Actor, dto: CreateCrisisResourceDto): Promise<CrisisResourceResponseDto> {
    this.policy.assert(actor, 'create');
    this.checkRegions(dto.regions);
    this.checkHours(dto.hours);
    const resource = this.resourceRepo.create({ createdById: actor.id, updatedById: actor.id });
    this.apply(resource, dto);
    this.checkContact(resource);
    const id = await this.dataSource.transaction(async (em) => {
      const saved = await em.save(CrisisResource, resource);
      await this.replaceChildren(em, saved.id, dto.regions ?? [], dto.hours ?? []);
      return saved.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateCrisisResourceDto): Promise<CrisisResourceResponseDto> {
    const nulls = NOT_NULLABLE.filter((f) => (dto as Record<string, unknown>)[f] === null);
    if (nulls.length)
      throw new ValidationFailedException(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    this.checkRegions(dto.regions);
    this.checkHours(dto.hours);
    await this.dataSource.transaction(async (em) => {
      const resource = await em.findOne(CrisisResource, {
        where: { id },
        relations: { regions: true },
        lock: { mode: 'pessimistic_write', tables: ['crisis_resources'] },
      });
      if (!resource) throw new NotFoundError('CRISIS_RESOURCE_NOT_FOUND');
      this.policy.assert(actor, 'update', resource);
      const contactChanged =
        CONTACT_FIELDS.some((f) => dto[f] !== undefined && (dto[f] ?? null) !== resource[DTO_TO_ENTITY[f]]) ||
        (dto.regions !== undefined && regionKey(dto.regions) !== regionKey(resource.regions ?? []));
      this.apply(resource, dto);
      this.checkContact(resource);
      resource.updatedById = actor.id;
      if (dto.verify) {
        resource.verificationStatus = CrisisVerification.Verified;
        resource.verifiedAt = new Date();
        resource.verifiedById = actor.id;
      } else if (contactChanged && VISIBLE_STATUSES.includes(resource.verificationStatus)) {
        resource.verificationStatus = CrisisVerification.Pending;
      }
      delete resource.regions;
      await em.save(CrisisResource, resource);
      if (dto.regions !== undefined || dto.hours !== undefined) {
        await this.replaceChildren(em, id, dto.regions, dto.hours);
      }
    });
    return this.get(actor, id);
  }

  async verify(actor: Actor, id: string, dto: VerifyCrisisResourceDto): Promise<CrisisResourceResponseDto> {
    await this.dataSource.transaction(async (em) => {
      const resource = await em.findOne(CrisisResource, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!resource) throw new NotFoundError('CRISIS_RESOURCE_NOT_FOUND');
      this.policy.assert(actor, 'verify', resource);
      resource.verificationStatus = dto.status;
      if (dto.notes !== undefined) resource.verificationNotes = dto.notes;
      if (dto.status === CrisisVerification.Verified) {
        resource.verifiedAt = new Date();
        resource.verifiedById = actor.id;
      }
      resource.updatedById = actor.id;
      await em.save(CrisisResource, resource);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const resource = await this.resourceRepo.findOneBy({ id });
    if (!resource) throw new NotFoundError('CRISIS_RESOURCE_NOT_FOUND');
    this.policy.assert(actor, 'delete', resource);
    await this.resourceRepo.delete({ id });
  }

  private apply(resource: CrisisResource, dto: UpdateCrisisResourceDto): void {
    for (const [key, prop] of Object.entries(DTO_TO_ENTITY)) {
      const value = (dto as Record<string, unknown>)[key];
      if (value !== undefined) (resource as unknown as Record<string, unknown>)[prop] = value;
    }
  }

  private checkContact(r: CrisisResource): void {
    if (!r.phoneNumber && !r.textNumber && !r.websiteUrl && !r.chatUrl && !r.email && !r.appUrl) {
      throw new ValidationFailedException([
        { field: 'phone_number', message: 'at least one of phone, text, website, chat, email or app is required' },
      ]);
    }
  }

  private checkRegions(regions: CrisisRegionDto[] | undefined): void {
    if (!regions) return;
    const errors: { field: string; message: string }[] = [];
    const seen = new Set<string>();
    regions.forEach((g, i) => {
      if (g.subdivision_code && !g.subdivision_code.startsWith(`${g.country_code}-`)) {
        errors.push({
          field: `regions.${i}.subdivision_code`,
          message: 'subdivision_code must start with country_code',
        });
      }
      const key = `${g.country_code}/${g.subdivision_code ?? ''}`;
      if (seen.has(key)) errors.push({ field: `regions.${i}`, message: 'duplicate region' });
      seen.add(key);
    });
    if (errors.length) throw new ValidationFailedException(errors);
  }

  private checkHours(hours: CrisisHoursDto[] | undefined): void {
    if (!hours) return;
    const seen = new Set<string>();
    hours.forEach((h, i) => {
      const key = `${h.iso_weekday}/${h.opens_at.slice(0, 5)}`;
      if (seen.has(key)) throw new ValidationFailedException([{ field: `hours.${i}`, message: 'duplicate slot' }]);
      seen.add(key);
    });
  }

  private async replaceChildren(
    em: EntityManager,
    resourceId: string,
    regions: CrisisRegionDto[] | undefined,
    hours: CrisisHoursDto[] | undefined,
  ): Promise<void> {
    if (regions !== undefined) {
      await em.delete(CrisisResourceRegion, { resourceId });
      if (regions.length) {
        await em.insert(
          CrisisResourceRegion,
          regions.map((g) => ({
            resourceId,
            countryCode: g.country_code,
            subdivisionCode: g.subdivision_code ?? null,
          })),
        );
      }
    }
    if (hours !== undefined) {
      await em.delete(CrisisResourceHours, { resourceId });
      if (hours.length) {
        await em.insert(
          CrisisResourceHours,
          hours.map((h) => ({ resourceId, isoWeekday: h.iso_weekday, opensAt: h.opens_at, closesAt: h.closes_at })),
        );
      }
    }
  }

  /** Regions and hours of a page in two queries (no N+1). */
  private async withChildren(page: Page<CrisisResource>, staff: boolean): Promise<Page<CrisisResourceResponseDto>> {
    const ids = page.items.map((r) => r.id);
    const [regions, hours] = ids.length
      ? await Promise.all([
          this.dataSource.getRepository(CrisisResourceRegion).findBy({ resourceId: In(ids) }),
          this.dataSource.getRepository(CrisisResourceHours).findBy({ resourceId: In(ids) }),
        ])
      : [[], []];
    const now = new Date();
    return mapPage(page, (r) =>
      toCrisisResourceResponse(
        r,
        regions.filter((g) => g.resourceId === r.id),
        hours.filter((h) => h.resourceId === r.id),
        staff,
        now,
      ),
    );
  }

  // ---- keywords ----

  async listKeywords(actor: Actor, query: ListCrisisKeywordsDto): Promise<Page<CrisisKeywordResponseDto>> {
    this.policy.assertManageKeywords(actor);
    const qb = this.keywordRepo.createQueryBuilder('k');
    if (query.language) qb.andWhere('k.language = :language', { language: query.language });
    if (query.category) qb.andWhere('k.category = :category', { category: query.category });
    if (query.is_active !== undefined) qb.andWhere('k.is_active = :active', { active: query.is_active });
    const columns: KeysetColumn<CrisisKeyword>[] = [
      { expr: 'k.language', direction: 'ASC', cast: 'varchar', value: (k) => k.language },
      { expr: 'k.phrase', direction: 'ASC', cast: 'varchar', value: (k) => k.phrase },
      { expr: 'k.id', direction: 'ASC', cast: 'uuid', value: (k) => k.id },
    ];
    return mapPage(await keysetPage(qb, columns, query), toCrisisKeywordResponse);
  }

  async getKeyword(actor: Actor, id: string): Promise<CrisisKeywordResponseDto> {
    this.policy.assertManageKeywords(actor);
    const keyword = await this.keywordRepo.findOneBy({ id });
    if (!keyword) throw new NotFoundError('CRISIS_KEYWORD_NOT_FOUND');
    return toCrisisKeywordResponse(keyword);
  }

  async createKeyword(actor: Actor, dto: CreateCrisisKeywordDto): Promise<CrisisKeywordResponseDto> {
    this.policy.assertManageKeywords(actor);
    const keyword = this.keywordRepo.create({
      phrase: this.normalizePhrase(dto.phrase),
      language: dto.language,
      category: dto.category,
      severity: dto.severity,
      isActive: dto.is_active,
      createdById: actor.id,
    });
    const saved = await this.saveKeyword(keyword);
    return toCrisisKeywordResponse(saved);
  }

  async updateKeyword(actor: Actor, id: string, dto: UpdateCrisisKeywordDto): Promise<CrisisKeywordResponseDto> {
    this.policy.assertManageKeywords(actor);
    const nulls = (['phrase', 'language', 'category', 'severity', 'is_active'] as const).filter((f) => dto[f] === null);
    if (nulls.length)
      throw new ValidationFailedException(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    const keyword = await this.keywordRepo.findOneBy({ id });
    if (!keyword) throw new NotFoundError('CRISIS_KEYWORD_NOT_FOUND');
    if (dto.phrase !== undefined) keyword.phrase = this.normalizePhrase(dto.phrase);
    if (dto.language !== undefined) keyword.language = dto.language;
    if (dto.category !== undefined) keyword.category = dto.category;
    if (dto.severity !== undefined) keyword.severity = dto.severity;
    if (dto.is_active !== undefined) keyword.isActive = dto.is_active;
    return toCrisisKeywordResponse(await this.saveKeyword(keyword));
  }

  async deleteKeyword(actor: Actor, id: string): Promise<void> {
    this.policy.assertManageKeywords(actor);
    const result = await this.keywordRepo.delete({ id });
    if (!result.affected) throw new NotFoundError('CRISIS_KEYWORD_NOT_FOUND');
    this.detector.invalidate();
  }

  private normalizePhrase(phrase: string): string {
    const normalized = normalizeCrisisText(phrase);
    if (!normalized) throw new ValidationFailedException([{ field: 'phrase', message: 'phrase must not be blank' }]);
    return normalized;
  }

  private async saveKeyword(keyword: CrisisKeyword): Promise<CrisisKeyword> {
    try {
      const saved = await this.dataSource.transaction((em) => em.save(CrisisKeyword, keyword));
      this.detector.invalidate();
      return saved;
    } catch (err) {
      if (err instanceof QueryFailedError && (err as { code?: string }).code === '23505') {
        throw new ConflictError('CRISIS_KEYWORD_EXISTS', 'This phrase already exists for this language.');
      }
      throw err;
    }
  }
}

const regionKey = (
  regions: {
    country_code?: string;
    countryCode?: string;
    subdivision_code?: string | null;
    subdivisionCode?: string | null;
  }[],
) =>
  regions
    .map((g) => `${g.country_code ?? g.countryCode}/${g.subdivision_code ?? g.subdivisionCode ?? ''}`)
    .sort()
    .join(',');

/** 24/7, or an hours slot covering now in the resource's time zone (a slot with closes ≤ opens runs past midnight). */
const OPEN_NOW_SQL = `(r.is_24_7 OR EXISTS (
  SELECT 1 FROM crisis_resource_hours h
  CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE r.timezone) AS t) lt
  WHERE h.resource_id = r.id AND (
    (h.closes_at > h.opens_at AND h.iso_weekday = EXTRACT(ISODOW FROM lt.t)
      AND lt.t::time >= h.opens_at AND lt.t::time < h.closes_at)
    OR (h.closes_at <= h.opens_at AND (
      (h.iso_weekday = EXTRACT(ISODOW FROM lt.t) AND lt.t::time >= h.opens_at)
      OR (h.iso_weekday = (CAST(EXTRACT(ISODOW FROM lt.t) AS int) + 5) % 7 + 1 AND lt.t::time < h.closes_at)))
  )))`;
