import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Public, Roles } from '../../common/auth/decorators.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import {
  CreateCollectionDto,
  ForkCollectionDto,
  ListCollectionsQueryDto,
  ModerationDto,
  PublicationDecisionDto,
  RedeemDto,
  SharePasswordDto,
  UpdateCollectionDto,
} from './dto/collection.dto.js';
import {
  CollectionDetailDto,
  CollectionPageDto,
  CollectionResponseDto,
  RedemptionResponseDto,
} from './dto/collection-response.dto.js';
import { EntryPageDto, EntryResponseDto } from './dto/entry-response.dto.js';
import { CreateEntryDto, ListEntriesQueryDto } from './dto/entry.dto.js';
import { ImportWorldbookDto, WorldbookExportDto, WorldbookImportResultDto } from './dto/worldbook.dto.js';
import { KnowledgeCollectionsService } from './knowledge-collections.service.js';
import { KnowledgeEntriesService } from './knowledge-entries.service.js';
import { WorldbookService } from './worldbook/worldbook.service.js';

@ApiTags('knowledge')
@Controller('knowledge-collections')
export class KnowledgeCollectionsController {
  constructor(
    private readonly collections: KnowledgeCollectionsService,
    private readonly entries: KnowledgeEntriesService,
    private readonly worldbooks: WorldbookService,
  ) {}

  /** List collections (scope accessible when signed in, public when anonymous). */
  @Public()
  @Get()
  @ApiOkResponse({ type: CollectionPageDto })
  list(@CurrentUser() actor: Actor | undefined, @Query() query: ListCollectionsQueryDto): Promise<CollectionPageDto> {
    return this.collections.list(actor, query);
  }

  /** Create a lore book (private or shared). */
  @Post()
  @ApiCreatedResponse({ type: CollectionResponseDto })
  create(@CurrentUser() actor: Actor, @Body() dto: CreateCollectionDto): Promise<CollectionResponseDto> {
    return this.collections.create(actor, dto);
  }

  /** Pending publication requests, oldest first (moderators). */
  @Roles(UserRole.Moderator)
  @Get('publication-requests')
  @ApiOkResponse({ type: CollectionPageDto })
  publicationRequests(@CurrentUser() actor: Actor, @Query() query: PageQueryDto): Promise<CollectionPageDto> {
    return this.collections.publicationRequests(actor, query);
  }

  /** Import a SillyTavern world book as a new private collection. */
  @Post('imports/worldbook')
  @ApiCreatedResponse({ type: WorldbookImportResultDto })
  importWorldbook(@CurrentUser() actor: Actor, @Body() dto: ImportWorldbookDto): Promise<WorldbookImportResultDto> {
    return this.worldbooks.import(actor, dto);
  }

  /** Read one collection with counters, my_access and the linked bots the caller can read. */
  @Public()
  @Get(':id')
  @ApiOkResponse({ type: CollectionDetailDto })
  get(@CurrentUser() actor: Actor | undefined, @Param('id', ParseUUIDPipe) id: string): Promise<CollectionDetailDto> {
    return this.collections.get(actor, id);
  }

  /** Update fields (editors: content fields; owner: visibility and sharing flags). */
  @Patch(':id')
  @ApiOkResponse({ type: CollectionResponseDto })
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateCollectionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.update(actor, id, dto);
  }

  /** Delete the collection with its entries, links and grants. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.collections.remove(actor, id);
  }

  /** Fork into a new private collection of the caller. */
  @Post(':id/forks')
  @ApiCreatedResponse({ type: CollectionResponseDto })
  fork(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ForkCollectionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.fork(actor, id, dto);
  }

  /** Ask for a public listing (owner, verified email, at least one entry). */
  @Post(':id/publication-request')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CollectionResponseDto })
  requestPublication(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<CollectionResponseDto> {
    return this.collections.requestPublication(actor, id);
  }

  /** Approve or reject a publication request (moderators). */
  @Put(':id/publication')
  @ApiOkResponse({ type: CollectionResponseDto })
  decidePublication(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PublicationDecisionDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.decidePublication(actor, id, dto);
  }

  /** Unpublish (owner or moderator): shared if grants exist, else private; clears featured. */
  @Delete(':id/publication')
  @HttpCode(204)
  async unpublish(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.collections.unpublish(actor, id);
  }

  /** Hide or restore (moderators). */
  @Put(':id/moderation')
  @ApiOkResponse({ type: CollectionResponseDto })
  moderate(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ModerationDto,
  ): Promise<CollectionResponseDto> {
    return this.collections.moderate(actor, id, dto);
  }

  /** Set the share password (owner). */
  @Put(':id/share-password')
  @HttpCode(204)
  async setSharePassword(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SharePasswordDto,
  ): Promise<void> {
    await this.collections.setSharePassword(actor, id, dto.password);
  }

  /** Clear the share password (owner). */
  @Delete(':id/share-password')
  @HttpCode(204)
  async clearSharePassword(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.collections.setSharePassword(actor, id, null);
  }

  /** Redeem the share password for a view grant. */
  @Post(':id/redemptions')
  @ApiCreatedResponse({ type: RedemptionResponseDto })
  redeem(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RedeemDto,
  ): Promise<RedemptionResponseDto> {
    return this.collections.redeem(actor, id, dto.password);
  }

  /** Export as a SillyTavern world book (editors; viewers when allow_fork). */
  @Public()
  @Get(':id/exports/worldbook')
  @ApiOkResponse({ type: WorldbookExportDto })
  exportWorldbook(
    @CurrentUser() actor: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<WorldbookExportDto> {
    return this.worldbooks.export(actor, id);
  }

  /** Entries of a collection the caller can read. */
  @Public()
  @Get(':id/entries')
  @ApiOkResponse({ type: EntryPageDto })
  listEntries(
    @CurrentUser() actor: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ListEntriesQueryDto,
  ): Promise<EntryPageDto> {
    return this.entries.list(actor, id, query);
  }

  /** Create an entry (editors). */
  @Post(':id/entries')
  @ApiCreatedResponse({ type: EntryResponseDto })
  createEntry(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateEntryDto,
  ): Promise<EntryResponseDto> {
    return this.entries.create(actor, id, dto);
  }
}
