import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';

export enum MediaKind {
  Image = 'image',
  Document = 'document',
}

@Entity('media')
@Index('ix_media_owner_created', ['ownerId', 'createdAt', 'id'])
@Index('ix_media_owner_kind_created', ['ownerId', 'kind', 'createdAt', 'id'])
@Index('ux_media_storage_key', ['storageKey'], { unique: true })
@Check('ck_media_size', 'size_bytes > 0')
@Check('ck_media_image_dims', `kind = 'document' OR (width BETWEEN 50 AND 6000 AND height BETWEEN 50 AND 6000)`)
@Check('ck_media_alt_text', `kind = 'document' OR char_length(alt_text) >= 1`)
export class Media extends TimestampedEntity {
  @Column({ type: 'uuid' }) ownerId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_media_owner' })
  owner?: Relation<User>;
  @Column({ type: 'enum', enum: MediaKind, enumName: 'media_kind' }) kind!: MediaKind;
  @Column({ type: 'varchar', length: 100 }) mimeType!: string;
  @Column({ type: 'integer' }) sizeBytes!: number;
  @Column({ type: 'integer', nullable: true }) width!: number | null;
  @Column({ type: 'integer', nullable: true }) height!: number | null;
  @Column({ type: 'varchar', length: 255 }) originalFilename!: string;
  @Column({ type: 'varchar', length: 300 }) storageKey!: string;
  @Column({ type: 'char', length: 64 }) sha256!: string;
  @Column({ type: 'varchar', length: 500, nullable: true }) altText!: string | null;
}
