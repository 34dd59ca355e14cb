import { MigrationInterface, QueryRunner } from 'typeorm';

export class Personas1795631359565 implements MigrationInterface {
  name = 'Personas1795631359565';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "persona_detail_sections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "persona_id" uuid NOT NULL, "position" smallint NOT NULL, "label" character varying(100) NOT NULL, "content" text NOT NULL, CONSTRAINT "ck_persona_detail_sections_content" CHECK (char_length(content) BETWEEN 1 AND 5000), CONSTRAINT "ck_persona_detail_sections_label" CHECK (char_length(btrim(label)) >= 1), CONSTRAINT "ck_persona_detail_sections_position" CHECK (position BETWEEN 0 AND 19), CONSTRAINT "pk_persona_detail_sections" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_persona_detail_sections_pos" ON "persona_detail_sections"  ("persona_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."persona_gender" AS ENUM('male', 'female', 'non_binary', 'unspecified', 'other')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."persona_visual_theme" AS ENUM('classic', 'modern', 'fantasy', 'minimalist', 'vintage', 'futuristic')`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'personas',
        'GENERATED_COLUMN',
        'name_sort',
        'lower(name)',
      ],
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'personas',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('simple'::regconfig, name || ' ' || description)",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "personas" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "owner_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "name_sort" character varying(100) GENERATED ALWAYS AS (lower(name)) STORED NOT NULL, "description" character varying(500) NOT NULL, "gender" "public"."persona_gender", "age" smallint, "pronouns" "public"."pronouns", "custom_pronouns" character varying(50), "avatar_media_id" uuid, "visual_theme" "public"."persona_visual_theme", "color_scheme" character varying(50), "appearance_description" text, "personality" text, "backstory" text, "tone" "public"."trait_tone", "formality" "public"."trait_formality", "humor" "public"."trait_humor", "communication" "public"."trait_communication", "response_length" "public"."behavior_response_length", "creativity" "public"."behavior_creativity", "knowledge_sharing" "public"."behavior_knowledge_sharing", "preferred_topics" text array NOT NULL DEFAULT '{}', "avoid_topics" text array NOT NULL DEFAULT '{}', "conversation_starter" character varying(200), "signature_phrases" text array NOT NULL DEFAULT '{}', "custom_instructions" text, "tags" text array NOT NULL DEFAULT '{}', "is_default" boolean NOT NULL DEFAULT false, "is_public" boolean NOT NULL DEFAULT false, "moderation_status" "public"."moderation_status" NOT NULL DEFAULT 'visible', "moderation_reason" character varying(500), "moderated_by_id" uuid, "moderated_at" TIMESTAMP WITH TIME ZONE, "usage_count" integer NOT NULL DEFAULT '0', "last_used_at" TIMESTAMP WITH TIME ZONE, "copied_from_persona_id" uuid, "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name || ' ' || description)) STORED NOT NULL, CONSTRAINT "ck_personas_usage_count" CHECK (usage_count >= 0), CONSTRAINT "ck_personas_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_personas_signature_phrases" CHECK (cardinality(signature_phrases) <= 20), CONSTRAINT "ck_personas_avoid_topics" CHECK (cardinality(avoid_topics) <= 20), CONSTRAINT "ck_personas_preferred_topics" CHECK (cardinality(preferred_topics) <= 20), CONSTRAINT "ck_personas_custom_instructions" CHECK (char_length(custom_instructions) <= 5000), CONSTRAINT "ck_personas_backstory" CHECK (char_length(backstory) <= 5000), CONSTRAINT "ck_personas_personality" CHECK (char_length(personality) <= 5000), CONSTRAINT "ck_personas_appearance" CHECK (char_length(appearance_description) <= 5000), CONSTRAINT "ck_personas_custom_pronouns" CHECK ((pronouns = 'other' AND custom_pronouns IS NOT NULL) OR (pronouns IS DISTINCT FROM 'other' AND custom_pronouns IS NULL)), CONSTRAINT "ck_personas_age" CHECK (age BETWEEN 1 AND 150), CONSTRAINT "ck_personas_description" CHECK (char_length(btrim(description)) >= 1), CONSTRAINT "ck_personas_name" CHECK (char_length(btrim(name)) >= 1), CONSTRAINT "pk_personas" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_personas_moderated_by" ON "personas"  ("moderated_by_id") WHERE moderated_by_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_personas_copied_from" ON "personas"  ("copied_from_persona_id") WHERE copied_from_persona_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_personas_avatar_media" ON "personas"  ("avatar_media_id") WHERE avatar_media_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_personas_search" ON "personas" USING gin ("search_vector") `);
    await queryRunner.query(`CREATE INDEX "ix_personas_tags" ON "personas" USING gin ("tags") `);
    await queryRunner.query(
      `CREATE INDEX "ix_personas_pub_used" ON "personas"  ("usage_count", "id") WHERE is_public AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_personas_pub_name" ON "personas"  ("name_sort", "id") WHERE is_public AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_personas_pub_recent" ON "personas"  ("updated_at", "id") WHERE is_public AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_personas_one_default" ON "personas"  ("owner_id") WHERE is_default`,
    );
    await queryRunner.query(`CREATE INDEX "ix_personas_owner_used" ON "personas"  ("owner_id", "usage_count", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_personas_owner_name" ON "personas"  ("owner_id", "name_sort", "id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_personas_owner_updated" ON "personas"  ("owner_id", "updated_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "persona_detail_sections" ADD CONSTRAINT "fk_persona_detail_sections_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "personas" ADD CONSTRAINT "fk_personas_owner" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "personas" ADD CONSTRAINT "fk_personas_avatar_media" FOREIGN KEY ("avatar_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "personas" ADD CONSTRAINT "fk_personas_moderated_by" FOREIGN KEY ("moderated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "personas" ADD CONSTRAINT "fk_personas_copied_from" FOREIGN KEY ("copied_from_persona_id") REFERENCES "personas"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "personas" DROP CONSTRAINT "fk_personas_copied_from"`);
    await queryRunner.query(`ALTER TABLE "personas" DROP CONSTRAINT "fk_personas_moderated_by"`);
    await queryRunner.query(`ALTER TABLE "personas" DROP CONSTRAINT "fk_personas_avatar_media"`);
    await queryRunner.query(`ALTER TABLE "personas" DROP CONSTRAINT "fk_personas_owner"`);
    await queryRunner.query(
      `ALTER TABLE "persona_detail_sections" DROP CONSTRAINT "fk_persona_detail_sections_persona"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_personas_owner_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_owner_name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_owner_used"`);
    await queryRunner.query(`DROP INDEX "public"."ux_personas_one_default"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_pub_recent"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_pub_name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_pub_used"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_avatar_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_copied_from"`);
    await queryRunner.query(`DROP INDEX "public"."ix_personas_moderated_by"`);
    await queryRunner.query(`DROP TABLE "personas"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'search_vector',
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'personas',
      ],
    );
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'name_sort',
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'personas',
      ],
    );
    await queryRunner.query(`DROP TYPE "public"."persona_visual_theme"`);
    await queryRunner.query(`DROP TYPE "public"."persona_gender"`);
    await queryRunner.query(`DROP INDEX "public"."ux_persona_detail_sections_pos"`);
    await queryRunner.query(`DROP TABLE "persona_detail_sections"`);
  }
}
