import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { MODERATION_STATUS_ENUM, ModerationStatus } from '../../../common/access/access.enums.js';
import { CharacterTraitsEntity } from '../../../common/database/character-traits.entity.js';
import { Pronouns, type User } from '../../identity/entities/user.entity.js';
import type { Media } from '../../media/entities/media.entity.js';
import type { PersonaDetailSection } from './persona-detail-section.entity.js';
import { PERSONA_GENDER_ENUM, PERSONA_VISUAL_THEME_ENUM, PersonaGender, PersonaVisualTheme } from './persona.enums.js';

/** The public catalogue (`scope=public`) shows these only; its sort indexes are partial on it. */
export const PUBLIC_VISIBLE_PERSONA = `is_public AND moderation_status = 'visible'`;

/** A mask the user chats as (bots.md §4). */
@Entity('personas')
@Index('ix_personas_owner_updated', ['ownerId', 'updatedAt', 'id'])
@Index('ix_personas_owner_name', ['ownerId', 'nameSort', 'id'])
@Index('ix_personas_owner_used', ['ownerId', 'usageCount', 'id'])
@Index('ux_personas_one_default', ['ownerId'], { unique: true, where: 'is_default' })
@Index('ix_personas_pub_recent', ['updatedAt', 'id'], { where: PUBLIC_VISIBLE_PERSONA })
@Index('ix_personas_pub_name', ['nameSort', 'id'], { where: PUBLIC_VISIBLE_PERSONA })
@Index('ix_personas_pub_used', ['usageCount', 'id'], { where: PUBLIC_VISIBLE_PERSONA })
@Index('ix_personas_tags', ['tags'], { type: 'gin' })
@Index('ix_personas_search', ['searchVector'], { type: 'gin' })
@Index('ix_personas_avatar_media', ['avatarMediaId'], { where: 'avatar_media_id IS NOT NULL' })
@Index('ix_personas_copied_from', ['copiedFromPersonaId'], { where: 'copied_from_persona_id IS NOT NULL' })
@Index('ix_personas_moderated_by', ['moderatedById'], { where: 'moderated_by_id IS NOT NULL' })
@Check('ck_personas_name', 'char_length(btrim(name)) >= 1')
@Check('ck_personas_description', 'char_length(btrim(description)) >= 1')
@Check('ck_personas_age', 'age BETWEEN 1 AND 150')
@Check(
  'ck_personas_custom_pronouns',
  `(pronouns = 'other' AND custom_pronouns IS NOT NULL) OR (pronouns IS DISTINCT FROM 'other' AND custom_pronouns IS NULL)`,
)
@Check('ck_personas_appearance', 'char_length(appearance_description) <= 5000')
@Check('ck_personas_personality', 'char_length(personality) <= 5000')
@Check('ck_personas_backstory', 'char_length(backstory) <= 5000')
@Check('ck_personas_custom_instructions', 'char_length(custom_instructions) <= 5000')
@Check('ck_personas_preferred_topics', 'cardinality(preferred_topics) <= 20')
@Check('ck_personas_avoid_topics', 'cardinality(avoid_topics) <= 20')
@Check('ck_personas_signature_phrases', 'cardinality(signature_phrases) <= 20')
@Check('ck_personas_tags', 'cardinality(tags) <= 20')
@Check('ck_personas_usage_count', 'usage_count >= 0')
export class Persona extends CharacterTraitsEntity {
  @Column({ type: 'uuid' }) ownerId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_personas_owner' })
  owner?: Relation<User>;

  /** What bots call the user. */
  @Column({ type: 'varchar', length: 100 }) name!: string;
  /** lower(name), for the name sort and its indexes. */
  @Column({
    type: 'varchar',
    length: 100,
    generatedType: 'STORED',
    asExpression: 'lower(name)',
    insert: false,
    update: false,
  })
  nameSort!: string;
  @Column({ type: 'varchar', length: 500 }) description!: string;
  @Column({ type: 'enum', enum: PersonaGender, enumName: PERSONA_GENDER_ENUM, nullable: true })
  gender!: PersonaGender | null;
  @Column({ type: 'smallint', nullable: true }) age!: number | null;
  @Column({ type: 'enum', enum: Pronouns, enumName: 'pronouns', nullable: true }) pronouns!: Pronouns | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) customPronouns!: string | null;

  @Column({ type: 'uuid', nullable: true }) avatarMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'avatar_media_id', foreignKeyConstraintName: 'fk_personas_avatar_media' })
  avatarMedia?: Relation<Media> | null;
  @Column({ type: 'enum', enum: PersonaVisualTheme, enumName: PERSONA_VISUAL_THEME_ENUM, nullable: true })
  visualTheme!: PersonaVisualTheme | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) colorScheme!: string | null;
  @Column({ type: 'text', nullable: true }) appearanceDescription!: string | null;
  @Column({ type: 'text', nullable: true }) personality!: string | null;
  @Column({ type: 'text', nullable: true }) backstory!: string | null;

  @Column({ type: 'text', array: true, default: () => `'{}'` }) preferredTopics!: string[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) avoidTopics!: string[];
  @Column({ type: 'varchar', length: 200, nullable: true }) conversationStarter!: string | null;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) signaturePhrases!: string[];
  /** Injected into the system prompt; never shown to non-owners. */
  @Column({ type: 'text', nullable: true }) customInstructions!: string | null;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) tags!: string[];

  @Column({ type: 'boolean', default: false }) isDefault!: boolean;
  @Column({ type: 'boolean', default: false }) isPublic!: boolean;
  @Column({
    type: 'enum',
    enum: ModerationStatus,
    enumName: MODERATION_STATUS_ENUM,
    default: ModerationStatus.Visible,
  })
  moderationStatus!: ModerationStatus;
  /** Not in the field table: where `PUT /personas/{id}/moderation` keeps its `reason` (audit). */
  @Column({ type: 'varchar', length: 500, nullable: true }) moderationReason!: string | null;
  @Column({ type: 'uuid', nullable: true }) moderatedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'moderated_by_id', foreignKeyConstraintName: 'fk_personas_moderated_by' })
  moderatedBy?: Relation<User> | null;
  @Column({ type: 'timestamptz', nullable: true }) moderatedAt!: Date | null;

  /** +1 when a conversation starts with the persona (chat module, `SET usage_count = usage_count + 1`). */
  @Column({ type: 'integer', default: 0 }) usageCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true }) copiedFromPersonaId!: string | null;
  @ManyToOne('Persona', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'copied_from_persona_id', foreignKeyConstraintName: 'fk_personas_copied_from' })
  copiedFrom?: Relation<Persona> | null;

  /** Full-text search over name and description (`q`). */
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple'::regconfig, name || ' ' || description)`,
    insert: false,
    update: false,
    select: false,
  })
  searchVector!: string;

  @OneToMany('PersonaDetailSection', 'persona')
  detailSections?: Relation<PersonaDetailSection>[];
}
