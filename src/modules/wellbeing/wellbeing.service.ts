import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import { AnalyticsRecorder } from '../analytics/recorder/analytics-recorder.service.js';
import { NotFoundError, TooManyRequestsError } from '../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, mapPage, type Page } from '../../common/pagination/page.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';
import type { CreateMoodEntryDto } from './dto/create-mood-entry.dto.js';
import type { ListMoodEntriesDto, TodayMoodQueryDto } from './dto/list-mood-entries.dto.js';
import { type MoodEntryResponseDto, type MoodTodayDto, toMoodEntryResponse } from './dto/mood-entry-response.dto.js';
import type { UpdateMoodEntryDto } from './dto/update-mood-entry.dto.js';
import { MoodEntry } from './entities/mood-entry.entity.js';
import { MoodSource } from './entities/mood.enums.js';
import {
  DEFAULT_MOOD_SCORE,
  localDate,
  MOOD_DAILY_CAP,
  recordedAtProblem,
  secondsUntilNextLocalDay,
} from './mood-dates.js';
import { MoodPolicy } from './mood.policy.js';

/** Fields that may be omitted on PATCH but never set to null. */
const NOT_NULLABLE = ['mood', 'score', 'recorded_at', 'emotions', 'triggers', 'source', 'timezone'] as const;

/**
 * The mood journal (wellbeing.md §1). Nothing here logs: mood data (labels, scores, notes, emotions, triggers) must
 * never reach a log line, and even ids would tie a user to the journal for no gain.
 */
@Injectable()
export class WellbeingService {
  constructor(
    @InjectRepository(MoodEntry) private readonly moodRepo: Repository<MoodEntry>,
    private readonly dataSource: DataSource,
    private readonly policy: MoodPolicy,
    private readonly analytics: AnalyticsRecorder,
  ) {}

  /** The caller's own entries, newest local day first, optionally within [from, to] (local dates). */
  async list(actor: Actor, query: ListMoodEntriesDto): Promise<Page<MoodEntryResponseDto>> {
    if (query.from && query.to && query.from > query.to) {
      throw new ValidationFailedException([{ field: 'to', message: 'to must not be before from' }]);
    }
    const qb = this.moodRepo.createQueryBuilder('m').where(...this.policy.ownerFilter(actor, 'm'));
    if (query.from) qb.andWhere('m.entry_date >= CAST(:from AS date)', { from: query.from });
    if (query.to) qb.andWhere('m.entry_date <= CAST(:to AS date)', { to: query.to });
    const columns: KeysetColumn<MoodEntry>[] = [
      { expr: 'm.entry_date', direction: 'DESC', value: (m) => m.entryDate, cast: 'date' },
      { expr: 'm.recorded_at', direction: 'DESC', value: (m) => m.recordedAt.toISOString(), cast: 'timestamptz' },
      { expr: 'm.id', direction: 'DESC', value: (m) => m.id, cast: 'uuid' },
    ];
    return mapPage(await keysetPage(qb, columns, query), toMoodEntryResponse);
  }

  /** Today's entries in the caller's time zone, and whether a check-in is still due. */
  async today(actor: Actor, query: TodayMoodQueryDto): Promise<MoodTodayDto> {
    const date = localDate(new Date(), query.timezone ?? 'UTC');
    const rows = await this.moodRepo
      .createQueryBuilder('m')
      .where(...this.policy.ownerFilter(actor, 'm'))
      .andWhere('m.entry_date = CAST(:date AS date)', { date })
      .orderBy('m.recorded_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .getMany();
    return { entry_date: date, items: rows.map(toMoodEntryResponse), checkin_due: rows.length === 0 };
  }

  async get(actor: Actor, id: string): Promise<MoodEntryResponseDto> {
    const entry = await this.moodRepo.findOneBy({ id });
    if (!entry) throw new NotFoundError('MOOD_ENTRY_NOT_FOUND');
    this.policy.assert(actor, 'view', entry);
    return toMoodEntryResponse(entry);
  }

  async create(actor: Actor, dto: CreateMoodEntryDto): Promise<MoodEntryResponseDto> {
    const now = new Date();
    const recordedAt = dto.recorded_at ?? now;
    this.checkRecordedAt(recordedAt, now);
    const timeZone = dto.timezone ?? 'UTC';
    const entryDate = localDate(recordedAt, timeZone);
    const saved = await this.dataSource.transaction(async (em) => {
      await this.assertUnderDailyCap(em, actor.id, entryDate, timeZone, now);
      const entry = em.create(MoodEntry, {
        userId: actor.id,
        recordedAt,
        entryDate,
        mood: dto.mood,
        score: dto.score ?? DEFAULT_MOOD_SCORE[dto.mood],
        intensity: dto.intensity ?? null,
        energy: dto.energy ?? null,
        emotions: dto.emotions ?? [],
        triggers: dto.triggers ?? [],
        note: blankAsNull(dto.note),
        source: dto.source ?? MoodSource.Manual,
      });
      const stored = await em.save(entry);
      await this.recordMoodEvent(em, 'mood_logged', stored);
      return stored;
    });
    return toMoodEntryResponse(saved);
  }

  async update(actor: Actor, id: string, dto: UpdateMoodEntryDto): Promise<MoodEntryResponseDto> {
    const nulls = NOT_NULLABLE.filter((f) => dto[f] === null);
    if (nulls.length) {
      throw new ValidationFailedException(nulls.map((field) => ({ field, message: `${field} cannot be null` })));
    }
    const now = new Date();
    if (dto.recorded_at) this.checkRecordedAt(dto.recorded_at, now);
    const saved = await this.dataSource.transaction(async (em) => {
      const entry = await em.findOne(MoodEntry, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFoundError('MOOD_ENTRY_NOT_FOUND');
      this.policy.assert(actor, 'update', entry);
      if (dto.recorded_at || dto.timezone) {
        // A change to recorded_at (or an explicit zone) recomputes entry_date; moving to another day counts there.
        const timeZone = dto.timezone ?? 'UTC';
        entry.recordedAt = dto.recorded_at ?? entry.recordedAt;
        const entryDate = localDate(entry.recordedAt, timeZone);
        if (entryDate !== entry.entryDate) {
          await this.assertUnderDailyCap(em, actor.id, entryDate, timeZone, now);
          entry.entryDate = entryDate;
        }
      }
      if (dto.mood !== undefined && dto.mood !== entry.mood) {
        entry.mood = dto.mood;
        if (dto.score === undefined) entry.score = DEFAULT_MOOD_SCORE[dto.mood];
      }
      if (dto.score !== undefined) entry.score = dto.score;
      if (dto.intensity !== undefined) entry.intensity = dto.intensity;
      if (dto.energy !== undefined) entry.energy = dto.energy;
      if (dto.emotions !== undefined) entry.emotions = dto.emotions;
      if (dto.triggers !== undefined) entry.triggers = dto.triggers;
      if (dto.note !== undefined) entry.note = blankAsNull(dto.note);
      if (dto.source !== undefined) entry.source = dto.source;
      const stored = await em.save(entry);
      await this.recordMoodEvent(em, 'mood_updated', stored);
      return stored;
    });
    return toMoodEntryResponse(saved);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const entry = await em.findOne(MoodEntry, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!entry) throw new NotFoundError('MOOD_ENTRY_NOT_FOUND');
      this.policy.assert(actor, 'delete', entry);
      await em.delete(MoodEntry, { id });
      await this.recordMoodEvent(em, 'mood_deleted', entry);
    });
  }

  /** analytics.md §1: the actor only — never the score, label, note or any other field of the entry. */
  private recordMoodEvent(
    em: EntityManager,
    type: 'mood_logged' | 'mood_updated' | 'mood_deleted',
    entry: MoodEntry,
  ): Promise<void> {
    return this.analytics.record(em, {
      type,
      idempotencyKey: `${type}:${entry.id}:${entry.updatedAt.getTime()}`,
      actorUserId: entry.userId,
    });
  }

  private checkRecordedAt(recordedAt: Date, now: Date): void {
    const problem = recordedAtProblem(recordedAt, now);
    if (problem) throw new ValidationFailedException([{ field: 'recorded_at', message: problem }]);
  }

  /** Serialises the user's writes (advisory lock) and refuses entry 25 of a local day with 429 MOOD_DAILY_CAP. */
  private async assertUnderDailyCap(
    em: EntityManager,
    userId: string,
    entryDate: string,
    timeZone: string,
    now: Date,
  ): Promise<void> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`mood-entries-${userId}`]);
    const [{ n }] = (await em.query(
      'SELECT count(*)::int AS n FROM mood_entries WHERE user_id = $1 AND entry_date = CAST($2 AS date)',
      [userId, entryDate],
    )) as { n: number }[];
    if (n >= MOOD_DAILY_CAP) {
      throw new TooManyRequestsError(
        'MOOD_DAILY_CAP',
        secondsUntilNextLocalDay(now, entryDate, timeZone),
        `At most ${MOOD_DAILY_CAP} mood entries per day.`,
      );
    }
  }
}

function blankAsNull(note: string | null | undefined): string | null {
  return note == null || note.trim() === '' ? null : note;
}
