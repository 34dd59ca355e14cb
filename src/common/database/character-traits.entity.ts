import { Column } from 'typeorm';
import {
  BEHAVIOR_CREATIVITY_ENUM,
  BEHAVIOR_KNOWLEDGE_SHARING_ENUM,
  BEHAVIOR_RESPONSE_LENGTH_ENUM,
  BehaviorCreativity,
  BehaviorKnowledgeSharing,
  BehaviorResponseLength,
  TRAIT_COMMUNICATION_ENUM,
  TRAIT_FORMALITY_ENUM,
  TRAIT_HUMOR_ENUM,
  TRAIT_TONE_ENUM,
  TraitCommunication,
  TraitFormality,
  TraitHumor,
  TraitTone,
} from '../enums/character.enums.js';
import { TimestampedEntity } from './timestamped.entity.js';

/** The trait and behaviour columns bots and personas share (bots.md §1, §4): same names, types and enum types. */
export abstract class CharacterTraitsEntity extends TimestampedEntity {
  @Column({ type: 'enum', enum: TraitTone, enumName: TRAIT_TONE_ENUM, nullable: true }) tone!: TraitTone | null;
  @Column({ type: 'enum', enum: TraitFormality, enumName: TRAIT_FORMALITY_ENUM, nullable: true })
  formality!: TraitFormality | null;
  @Column({ type: 'enum', enum: TraitHumor, enumName: TRAIT_HUMOR_ENUM, nullable: true }) humor!: TraitHumor | null;
  @Column({ type: 'enum', enum: TraitCommunication, enumName: TRAIT_COMMUNICATION_ENUM, nullable: true })
  communication!: TraitCommunication | null;
  @Column({ type: 'enum', enum: BehaviorResponseLength, enumName: BEHAVIOR_RESPONSE_LENGTH_ENUM, nullable: true })
  responseLength!: BehaviorResponseLength | null;
  @Column({ type: 'enum', enum: BehaviorCreativity, enumName: BEHAVIOR_CREATIVITY_ENUM, nullable: true })
  creativity!: BehaviorCreativity | null;
  @Column({ type: 'enum', enum: BehaviorKnowledgeSharing, enumName: BEHAVIOR_KNOWLEDGE_SHARING_ENUM, nullable: true })
  knowledgeSharing!: BehaviorKnowledgeSharing | null;
}
