import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChatAttachments1795634569910 implements MigrationInterface {
  name = 'ChatAttachments1795634569910';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_attachments" ("message_id" uuid NOT NULL, "media_id" uuid NOT NULL, "position" smallint NOT NULL, CONSTRAINT "ck_message_attachments_position" CHECK (position >= 0 AND position < 10), CONSTRAINT "pk_message_attachments" PRIMARY KEY ("message_id", "media_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_message_attachments_media" ON "message_attachments"  ("media_id") `);
    await queryRunner.query(
      `CREATE TABLE "message_reactions" ("message_id" uuid NOT NULL, "user_id" uuid NOT NULL, "emoji" character varying(32) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_message_reactions" PRIMARY KEY ("message_id", "user_id", "emoji"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_message_reactions_user" ON "message_reactions"  ("user_id") `);
    await queryRunner.query(
      `ALTER TABLE "message_attachments" ADD CONSTRAINT "fk_message_attachments_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_attachments" ADD CONSTRAINT "fk_message_attachments_media" FOREIGN KEY ("media_id") REFERENCES "media"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_reactions" ADD CONSTRAINT "fk_message_reactions_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_reactions" ADD CONSTRAINT "fk_message_reactions_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "message_reactions" DROP CONSTRAINT "fk_message_reactions_user"`);
    await queryRunner.query(`ALTER TABLE "message_reactions" DROP CONSTRAINT "fk_message_reactions_message"`);
    await queryRunner.query(`ALTER TABLE "message_attachments" DROP CONSTRAINT "fk_message_attachments_media"`);
    await queryRunner.query(`ALTER TABLE "message_attachments" DROP CONSTRAINT "fk_message_attachments_message"`);
    await queryRunner.query(`DROP INDEX "public"."ix_message_reactions_user"`);
    await queryRunner.query(`DROP TABLE "message_reactions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_message_attachments_media"`);
    await queryRunner.query(`DROP TABLE "message_attachments"`);
  }
}
