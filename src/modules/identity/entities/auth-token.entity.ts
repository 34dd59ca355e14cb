import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import type { User } from './user.entity.js';

export enum AuthTokenPurpose {
  PasswordReset = 'password_reset',
  EmailVerification = 'email_verification',
  EmailChange = 'email_change',
}

/** A single-use emailed token (password reset, email verification, email change); only its SHA-256 is stored. */
@Entity('auth_tokens')
@Index('ux_auth_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_auth_tokens_user_purpose', ['userId', 'purpose'])
@Check('ck_auth_tokens_hash', `char_length(token_hash) = 64`)
@Check('ck_auth_tokens_new_email', `(purpose = 'email_change') = (new_email IS NOT NULL)`)
export class AuthToken {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_auth_tokens_user' })
  user?: Relation<User>;
  @Column({ type: 'enum', enum: AuthTokenPurpose, enumName: 'auth_token_purpose' }) purpose!: AuthTokenPurpose;
  @Column({ type: 'char', length: 64 }) tokenHash!: string;
  @Column({ type: 'citext', nullable: true }) newEmail!: string | null;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) usedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
