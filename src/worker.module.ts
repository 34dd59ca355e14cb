import { Module } from '@nestjs/common';
import { AppModule } from './app.module.js';

/** The worker reuses the whole module graph (services, processors); it simply opens no HTTP port. */
@Module({ imports: [AppModule] })
export class WorkerModule {}
