import { MigrationInterface, QueryRunner } from 'typeorm';

export class CrisisSupport1795634606795 implements MigrationInterface {
  name = 'CrisisSupport1795634606795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "crisis_resource_hours" ("resource_id" uuid NOT NULL, "iso_weekday" smallint NOT NULL, "opens_at" TIME NOT NULL, "closes_at" TIME NOT NULL, CONSTRAINT "ck_crisis_hours_weekday" CHECK (iso_weekday BETWEEN 1 AND 7), CONSTRAINT "pk_crisis_resource_hours" PRIMARY KEY ("resource_id", "iso_weekday", "opens_at"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "crisis_resource_regions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "resource_id" uuid NOT NULL, "country_code" character(2) NOT NULL, "subdivision_code" character varying(6), CONSTRAINT "ck_crisis_region_subdivision" CHECK (subdivision_code IS NULL OR subdivision_code LIKE country_code || '-%'), CONSTRAINT "ck_crisis_region_country" CHECK (country_code ~ '^[A-Z]{2}$'), CONSTRAINT "pk_crisis_resource_regions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_crisis_region" ON "crisis_resource_regions" ("resource_id", "country_code", (coalesce("subdivision_code", '')))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crisis_region_country" ON "crisis_resource_regions"  ("country_code", "subdivision_code") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."crisis_category" AS ENUM('suicide_prevention', 'mental_health', 'domestic_violence', 'substance_abuse', 'lgbtq', 'youth', 'senior', 'general', 'financial', 'relationship')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."crisis_severity" AS ENUM('high', 'elevated')`);
    await queryRunner.query(
      `CREATE TABLE "crisis_keywords" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "phrase" character varying(100) NOT NULL, "language" character varying(12) NOT NULL, "category" "public"."crisis_category" NOT NULL, "severity" "public"."crisis_severity" NOT NULL DEFAULT 'elevated', "is_active" boolean NOT NULL DEFAULT true, "created_by_id" uuid, CONSTRAINT "pk_crisis_keywords" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_crisis_kw_created_by" ON "crisis_keywords"  ("created_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_crisis_kw_active" ON "crisis_keywords"  ("is_active") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_crisis_kw" ON "crisis_keywords"  ("language", "phrase") `);
    await queryRunner.query(
      `CREATE TYPE "public"."crisis_resource_type" AS ENUM('hotline', 'chat', 'text', 'online', 'emergency', 'app', 'support_group', 'professional')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."crisis_cost" AS ENUM('free', 'insurance', 'sliding_scale', 'low_cost', 'paid')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."crisis_feature" AS ENUM('anonymous', 'peer_support', 'professional_counselors', 'volunteers', 'family_support', 'trauma_informed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."crisis_verification" AS ENUM('pending', 'under_review', 'verified', 'needs_update', 'expired')`,
    );
    await queryRunner.query(
      `CREATE TABLE "crisis_resources" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "title" character varying(200) NOT NULL, "description" text NOT NULL, "resource_type" "public"."crisis_resource_type" NOT NULL, "resource_category" "public"."crisis_category" NOT NULL, "phone_number" character varying(32), "text_number" character varying(32), "text_instructions" character varying(200), "website_url" character varying(500), "chat_url" character varying(500), "app_url" character varying(500), "email" character varying(254), "is_worldwide" boolean NOT NULL DEFAULT false, "is_24_7" boolean NOT NULL DEFAULT false, "timezone" text NOT NULL DEFAULT 'UTC', "hours_note" character varying(300), "languages" text array NOT NULL, "cost" "public"."crisis_cost" NOT NULL DEFAULT 'free', "features" "public"."crisis_feature" array NOT NULL DEFAULT '{}', "tags" text array NOT NULL DEFAULT '{}', "is_emergency" boolean NOT NULL DEFAULT false, "display_order" integer NOT NULL DEFAULT '0', "is_active" boolean NOT NULL DEFAULT true, "verification_status" "public"."crisis_verification" NOT NULL DEFAULT 'pending', "verified_at" TIMESTAMP(3) WITH TIME ZONE, "verification_notes" text, "verified_by_id" uuid, "created_by_id" uuid, "updated_by_id" uuid, CONSTRAINT "ck_crisis_res_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_crisis_res_languages" CHECK (cardinality(languages) > 0), CONSTRAINT "ck_crisis_res_description" CHECK (char_length(description) <= 4000), CONSTRAINT "ck_crisis_res_contact" CHECK (num_nonnulls(phone_number, text_number, website_url, chat_url, email, app_url) > 0), CONSTRAINT "pk_crisis_resources" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_crisis_res_updated_by" ON "crisis_resources"  ("updated_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_crisis_res_created_by" ON "crisis_resources"  ("created_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_crisis_res_verified_by" ON "crisis_resources"  ("verified_by_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_crisis_res_order" ON "crisis_resources"  ("is_emergency", "display_order", "title", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_crisis_res_languages" ON "crisis_resources" USING gin ("languages") `);
    await queryRunner.query(
      `CREATE INDEX "ix_crisis_res_public" ON "crisis_resources"  ("is_active", "verification_status", "resource_category") `,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_resource_hours" ADD CONSTRAINT "fk_crisis_hours_resource" FOREIGN KEY ("resource_id") REFERENCES "crisis_resources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_resource_regions" ADD CONSTRAINT "fk_crisis_region_resource" FOREIGN KEY ("resource_id") REFERENCES "crisis_resources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_keywords" ADD CONSTRAINT "fk_crisis_kw_created_by" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_resources" ADD CONSTRAINT "fk_crisis_res_verified_by" FOREIGN KEY ("verified_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_resources" ADD CONSTRAINT "fk_crisis_res_created_by" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "crisis_resources" ADD CONSTRAINT "fk_crisis_res_updated_by" FOREIGN KEY ("updated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "crisis_resources" DROP CONSTRAINT "fk_crisis_res_updated_by"`);
    await queryRunner.query(`ALTER TABLE "crisis_resources" DROP CONSTRAINT "fk_crisis_res_created_by"`);
    await queryRunner.query(`ALTER TABLE "crisis_resources" DROP CONSTRAINT "fk_crisis_res_verified_by"`);
    await queryRunner.query(`ALTER TABLE "crisis_keywords" DROP CONSTRAINT "fk_crisis_kw_created_by"`);
    await queryRunner.query(`ALTER TABLE "crisis_resource_regions" DROP CONSTRAINT "fk_crisis_region_resource"`);
    await queryRunner.query(`ALTER TABLE "crisis_resource_hours" DROP CONSTRAINT "fk_crisis_hours_resource"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_public"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_languages"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_order"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_verified_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_created_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_res_updated_by"`);
    await queryRunner.query(`DROP TABLE "crisis_resources"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_verification"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_feature"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_cost"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_resource_type"`);
    await queryRunner.query(`DROP INDEX "public"."ux_crisis_kw"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_kw_active"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_kw_created_by"`);
    await queryRunner.query(`DROP TABLE "crisis_keywords"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_severity"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_category"`);
    await queryRunner.query(`DROP INDEX "public"."ux_crisis_region"`);
    await queryRunner.query(`DROP INDEX "public"."ix_crisis_region_country"`);
    await queryRunner.query(`DROP TABLE "crisis_resource_regions"`);
    await queryRunner.query(`DROP TABLE "crisis_resource_hours"`);
  }
}
