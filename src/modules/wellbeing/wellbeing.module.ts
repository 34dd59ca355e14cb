import { Module } from '@nestjs/common';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrisisKeyword } from './crisis/entities/crisis-keyword.entity.js';
import { CrisisResourceHours } from './crisis/entities/crisis-resource-hours.entity.js';
import { CrisisResourceRegion } from './crisis/entities/crisis-resource-region.entity.js';
import { CrisisResource } from './crisis/entities/crisis-resource.entity.js';
import { CrisisDetector } from './crisis/crisis-detector.js';
import { CrisisNoticesService } from './crisis/crisis-notices.service.js';
import { CrisisProcessor } from './crisis/jobs/crisis.processor.js';
import { CrisisKeywordsController } from './crisis/crisis-keywords.controller.js';
import { CrisisResourcesController } from './crisis/crisis-resources.controller.js';
import { CrisisPolicy } from './crisis/crisis.policy.js';
import { CrisisService } from './crisis/crisis.service.js';
import { MoodEntry } from './entities/mood-entry.entity.js';
import { MoodPolicy } from './mood.policy.js';
import { WellbeingController } from './wellbeing.controller.js';
import { WellbeingService } from './wellbeing.service.js';
import { SelfModerationSettings } from './self-moderation/entities/self-moderation-settings.entity.js';
import { WellbeingIntervention } from './self-moderation/entities/wellbeing-intervention.entity.js';
import { WellbeingUsageDay } from './self-moderation/entities/wellbeing-usage-day.entity.js';
import { InterventionsService } from './self-moderation/interventions.service.js';
import { WellbeingProcessor } from './self-moderation/jobs/wellbeing.processor.js';
import { WellbeingScheduler } from './self-moderation/jobs/wellbeing.scheduler.js';
import { SelfModerationController } from './self-moderation/self-moderation.controller.js';
import { SelfModerationPolicy } from './self-moderation/self-moderation.policy.js';
import { SelfModerationService } from './self-moderation/self-moderation.service.js';
import { SettingsStore } from './self-moderation/settings-store.js';
import { WellbeingClock } from './self-moderation/wellbeing-clock.js';
import { WellbeingGate } from './self-moderation/wellbeing-gate.service.js';

/**
 * wellbeing.md: the mood journal (§1), self-moderation (§2) with its chat gate (§3; WellbeingGate is exported for
 * chat, InterventionsService for analytics' mood trend) and crisis support (§4; CrisisDetector is exported too).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      MoodEntry,
      CrisisResource,
      CrisisResourceRegion,
      CrisisResourceHours,
      CrisisKeyword,
      SelfModerationSettings,
      WellbeingUsageDay,
      WellbeingIntervention,
    ]),
  ],
  controllers: [WellbeingController, CrisisResourcesController, CrisisKeywordsController, SelfModerationController],
  providers: [
    WellbeingService,
    MoodPolicy,
    CrisisPolicy,
    CrisisService,
    CrisisDetector,
    CrisisNoticesService,
    WellbeingClock,
    SettingsStore,
    InterventionsService,
    WellbeingGate,
    SelfModerationService,
    SelfModerationPolicy,
    CrisisProcessor,
    WellbeingProcessor,
    WellbeingScheduler,
  ],
  exports: [WellbeingService, CrisisDetector, WellbeingGate, InterventionsService],
})
export class WellbeingModule {
  constructor(registry: JobHandlerRegistry, crisis: CrisisProcessor, wellbeing: WellbeingProcessor) {
    registry.register(crisis);
    registry.register(wellbeing);
  }
}
