import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { CreatorProgramApplication } from './creator-program-application.entity.js';

/** A portfolio bot named in an application (creators.md §3.2): the applicant's public bots. */
@Entity('creator_program_application_bots')
@Index('ix_cpab_bot', ['botId'])
export class CreatorProgramApplicationBot {
  @PrimaryColumn({ type: 'uuid' }) applicationId!: string;
  @ManyToOne('CreatorProgramApplication', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'application_id', foreignKeyConstraintName: 'fk_cpab_application' })
  application?: Relation<CreatorProgramApplication>;

  @PrimaryColumn({ type: 'uuid' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_cpab_bot' })
  bot?: Relation<Bot>;
}
