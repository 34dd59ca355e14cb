import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessPolicy } from '../../common/access/access.policy.js';
import { AccessGrantsController } from './access-grants.controller.js';
import { AccessGrant } from './entities/access-grant.entity.js';
import { GrantsService } from './grants.service.js';
import { ShareableResourceRegistry } from './shareable-resource.registry.js';

/**
 * Grants and the access policy (bots.md §3), global so every module can inject AccessPolicy, GrantsService and
 * ShareableResourceRegistry without importing this module.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AccessGrant])],
  controllers: [AccessGrantsController],
  providers: [AccessPolicy, GrantsService, ShareableResourceRegistry],
  exports: [AccessPolicy, GrantsService, ShareableResourceRegistry],
})
export class AccessModule {}
