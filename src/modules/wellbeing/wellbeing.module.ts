import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MoodEntry } from './entities/mood-entry.entity.js';
import { MoodPolicy } from './mood.policy.js';
import { WellbeingController } from './wellbeing.controller.js';
import { WellbeingService } from './wellbeing.service.js';

/** wellbeing.md: the mood journal (§1). Self-moderation and crisis support come later. */
@Module({
  imports: [TypeOrmModule.forFeature([MoodEntry])],
  controllers: [WellbeingController],
  providers: [WellbeingService, MoodPolicy],
  exports: [WellbeingService],
})
export class WellbeingModule {}
