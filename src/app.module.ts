import { Module } from '@nestjs/common';
import { AuthCommonModule } from './common/auth/auth-common.module.js';
import { AppConfigModule } from './common/config/app-config.module.js';
import { DatabaseModule } from './common/database/database.module.js';
import { HealthModule } from './common/health/health.module.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { QueueModule } from './common/queue/queue.module.js';
import { AnalyticsRecorderModule } from './modules/analytics/recorder/analytics-recorder.module.js';
import { AnalyticsModule } from './modules/analytics/analytics.module.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { AccessModule } from './modules/access/access.module.js';
import { BotsModule } from './modules/bots/bots.module.js';
import { InteropModule } from './modules/bots/interop/interop.module.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { MediaModule } from './modules/media/media.module.js';
import { PersonasModule } from './modules/personas/personas.module.js';
import { CreatorsModule } from './modules/creators/creators.module.js';
import { KnowledgeModule } from './modules/knowledge/knowledge.module.js';
import { ApiKeysModule } from './modules/api-keys/api-keys.module.js';
import { ChatModule } from './modules/chat/chat.module.js';
import { MemoriesModule } from './modules/memories/memories.module.js';
import { WellbeingModule } from './modules/wellbeing/wellbeing.module.js';

@Module({
  imports: [
    AppConfigModule,
    LoggingModule,
    DatabaseModule,
    QueueModule,
    AnalyticsRecorderModule,
    RateLimitModule,
    AuthCommonModule,
    HealthModule,
    IdentityModule,
    MediaModule,
    PersonasModule,
    AccessModule,
    BotsModule,
    CreatorsModule,
    KnowledgeModule,
    InteropModule,
    ApiKeysModule,
    ChatModule,
    MemoriesModule,
    WellbeingModule,
    AnalyticsModule,
  ],
})
export class AppModule {}
