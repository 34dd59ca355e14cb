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

/**
 * One refresh token of a sign-in session ("family"). Only the SHA-256 of the opaque 256-bit token is stored; every
 * refresh rotates it (the old row is revoked and points at its replacement), and presenting a rotated token again
 * revokes the whole family.
 */
@Entity('refresh_tokens')
@Index('ux_refresh_tokens_hash', ['tokenHash'], { unique: true })
@Index('ix_refresh_tokens_user', ['userId'])
@Index('ix_refresh_tokens_family', ['familyId'])
@Index('ix_refresh_tokens_replaced_by', ['replacedById'])
@Check('ck_refresh_tokens_hash', `char_length(token_hash) = 64`)
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_refresh_tokens_user' })
  user?: Relation<User>;
  @Column({ type: 'uuid' }) familyId!: string;
  @Column({ type: 'char', length: 64 }) tokenHash!: string;
  @Column({ type: 'timestamptz' }) expiresAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) replacedById!: string | null;
  @ManyToOne('RefreshToken', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'replaced_by_id', foreignKeyConstraintName: 'fk_refresh_tokens_replaced_by' })
  replacedBy?: Relation<RefreshToken> | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) userAgent!: string | null;
  @Column({ type: 'inet', nullable: true }) ip!: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
