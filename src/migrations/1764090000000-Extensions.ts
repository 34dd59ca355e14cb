import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Extensions the schema relies on; TypeORM's automatic extension install is off in both modes. */
export class Extensions1764090000000 implements MigrationInterface {
  name = 'Extensions1764090000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS citext');
    await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP EXTENSION IF EXISTS pg_trgm');
    await queryRunner.query('DROP EXTENSION IF EXISTS citext');
  }
}
