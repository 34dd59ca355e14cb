import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ResourceVisibility } from '../../../common/access/access.enums.js';
import { canEdit } from '../../../common/access/access-level.js';
import { AccessPolicy } from '../../../common/access/access.policy.js';
import type { Actor } from '../../../common/auth/actor.js';
import type { Env } from '../../../common/config/env.js';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../../../common/errors/app-error.js';
import { CardLoreService, type CardLoreEmbedRequest } from '../../knowledge/card-lore.service.js';
import { MediaService } from '../../media/media.service.js';
import { BotPolicy } from '../bot.policy.js';
import { botResource, BotsService } from '../bots.service.js';
import { canReadDefinition } from '../dto/bot-response.dto.js';
import { Bot } from '../entities/bot.entity.js';
import { firstFreeSlug, slugify } from '../slug.js';
import {
  buildCard,
  type CardFormat,
  cardBookField,
  type FieldError,
  jsonDepth,
  MAX_JSON_DEPTH,
  metadataTooLarge,
  parseCard,
  type ParsedCard,
  sanitize,
} from './card-mapper.js';
import {
  cardTextFromChunks,
  CardPngError,
  decodeBase64Text,
  isPng,
  MAX_CARD_PNG_DIMENSION,
  placeholderPng,
  pngSize,
  readChunks,
  stripTextChunks,
  writeCardPng,
} from './card-png.js';
import type { CardImportResultDto } from './dto/card-interop.dto.js';

/** What the controller read from the request: an uploaded file, or a JSON body. */
export type CardSource = { kind: 'file'; bytes: Buffer } | { kind: 'json'; body: unknown };

export interface CardExport {
  contentType: string;
  filename: string;
  body: Buffer | Record<string, unknown>;
}

const invalid = (errors: FieldError[]) =>
  new UnprocessableError('INVALID_CARD', 'The character card cannot be imported.', errors.slice(0, 100));

/** Character Card V2/V3 import and export (interop.md §1–§4). */
@Injectable()
export class CardInteropService {
  private readonly logger = new Logger(CardInteropService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessPolicy,
    private readonly policy: BotPolicy,
    private readonly bots: BotsService,
    private readonly lore: CardLoreService,
    private readonly media: MediaService,
    private readonly config: ConfigService<Env, true>,
  ) {}

  // ---------------------------------------------------------------- import

  /** POST /bots/import: a new private bot owned by the caller (+ its lore), or the mapping only on a dry run. */
  async import(actor: Actor, source: CardSource, dryRun: boolean): Promise<CardImportResultDto> {
    const { card, picture } = this.readSource(source);
    const parsed = parseCard(card);
    if (parsed.errors.length) throw invalid(parsed.errors);
    const warnings = [...parsed.warnings];
    const lore = parsed.worldbook ? this.lore.parse(parsed.worldbook) : null;
    if (lore?.errors.length) {
      throw invalid(lore.errors.map((e) => ({ field: cardBookField(e.field), message: e.message })));
    }
    if (lore) warnings.push(...lore.warnings.map((w) => `character_book: ${w}`));
    if (metadataTooLarge(parsed.metadata)) {
      throw invalid([{ field: 'data', message: 'the fields without a bot column exceed 64 KB' }]);
    }

    if (dryRun) {
      return {
        preview: {
          name: parsed.bot.name,
          description: parsed.bot.description,
          system_prompt: parsed.bot.systemPrompt,
          greeting: parsed.bot.greeting,
          alternate_greetings: parsed.bot.alternateGreetings,
          speech_examples: parsed.bot.speechExamples,
          tags: parsed.bot.tags,
          lore_entries: lore?.entries.length ?? 0,
        },
        knowledge_collection_id: null,
        format: parsed.format,
        warnings,
      };
    }

    let embed: CardLoreEmbedRequest[] = [];
    const { botId, collectionId } = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [actor.id]);
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM bots WHERE owner_id = $1`, [actor.id]);
      const max = this.config.get('BOTS_PER_USER_MAX', { infer: true });
      if (n >= max) throw new ConflictError('BOT_LIMIT', `You can own at most ${max} bots.`);
      const repo = em.getRepository(Bot);
      const bot = repo.create({
        ownerId: actor.id,
        ...parsed.bot,
        visibility: ResourceVisibility.Private,
        importMetadata: parsed.metadata as unknown as Record<string, unknown>,
      });
      bot.slug = await this.freeSlug(em, actor.id, parsed.bot.name);
      const saved = await repo.save(bot);
      await this.bots.recordBotCreated(em, actor.id, saved.id);
      let collectionId: string | null = null;
      if (lore && parsed.worldbook) {
        const created = await this.lore.createForBot(
          em,
          actor,
          saved.id,
          {
            name: String(parsed.worldbook.name),
            description: (parsed.worldbook.description as string | null) ?? null,
          },
          lore.entries,
        );
        collectionId = created.collectionId;
        embed = created.embed;
      }
      await em.query(
        `UPDATE creator_profiles SET last_active_at = now()
          WHERE user_id = $1 AND (last_active_at IS NULL OR last_active_at < now() - interval '1 hour')`,
        [actor.id],
      );
      return { botId: saved.id, collectionId };
    });
    await this.lore.enqueueEmbeddings(embed);
    if (picture) await this.attachPicture(actor, botId, parsed, picture, warnings);
    this.logger.log({ msg: 'card imported', botId, format: parsed.format, by: actor.id });
    return {
      bot: await this.bots.get(actor, botId),
      knowledge_collection_id: collectionId,
      format: parsed.format,
      warnings,
    };
  }

  /** Parses the upload or body into a sanitised card object (and the PNG's chunks for the picture). */
  private readSource(source: CardSource): { card: unknown; picture: Buffer | null } {
    if (source.kind === 'json') return { card: this.checked(source.body, 'body'), picture: null };
    const bytes = source.bytes;
    if (!bytes.length) throw invalid([{ field: 'file', message: 'the file is empty' }]);
    try {
      if (isPng(bytes)) {
        const chunks = readChunks(bytes);
        const { width, height } = pngSize(chunks);
        if (width > MAX_CARD_PNG_DIMENSION || height > MAX_CARD_PNG_DIMENSION) {
          throw new CardPngError({
            field: 'file',
            message: `the image may be at most ${MAX_CARD_PNG_DIMENSION}×${MAX_CARD_PNG_DIMENSION} px (got ${width}×${height})`,
          });
        }
        const found = cardTextFromChunks(chunks);
        const field = `file.chunks.${found.chunk}[${found.keyword}]`;
        const json = this.parseJson(decodeBase64Text(found.base64, field), field);
        return { card: this.checked(json, field), picture: stripTextChunks(chunks) };
      }
    } catch (err) {
      if (err instanceof CardPngError) throw invalid([err.problem]);
      throw err;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (!text.trimStart().startsWith('{')) {
      throw invalid([{ field: 'file', message: 'not a PNG or JSON character card' }]);
    }
    return { card: this.checked(this.parseJson(text, 'file'), 'file'), picture: null };
  }

  private parseJson(text: string, field: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw invalid([{ field, message: 'not valid JSON' }]);
    }
  }

  private checked(value: unknown, field: string): unknown {
    if (jsonDepth(value) > MAX_JSON_DEPTH) {
      throw invalid([{ field, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` }]);
    }
    return sanitize(value);
  }

  private async freeSlug(em: import('typeorm').EntityManager, ownerId: string, name: string): Promise<string> {
    const base = slugify(name);
    const rows: { slug: string }[] = await em.query(
      `SELECT slug FROM bots WHERE owner_id = $1 AND (slug = $2 OR slug LIKE $3)`,
      [ownerId, base, `${base.slice(0, 70).replace(/[%_]/g, '')}%`],
    );
    return firstFreeSlug(base, new Set(rows.map((r) => r.slug)));
  }

  /** The PNG without its text chunks becomes the bot's picture; a picture the media rules refuse is a warning. */
  private async attachPicture(
    actor: Actor,
    botId: string,
    parsed: ParsedCard,
    png: Buffer,
    warnings: string[],
  ): Promise<void> {
    try {
      const media = await this.media.upload(actor, {
        file: { bytes: png, filename: 'card.png', clientMimeType: 'image/png' },
        fields: { alt_text: parsed.bot.name.slice(0, 500) },
      });
      await this.dataSource.query(`UPDATE bots SET picture_media_id = $2 WHERE id = $1`, [botId, media.id]);
    } catch (err) {
      const detail = err instanceof Error ? err.message : 'unknown error';
      warnings.push(`the card image was not kept as the bot picture: ${detail}`);
    }
  }

  // ---------------------------------------------------------------- export

  /** GET /bots/{id}/card: editors, or viewers when the bot allows copying; lore only where the caller may read it. */
  async export(actor: Actor, id: string, format: CardFormat, container: 'json' | 'png'): Promise<CardExport> {
    const bot = await this.dataSource
      .getRepository(Bot)
      .createQueryBuilder('b')
      .addSelect('b.importMetadata')
      .where('b.id = :id', { id })
      .getOne();
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    const level = await this.access.levelFor(actor, botResource(bot));
    this.policy.assert(actor, 'view', bot, level);
    const viewerMayCopy = (level === 'view' || level === 'public') && bot.allowCopying;
    if (!(canEdit(level) || viewerMayCopy) || !canReadDefinition(bot, level)) {
      throw new ForbiddenError(
        'BOT_FORBIDDEN',
        'Only editors, or viewers of a bot that allows copying, may export it.',
      );
    }
    const book = await this.lore.exportForBot(actor, id);
    const card = buildCard(bot, format, book);
    const base = `${bot.slug}.${format}`;
    if (container === 'json') return { contentType: 'application/json', filename: `${base}.json`, body: card };
    const image = await this.pictureOrPlaceholder(actor, bot);
    const chunks = format === 'v3' ? { chara: buildCard(bot, 'v2', book), ccv3: card } : { chara: card };
    return { contentType: 'image/png', filename: `${base}.png`, body: writeCardPng(image, chunks) };
  }

  /** The bot's picture when it is a PNG, else a plain placeholder (no image conversion library is used). */
  private async pictureOrPlaceholder(actor: Actor, bot: Bot): Promise<Buffer> {
    if (!bot.pictureMediaId) return placeholderPng();
    try {
      const content = await this.media.content(actor, bot.pictureMediaId);
      if (content.media.mimeType !== 'image/png') {
        content.stream.destroy();
        return placeholderPng();
      }
      const parts: Buffer[] = [];
      for await (const part of content.stream) parts.push(Buffer.from(part as Buffer));
      const bytes = Buffer.concat(parts);
      readChunks(bytes); // a picture that does not parse falls back to the placeholder
      return bytes;
    } catch {
      return placeholderPng();
    }
  }
}
