import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AnalyticsRecorder } from '../../analytics/recorder/analytics-recorder.service.js';
import { WellbeingClock } from '../self-moderation/wellbeing-clock.js';
import { CrisisDetector, type CrisisNotice } from './crisis-detector.js';
import { resolveCrisisLocale } from './crisis-matching.js';

/** §4.3: one notice per (conversation, category) per 30 minutes. */
export const CRISIS_NOTICE_COOLDOWN_MS = 30 * 60 * 1000;
const MAX_COOLDOWN_ENTRIES = 50_000;

export interface CrisisScanInput {
  /** The text the user wrote (send or edit); scanned in memory, never stored or logged. */
  text: string | null;
  conversationId: string;
  /** The request's correlation id: the analytics event's idempotency key is `crisis:{requestId}`. */
  requestId: string;
  acceptLanguage?: string | null;
  /** The user's settings' region, language and notice level, when a settings row exists. */
  supportCountry?: string | null;
  supportSubdivision?: string | null;
  supportLanguage?: string | null;
  noticeLevel?: 'all' | 'high_only';
}

/**
 * Crisis detection for chat (wellbeing.md §4.3): the keyword match (CrisisDetector), the per-(conversation, category)
 * cooldown and the `crisis_notice_shown` event, which carries category, severity and country and no user id. Never
 * blocks anything; never logs the text or the match.
 *
 * The cooldown lives in this process's memory: a second API instance may show one extra notice inside the 30
 * minutes, which errs on the side of showing help.
 */
@Injectable()
export class CrisisNoticesService {
  private readonly logger = new Logger(CrisisNoticesService.name);
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly detector: CrisisDetector,
    private readonly clock: WellbeingClock,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /**
   * The notice for the user's text, or null (no match, suppressed by high_only, or inside the cooldown). Starts the
   * cooldown; the caller records the event (`record` in its transaction, or `recordShownLater` for a refusal).
   */
  async scan(em: EntityManager, input: CrisisScanInput): Promise<CrisisNotice | null> {
    if (!input.text) return null;
    const now = this.clock.now();
    const notice = await this.detector.detect(
      input.text,
      {
        supportCountry: input.supportCountry,
        supportSubdivision: input.supportSubdivision,
        supportLanguage: input.supportLanguage,
        acceptLanguage: input.acceptLanguage,
        noticeLevel: input.noticeLevel,
      },
      now,
      em,
    );
    if (!notice) return null;
    const key = `${input.conversationId}/${notice.category}`;
    const last = this.shown.get(key);
    if (last !== undefined && now.getTime() - last < CRISIS_NOTICE_COOLDOWN_MS) return null;
    this.remember(key, now.getTime());
    return notice;
  }

  /**
   * Records `crisis_notice_shown` for a notice that rides on a refused request: the caller's transaction rolls back,
   * so the event is written on its own connection once the current call stack has unwound.
   */
  recordShownLater(em: EntityManager, notice: CrisisNotice, input: CrisisScanInput): void {
    const manager = em.connection.manager;
    setImmediate(() => {
      manager
        .transaction((tx) => this.record(tx, notice, input))
        .catch((err: unknown) => this.logger.warn({ msg: 'crisis notice event not recorded', error: errorName(err) }));
    });
  }

  /** Records `crisis_notice_shown` (category, severity, country; actor `system`, no user id) through `em`. */
  async record(em: EntityManager, notice: CrisisNotice, input: CrisisScanInput): Promise<void> {
    await this.analytics.record(em, {
      type: 'crisis_notice_shown',
      idempotencyKey: `crisis:${input.requestId}`,
      actorUserId: null,
      actorKey: 'system',
      properties: {
        category: notice.category,
        severity: notice.severity,
        country: resolveCrisisLocale(input).country,
      },
    });
  }

  private remember(key: string, at: number): void {
    if (this.shown.size >= MAX_COOLDOWN_ENTRIES) {
      for (const [k, t] of this.shown) {
        if (at - t >= CRISIS_NOTICE_COOLDOWN_MS) this.shown.delete(k);
      }
      if (this.shown.size >= MAX_COOLDOWN_ENTRIES) this.shown.clear();
    }
    this.shown.set(key, at);
  }
}

const errorName = (err: unknown) => (err instanceof Error ? err.name : 'unknown');
