import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CrisisKeyword } from './crisis/entities/crisis-keyword.entity.js';
import { CrisisResourceHours } from './crisis/entities/crisis-resource-hours.entity.js';
import { CrisisResourceRegion } from './crisis/entities/crisis-resource-region.entity.js';
import { CrisisResource } from './crisis/entities/crisis-resource.entity.js';
import { CrisisDetector } from './crisis/crisis-detector.js';
import { CrisisKeywordsController } from './crisis/crisis-keywords.controller.js';
import { CrisisResourcesController } from './crisis/crisis-resources.controller.js';
import { CrisisPolicy } from './crisis/crisis.policy.js';
import { CrisisService } from './crisis/crisis.service.js';
import { MoodEntry } from './entities/mood-entry.entity.js';
import { MoodPolicy } from './mood.policy.js';
import { WellbeingController } from './wellbeing.controller.js';
import { WellbeingService } from './wellbeing.service.js';

/** wellbeing.md: the mood journal (§1) and crisis support (§4; CrisisDetector is exported for chat). */
@Module({
  imports: [
    TypeOrmModule.forFeature([MoodEntry, CrisisResource, CrisisResourceRegion, CrisisResourceHours, CrisisKeyword]),
  ],
  controllers: [WellbeingController, CrisisResourcesController, CrisisKeywordsController],
  providers: [WellbeingService, MoodPolicy, CrisisPolicy, CrisisService, CrisisDetector],
  exports: [WellbeingService, CrisisDetector],
})
export class WellbeingModule {}
