import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../media/media.module.js';
import { PersonaDetailSection } from './entities/persona-detail-section.entity.js';
import { Persona } from './entities/persona.entity.js';
import { PersonaPolicy } from './persona.policy.js';
import { PersonasController } from './personas.controller.js';
import { PersonasService } from './personas.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([Persona, PersonaDetailSection]), MediaModule],
  controllers: [PersonasController],
  providers: [PersonasService, PersonaPolicy],
  exports: [PersonasService],
})
export class PersonasModule {}
