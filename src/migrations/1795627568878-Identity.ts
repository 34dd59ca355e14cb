import { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795627568878 implements MigrationInterface {
  name = 'Identity1795627568878';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."auth_token_purpose" AS ENUM('password_reset', 'email_verification', 'email_change')`,
    );
    await queryRunner.query(
      `CREATE TABLE "auth_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "purpose" "public"."auth_token_purpose" NOT NULL, "token_hash" character(64) NOT NULL, "new_email" citext, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_auth_tokens_new_email" CHECK ((purpose = 'email_change') = (new_email IS NOT NULL)), CONSTRAINT "ck_auth_tokens_hash" CHECK (char_length(token_hash) = 64), CONSTRAINT "pk_auth_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_auth_tokens_user_purpose" ON "auth_tokens"  ("user_id", "purpose") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_auth_tokens_hash" ON "auth_tokens"  ("token_hash") `);
    await queryRunner.query(
      `CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "family_id" uuid NOT NULL, "token_hash" character(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "replaced_by_id" uuid, "user_agent" character varying(300), "ip" inet, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_refresh_tokens_hash" CHECK (char_length(token_hash) = 64), CONSTRAINT "pk_refresh_tokens" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_replaced_by" ON "refresh_tokens"  ("replaced_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_family" ON "refresh_tokens"  ("family_id") `);
    await queryRunner.query(`CREATE INDEX "ix_refresh_tokens_user" ON "refresh_tokens"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_refresh_tokens_hash" ON "refresh_tokens"  ("token_hash") `);
    await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('user', 'creator', 'moderator', 'admin')`);
    await queryRunner.query(`CREATE TYPE "public"."user_status" AS ENUM('active', 'suspended')`);
    await queryRunner.query(
      `CREATE TYPE "public"."pronouns" AS ENUM('he_him', 'she_her', 'they_them', 'he_they', 'she_they', 'any', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "email" citext NOT NULL, "username" citext NOT NULL, "password_hash" character varying(255) NOT NULL, "role" "public"."user_role" NOT NULL DEFAULT 'user', "status" "public"."user_status" NOT NULL DEFAULT 'active', "suspended_until" TIMESTAMP WITH TIME ZONE, "suspension_reason" character varying(500), "email_verified_at" TIMESTAMP WITH TIME ZONE, "token_version" integer NOT NULL DEFAULT '0', "display_name" character varying(100), "avatar_media_id" uuid, "nickname" character varying(50), "pronouns" "public"."pronouns", "custom_pronouns" character varying(50), "about_me" text, "mature_content_opt_in_at" TIMESTAMP WITH TIME ZONE, "failed_login_count" smallint NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "username_changed_at" TIMESTAMP WITH TIME ZONE, "legacy_user_id" character varying(64), "legacy_migrated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_users_failed_login_count" CHECK (failed_login_count >= 0), CONSTRAINT "ck_users_token_version" CHECK (token_version >= 0), CONSTRAINT "ck_users_about_me" CHECK (char_length(about_me) <= 2000), CONSTRAINT "ck_users_custom_pronouns" CHECK ((pronouns = 'other') = (custom_pronouns IS NOT NULL)), CONSTRAINT "pk_users" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_users_status_created" ON "users"  ("status", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_users_role_created" ON "users"  ("role", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_users_avatar_media" ON "users"  ("avatar_media_id") `);
    await queryRunner.query(`CREATE INDEX "ix_users_created" ON "users"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_users_legacy_user_id" ON "users"  ("legacy_user_id") WHERE legacy_user_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_users_username" ON "users"  ("username") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_users_email" ON "users"  ("email") `);
    await queryRunner.query(`CREATE TYPE "public"."media_kind" AS ENUM('image', 'document')`);
    await queryRunner.query(
      `CREATE TABLE "media" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "owner_id" uuid NOT NULL, "kind" "public"."media_kind" NOT NULL, "mime_type" character varying(100) NOT NULL, "size_bytes" integer NOT NULL, "width" integer, "height" integer, "original_filename" character varying(255) NOT NULL, "storage_key" character varying(300) NOT NULL, "sha256" character(64) NOT NULL, "alt_text" character varying(500), CONSTRAINT "ck_media_alt_text" CHECK (kind = 'document' OR char_length(alt_text) >= 1), CONSTRAINT "ck_media_image_dims" CHECK (kind = 'document' OR (width BETWEEN 50 AND 6000 AND height BETWEEN 50 AND 6000)), CONSTRAINT "ck_media_size" CHECK (size_bytes > 0), CONSTRAINT "pk_media" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_media_storage_key" ON "media"  ("storage_key") `);
    await queryRunner.query(`CREATE INDEX "ix_media_owner_created" ON "media"  ("owner_id", "created_at", "id") `);
    await queryRunner.query(
      `ALTER TABLE "auth_tokens" ADD CONSTRAINT "fk_auth_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD CONSTRAINT "fk_refresh_tokens_replaced_by" FOREIGN KEY ("replaced_by_id") REFERENCES "refresh_tokens"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_avatar_media" FOREIGN KEY ("avatar_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "media" ADD CONSTRAINT "fk_media_owner" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "media" DROP CONSTRAINT "fk_media_owner"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_avatar_media"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_replaced_by"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP CONSTRAINT "fk_refresh_tokens_user"`);
    await queryRunner.query(`ALTER TABLE "auth_tokens" DROP CONSTRAINT "fk_auth_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_media_owner_created"`);
    await queryRunner.query(`DROP INDEX "public"."ux_media_storage_key"`);
    await queryRunner.query(`DROP TABLE "media"`);
    await queryRunner.query(`DROP TYPE "public"."media_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ux_users_email"`);
    await queryRunner.query(`DROP INDEX "public"."ux_users_username"`);
    await queryRunner.query(`DROP INDEX "public"."ux_users_legacy_user_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_avatar_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_role_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_status_created"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TYPE "public"."pronouns"`);
    await queryRunner.query(`DROP TYPE "public"."user_status"`);
    await queryRunner.query(`DROP TYPE "public"."user_role"`);
    await queryRunner.query(`DROP INDEX "public"."ux_refresh_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_family"`);
    await queryRunner.query(`DROP INDEX "public"."ix_refresh_tokens_replaced_by"`);
    await queryRunner.query(`DROP TABLE "refresh_tokens"`);
    await queryRunner.query(`DROP INDEX "public"."ux_auth_tokens_hash"`);
    await queryRunner.query(`DROP INDEX "public"."ix_auth_tokens_user_purpose"`);
    await queryRunner.query(`DROP TABLE "auth_tokens"`);
    await queryRunner.query(`DROP TYPE "public"."auth_token_purpose"`);
  }
}
