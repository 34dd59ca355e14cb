import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { UserRole } from '../../../common/auth/actor.js';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { Media } from '../../media/entities/media.entity.js';

export enum UserStatus {
  Active = 'active',
  Suspended = 'suspended',
}

export enum Pronouns {
  HeHim = 'he_him',
  SheHer = 'she_her',
  TheyThem = 'they_them',
  HeThey = 'he_they',
  SheThey = 'she_they',
  Any = 'any',
  Other = 'other',
}

@Entity('users')
@Index('ux_users_email', ['email'], { unique: true })
@Index('ux_users_username', ['username'], { unique: true })
@Index('ux_users_legacy_user_id', ['legacyUserId'], { unique: true, where: 'legacy_user_id IS NOT NULL' })
@Index('ix_users_created', ['createdAt', 'id'])
@Index('ix_users_avatar_media', ['avatarMediaId'])
@Index('ix_users_role_created', ['role', 'createdAt', 'id'])
@Index('ix_users_status_created', ['status', 'createdAt', 'id'])
@Check('ck_users_custom_pronouns', `(pronouns = 'other') = (custom_pronouns IS NOT NULL)`)
@Check('ck_users_about_me', 'char_length(about_me) <= 2000')
@Check('ck_users_token_version', 'token_version >= 0')
@Check('ck_users_failed_login_count', 'failed_login_count >= 0')
export class User extends TimestampedEntity {
  @Column({ type: 'citext' }) email!: string;
  @Column({ type: 'citext' }) username!: string;
  @Column({ type: 'varchar', length: 255 }) passwordHash!: string;
  @Column({ type: 'enum', enum: UserRole, enumName: 'user_role', default: UserRole.User }) role!: UserRole;
  @Column({ type: 'enum', enum: UserStatus, enumName: 'user_status', default: UserStatus.Active }) status!: UserStatus;
  @Column({ type: 'timestamptz', nullable: true }) suspendedUntil!: Date | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) suspensionReason!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) emailVerifiedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) tokenVersion!: number;
  @Column({ type: 'varchar', length: 100, nullable: true }) displayName!: string | null;
  @Column({ type: 'uuid', nullable: true }) avatarMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'avatar_media_id', foreignKeyConstraintName: 'fk_users_avatar_media' })
  avatarMedia?: Relation<Media> | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) nickname!: string | null;
  @Column({ type: 'enum', enum: Pronouns, enumName: 'pronouns', nullable: true }) pronouns!: Pronouns | null;
  @Column({ type: 'varchar', length: 50, nullable: true }) customPronouns!: string | null;
  @Column({ type: 'text', nullable: true }) aboutMe!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) matureContentOptInAt!: Date | null;
  @Column({ type: 'smallint', default: 0 }) failedLoginCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) lockedUntil!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) usernameChangedAt!: Date | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) legacyUserId!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) legacyMigratedAt!: Date | null;
}
