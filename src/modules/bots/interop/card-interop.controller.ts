import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { InvalidError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../common/errors/app-error.js';
import { CardInteropService, type CardSource } from './card-interop.service.js';
import { CardImportResultDto, ExportCardQueryDto, ImportCardQueryDto } from './dto/card-interop.dto.js';

@ApiTags('bots')
@Controller('bots')
export class CardInteropController {
  constructor(private readonly cards: CardInteropService) {}

  /**
   * Import a Character Card (V1, V2 or V3): multipart `file` (PNG with a `chara`/`ccv3` text chunk, or a JSON file;
   * ≤ 10 MB, PNG ≤ 4096×4096) or the card as a JSON body. 201 with the new private bot and `warnings`; with
   * `dry_run=true`, 200 with the mapped fields and nothing saved. A card that cannot be read → 422 naming the field.
   */
  @Post('import')
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] },
        { type: 'object', description: 'A Character Card V1/V2/V3 JSON object', additionalProperties: true },
      ],
    },
  })
  @ApiCreatedResponse({ type: CardImportResultDto })
  async import(
    @CurrentUser() actor: Actor,
    @Query() query: ImportCardQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CardImportResultDto> {
    const source = await readCardSource(request);
    const dryRun = query.dry_run === true;
    const result = await this.cards.import(actor, source, dryRun);
    reply.status(dryRun ? 200 : 201);
    return result;
  }

  /**
   * Export a bot as a Character Card V2 or V3, as JSON or as PNG (the bot picture when it is a PNG, else a plain
   * placeholder; V3 PNGs carry both `ccv3` and `chara`). Editors, or viewers when the bot allows copying; the lore
   * book holds only linked collections and entries the caller can read.
   */
  @Get(':id/card')
  @ApiProduces('application/json', 'image/png')
  @ApiOkResponse({ description: 'The card (JSON object or PNG bytes).' })
  async export(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ExportCardQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | Record<string, unknown>> {
    const out = await this.cards.export(actor, id, query.format ?? 'v2', query.container ?? 'json');
    reply.header('content-type', out.contentType);
    reply.header('content-disposition', `attachment; filename="${out.filename.replace(/[^\w.-]/g, '_')}"`);
    return out.body;
  }
}

/** The uploaded file (multipart `file`) or the JSON body. Oversized upload → 413; any other type → 415. */
async function readCardSource(request: FastifyRequest): Promise<CardSource> {
  if (request.isMultipart()) {
    let file: MultipartFile | undefined;
    try {
      file = await request.file();
      if (!file)
        throw new InvalidError('VALIDATION_FAILED', 'Send the card as `file`.', [
          { field: 'file', message: 'file is required' },
        ]);
      if (file.fieldname !== 'file') {
        throw new InvalidError('VALIDATION_FAILED', 'Send the card as `file`.', [
          { field: file.fieldname, message: `${file.fieldname} is not an accepted field` },
        ]);
      }
      return { kind: 'file', bytes: await file.toBuffer() };
    } catch (err) {
      const code = (err as { code?: string })?.code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new PayloadTooLargeError('FILE_TOO_LARGE', 'A card file may be at most 10 MB.');
      }
      if (typeof code === 'string' && code.startsWith('FST_')) {
        throw new InvalidError('INVALID_MULTIPART', 'The multipart body is malformed.');
      }
      throw err;
    }
  }
  const type = String(request.headers['content-type'] ?? '');
  if (!/^application\/(.+\+)?json\b/i.test(type) || request.body === undefined) {
    throw new UnsupportedMediaTypeError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the card as multipart/form-data (`file`) or as an application/json body.',
    );
  }
  return { kind: 'json', body: request.body };
}
