import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatorsBotLinks1795630046402 implements MigrationInterface {
  name = 'CreatorsBotLinks1795630046402';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "creator_featured_bots" ("creator_profile_id" uuid NOT NULL, "bot_id" uuid NOT NULL, "position" smallint NOT NULL, CONSTRAINT "ck_cfb_position" CHECK (position >= 0), CONSTRAINT "pk_creator_featured_bots" PRIMARY KEY ("creator_profile_id", "bot_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cfb_bot" ON "creator_featured_bots"  ("bot_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_cfb_position" ON "creator_featured_bots"  ("creator_profile_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_application_bots" ("application_id" uuid NOT NULL, "bot_id" uuid NOT NULL, CONSTRAINT "pk_creator_program_application_bots" PRIMARY KEY ("application_id", "bot_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cpab_bot" ON "creator_program_application_bots"  ("bot_id") `);
    await queryRunner.query(
      `ALTER TABLE "creator_featured_bots" ADD CONSTRAINT "fk_cfb_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_featured_bots" ADD CONSTRAINT "fk_cfb_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_application_bots" ADD CONSTRAINT "fk_cpab_application" FOREIGN KEY ("application_id") REFERENCES "creator_program_applications"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_application_bots" ADD CONSTRAINT "fk_cpab_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "creator_program_application_bots" DROP CONSTRAINT "fk_cpab_bot"`);
    await queryRunner.query(`ALTER TABLE "creator_program_application_bots" DROP CONSTRAINT "fk_cpab_application"`);
    await queryRunner.query(`ALTER TABLE "creator_featured_bots" DROP CONSTRAINT "fk_cfb_bot"`);
    await queryRunner.query(`ALTER TABLE "creator_featured_bots" DROP CONSTRAINT "fk_cfb_creator_profile"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpab_bot"`);
    await queryRunner.query(`DROP TABLE "creator_program_application_bots"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cfb_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cfb_bot"`);
    await queryRunner.query(`DROP TABLE "creator_featured_bots"`);
  }
}
