import { MigrationInterface, QueryRunner } from 'typeorm';

export class Media1795631214958 implements MigrationInterface {
  name = 'Media1795631214958';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_media_owner_kind_created" ON "media"  ("owner_id", "kind", "created_at", "id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_media_owner_kind_created"`);
  }
}
