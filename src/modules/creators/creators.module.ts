import { type OnModuleInit, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { ShareableResourceRegistry } from '../access/shareable-resource.registry.js';
import { MediaModule } from '../media/media.module.js';
import { CreatorProfilePolicy } from './creator-profile.policy.js';
import { creatorProfileShareAdapter } from './creator-profile.share-adapter.js';
import { CreatorsController, MyFollowingController } from './creators.controller.js';
import { CreatorsRepository } from './creators.repository.js';
import { CreatorsService } from './creators.service.js';
import { CreatorFeaturedBot } from './entities/creator-featured-bot.entity.js';
import { CreatorFollow } from './entities/creator-follow.entity.js';
import { CreatorProfile } from './entities/creator-profile.entity.js';
import { CreatorProgramApplicationBot } from './entities/creator-program-application-bot.entity.js';
import { CreatorProgramApplication } from './entities/creator-program-application.entity.js';
import { CreatorProgramBenefit } from './entities/creator-program-benefit.entity.js';
import { CreatorProgramMembership } from './entities/creator-program-membership.entity.js';
import { CreatorProgramQuestion } from './entities/creator-program-question.entity.js';
import { CreatorProgramTier } from './entities/creator-program-tier.entity.js';
import { CreatorProgram } from './entities/creator-program.entity.js';
import { CreatorSocialLink } from './entities/creator-social-link.entity.js';
import { FollowsService } from './follows.service.js';
import { CreatorsProcessor } from './jobs/creators.processor.js';
import { CreatorsScheduler } from './jobs/creators.scheduler.js';
import { CreatorProgramsController } from './programs/creator-programs.controller.js';
import { CreatorProgramsService } from './programs/creator-programs.service.js';
import {
  CreatorProgramApplicationsController,
  CreatorProgramMembershipsController,
} from './programs/program-applications.controller.js';
import { ProgramApplicationsService } from './programs/program-applications.service.js';
import { ProgramStatsCache } from './programs/program-stats.cache.js';

/** creators.md: profiles, follows, programmes (+ applications, memberships) and the `creators` queue. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      CreatorProfile,
      CreatorSocialLink,
      CreatorFeaturedBot,
      CreatorFollow,
      CreatorProgram,
      CreatorProgramQuestion,
      CreatorProgramBenefit,
      CreatorProgramTier,
      CreatorProgramApplication,
      CreatorProgramApplicationBot,
      CreatorProgramMembership,
    ]),
    MediaModule,
  ],
  controllers: [
    CreatorsController,
    MyFollowingController,
    CreatorProgramsController,
    CreatorProgramApplicationsController,
    CreatorProgramMembershipsController,
  ],
  providers: [
    CreatorsService,
    CreatorsRepository,
    CreatorProfilePolicy,
    FollowsService,
    CreatorProgramsService,
    ProgramApplicationsService,
    ProgramStatsCache,
    CreatorsProcessor,
    CreatorsScheduler,
  ],
  exports: [CreatorsService],
})
export class CreatorsModule implements OnModuleInit {
  constructor(
    registry: JobHandlerRegistry,
    processor: CreatorsProcessor,
    private readonly shareables: ShareableResourceRegistry,
  ) {
    registry.register(processor);
  }

  onModuleInit(): void {
    this.shareables.register(creatorProfileShareAdapter);
  }
}
