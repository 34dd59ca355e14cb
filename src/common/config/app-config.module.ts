import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from './env.js';

@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, cache: true, envFilePath: '.env', validate: validateEnv })],
})
export class AppConfigModule {}
