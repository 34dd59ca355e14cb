import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, Repository } from 'typeorm';
import {
  chooseCrisisResources,
  crisisMessage,
  isOpenNow,
  type LocaleInput,
  matchCrisisKeyword,
  type MatchableKeyword,
  resolveCrisisLocale,
} from './crisis-matching.js';
import { CrisisKeyword } from './entities/crisis-keyword.entity.js';
import { CrisisResource } from './entities/crisis-resource.entity.js';
import { type CrisisCategory, CrisisSeverity, VISIBLE_STATUSES } from './entities/crisis.enums.js';
import type { CrisisResourceType } from './entities/crisis.enums.js';

/** One resource inside a crisis notice (wellbeing.md §4.3). */
export interface CrisisNoticeResource {
  id: string;
  title: string;
  resource_type: CrisisResourceType;
  phone_number: string | null;
  text_number: string | null;
  text_instructions: string | null;
  chat_url: string | null;
  website_url: string | null;
  is_24_7: boolean;
  open_now: boolean | null;
}

/** The notice added to a chat answer or a 429 body; never blocks anything. */
export interface CrisisNotice {
  kind: 'crisis_support';
  severity: CrisisSeverity;
  category: CrisisCategory;
  message: string;
  resources: CrisisNoticeResource[];
  region_used: string | null;
  language_used: string;
  more_url: string;
}

export interface CrisisDetectionContext extends LocaleInput {
  /** The settings' crisis_notices level: high_only suppresses elevated matches. */
  noticeLevel?: 'all' | 'high_only';
}

/** Keyword set reload interval (§4.3: on change or every 5 min). */
export const KEYWORD_CACHE_MS = 5 * 60 * 1000;

/**
 * Scans a user's own text for active crisis keywords and builds the notice (wellbeing.md §4.3). For the chat module's
 * send and edit paths; the per-(conversation, category) 30-minute cooldown and the analytics event
 * `crisis_notice_shown` (category, severity, country; no user id) belong to the caller, which knows the conversation.
 * Never throws and never logs the text, the phrases or the match: on any failure it answers "no notice".
 */
@Injectable()
export class CrisisDetector {
  private readonly logger = new Logger(CrisisDetector.name);
  private cache: { keywords: MatchableKeyword[]; loadedAt: number } | null = null;
  private loading: Promise<MatchableKeyword[]> | null = null;
  private generation = 0;

  constructor(
    @InjectRepository(CrisisKeyword) private readonly keywordRepo: Repository<CrisisKeyword>,
    @InjectRepository(CrisisResource) private readonly resourceRepo: Repository<CrisisResource>,
  ) {}

  /** Drops the cached keyword set; the crisis service calls it after every keyword change. */
  invalidate(): void {
    this.cache = null;
    this.loading = null;
    this.generation += 1;
  }

  /**
   * The notice for `text`, or null when nothing matches (or the level suppresses it). Pass the caller's `em` when
   * called inside a transaction, so the lookups run on its connection (a pool of one would otherwise wait forever).
   */
  async detect(
    text: string,
    ctx: CrisisDetectionContext = {},
    now: Date = new Date(),
    em?: EntityManager,
  ): Promise<CrisisNotice | null> {
    try {
      const match = matchCrisisKeyword(text, await this.keywords(em));
      if (!match) return null;
      if (ctx.noticeLevel === 'high_only' && match.severity !== CrisisSeverity.High) return null;
      return await this.buildNotice(match, ctx, now, em);
    } catch (err) {
      this.logger.error('crisis detection failed', { error: (err as Error)?.name });
      return null;
    }
  }

  /** Builds the notice for a matched category and severity (also usable without a text match). */
  async buildNotice(
    match: Pick<MatchableKeyword, 'category' | 'severity' | 'language'>,
    ctx: LocaleInput,
    now: Date = new Date(),
    em?: EntityManager,
  ): Promise<CrisisNotice> {
    const locale = resolveCrisisLocale({ ...ctx, keywordLanguage: ctx.keywordLanguage ?? match.language });
    const candidates = await (em ? em.getRepository(CrisisResource) : this.resourceRepo)
      .createQueryBuilder('r')
      .leftJoinAndSelect('r.regions', 'g')
      .leftJoinAndSelect('r.hours', 'h')
      .where('r.is_active = true')
      .andWhere('r.verification_status IN (:...statuses)', { statuses: VISIBLE_STATUSES })
      .andWhere('r.languages && CAST(:langs AS text[])', { langs: [locale.language, 'en'] })
      .getMany();
    const chosen = chooseCrisisResources(
      candidates.map((r) => ({ ...r, regions: r.regions ?? [] })),
      { language: locale.language, country: locale.country, subdivision: locale.subdivision, category: match.category },
    );
    const { message } = crisisMessage(chosen.language);
    const params = new URLSearchParams();
    if (locale.country) params.set('country', locale.country);
    if (locale.subdivision) params.set('subdivision', locale.subdivision);
    params.set('lang', chosen.language);
    return {
      kind: 'crisis_support',
      severity: match.severity,
      category: match.category,
      message,
      resources: chosen.resources.map((r) => ({
        id: r.id,
        title: r.title,
        resource_type: r.resourceType,
        phone_number: r.phoneNumber,
        text_number: r.textNumber,
        text_instructions: r.textInstructions,
        chat_url: r.chatUrl,
        website_url: r.websiteUrl,
        is_24_7: r.is24x7,
        open_now: isOpenNow(r, r.hours ?? [], now),
      })),
      region_used: locale.subdivision ?? locale.country,
      language_used: chosen.language,
      more_url: `/api/v1/wellbeing/crisis-resources?${params.toString()}`,
    };
  }

  private async keywords(em?: EntityManager): Promise<MatchableKeyword[]> {
    if (this.cache && Date.now() - this.cache.loadedAt < KEYWORD_CACHE_MS) return this.cache.keywords;
    // Inside a transaction, load on its connection and do not share a load that may wait for another connection.
    if (this.loading && !em) return this.loading;
    const generation = this.generation;
    const loading = (em ? em.getRepository(CrisisKeyword) : this.keywordRepo)
      .find({
        where: { isActive: true },
        select: { id: true, phrase: true, language: true, category: true, severity: true },
      })
      .then((rows): MatchableKeyword[] => {
        if (generation === this.generation) this.cache = { keywords: rows, loadedAt: Date.now() };
        return rows;
      })
      .finally(() => {
        if (this.loading === loading) this.loading = null;
      });
    this.loading = loading;
    return loading;
  }
}
