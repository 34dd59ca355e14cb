import { MigrationInterface, QueryRunner } from 'typeorm';

export class Creators1795629772582 implements MigrationInterface {
  name = 'Creators1795629772582';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "creator_follows" ("follower_id" uuid NOT NULL, "creator_profile_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_creator_follows" PRIMARY KEY ("follower_id", "creator_profile_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cf_follower_created" ON "creator_follows"  ("follower_id", "created_at", "creator_profile_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cf_profile_created" ON "creator_follows"  ("creator_profile_id", "created_at", "follower_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_tiers" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "program_id" uuid NOT NULL, "level" smallint NOT NULL, "name" character varying(100) NOT NULL, "description" character varying(2000) NOT NULL, "requirements" character varying(2000), "benefits" text array NOT NULL DEFAULT '{}', CONSTRAINT "ck_cpt_benefits" CHECK (cardinality(benefits) <= 20), CONSTRAINT "ck_cpt_level" CHECK (level >= 1), CONSTRAINT "pk_creator_program_tiers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_cpt_level" ON "creator_program_tiers"  ("program_id", "level") `);
    await queryRunner.query(
      `CREATE TYPE "public"."creator_type" AS ENUM('individual', 'studio', 'organization', 'educational', 'open_source')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_specialty" AS ENUM('conversational_ai', 'creative_writing', 'fantasy_rpg', 'gaming', 'fanfic', 'oc', 'dead_dove', 'comedy_parody', 'long_form', 'one_shot')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_experience" AS ENUM('beginner', 'intermediate', 'advanced', 'expert', 'professional')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_profile_visibility" AS ENUM('public', 'unlisted', 'private')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_verification" AS ENUM('unverified', 'pending', 'verified', 'premium')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."moderation_status" AS ENUM('visible', 'hidden')`);
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`,
      [
        'public',
        'creator_profiles',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('simple'::regconfig, coalesce(display_name, '') || ' ' || coalesce(bio, ''))",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "creator_profiles" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "display_name" character varying(100) NOT NULL, "bio" character varying(1000) NOT NULL, "avatar_media_id" uuid, "banner_media_id" uuid, "creator_type" "public"."creator_type" NOT NULL DEFAULT 'individual', "specialties" "public"."creator_specialty" array NOT NULL DEFAULT '{}', "experience_level" "public"."creator_experience", "location" character varying(100), "languages" text array NOT NULL DEFAULT '{}', "tags" text array NOT NULL DEFAULT '{}', "profile_visibility" "public"."creator_profile_visibility" NOT NULL DEFAULT 'public', "allow_collaboration" boolean NOT NULL DEFAULT true, "accepts_commissions" boolean NOT NULL DEFAULT false, "commission_info" character varying(2000), "verification_status" "public"."creator_verification" NOT NULL DEFAULT 'unverified', "verification_requested_at" TIMESTAMP WITH TIME ZONE, "verified_at" TIMESTAMP WITH TIME ZONE, "verified_by_id" uuid, "verification_note" character varying(1000), "is_featured" boolean NOT NULL DEFAULT false, "featured_at" TIMESTAMP WITH TIME ZONE, "moderation_status" "public"."moderation_status" NOT NULL DEFAULT 'visible', "moderation_reason" character varying(500), "follower_count" integer NOT NULL DEFAULT '0', "public_bot_count" integer NOT NULL DEFAULT '0', "total_conversations" integer NOT NULL DEFAULT '0', "total_likes" integer NOT NULL DEFAULT '0', "stats_refreshed_at" TIMESTAMP WITH TIME ZONE, "last_active_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(display_name, '') || ' ' || coalesce(bio, ''))) STORED NOT NULL, CONSTRAINT "ck_cp_total_likes" CHECK (total_likes >= 0), CONSTRAINT "ck_cp_total_conversations" CHECK (total_conversations >= 0), CONSTRAINT "ck_cp_public_bot_count" CHECK (public_bot_count >= 0), CONSTRAINT "ck_cp_follower_count" CHECK (follower_count >= 0), CONSTRAINT "ck_cp_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_cp_languages" CHECK (cardinality(languages) <= 10), CONSTRAINT "ck_cp_specialties" CHECK (cardinality(specialties) <= 10), CONSTRAINT "ck_cp_bio" CHECK (char_length(bio) >= 1), CONSTRAINT "ck_cp_display_name" CHECK (char_length(btrim(display_name)) >= 1), CONSTRAINT "pk_creator_profiles" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cp_pub_conversations" ON "creator_profiles"  ("total_conversations", "id") WHERE profile_visibility = 'public' AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cp_pub_bots" ON "creator_profiles"  ("public_bot_count", "id") WHERE profile_visibility = 'public' AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cp_pub_created" ON "creator_profiles"  ("created_at", "id") WHERE profile_visibility = 'public' AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cp_pub_followers" ON "creator_profiles"  ("follower_count", "id") WHERE profile_visibility = 'public' AND moderation_status = 'visible'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cp_featured" ON "creator_profiles"  ("featured_at") WHERE is_featured`);
    await queryRunner.query(`CREATE INDEX "ix_cp_search" ON "creator_profiles" USING gin ("search_vector") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_languages" ON "creator_profiles" USING gin ("languages") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_tags" ON "creator_profiles" USING gin ("tags") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_specialties" ON "creator_profiles" USING gin ("specialties") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_verified_by" ON "creator_profiles"  ("verified_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_banner_media" ON "creator_profiles"  ("banner_media_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cp_avatar_media" ON "creator_profiles"  ("avatar_media_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_creator_profiles_user" ON "creator_profiles"  ("user_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."program_application_status" AS ENUM('submitted', 'under_review', 'approved', 'rejected', 'withdrawn')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_applications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "program_id" uuid NOT NULL, "creator_profile_id" uuid NOT NULL, "status" "public"."program_application_status" NOT NULL DEFAULT 'submitted', "motivation" text, "answers" jsonb NOT NULL DEFAULT '[]', "eligibility_snapshot" jsonb NOT NULL, "requested_tier_id" uuid, "reviewer_id" uuid, "review_started_at" TIMESTAMP WITH TIME ZONE, "decided_at" TIMESTAMP WITH TIME ZONE, "withdrawn_at" TIMESTAMP WITH TIME ZONE, "decision_reason" character varying(2000), "reviewer_notes" text, CONSTRAINT "ck_cpa_rejection_reason" CHECK (status <> 'rejected' OR decision_reason IS NOT NULL), CONSTRAINT "ck_cpa_reviewer_notes" CHECK (char_length(reviewer_notes) <= 5000), CONSTRAINT "ck_cpa_motivation" CHECK (char_length(motivation) <= 5000), CONSTRAINT "pk_creator_program_applications" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cpa_reviewer" ON "creator_program_applications"  ("reviewer_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_cpa_requested_tier" ON "creator_program_applications"  ("requested_tier_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpa_status_created" ON "creator_program_applications"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpa_profile" ON "creator_program_applications"  ("creator_profile_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpa_program_status" ON "creator_program_applications"  ("program_id", "status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_cpa_open" ON "creator_program_applications"  ("program_id", "creator_profile_id") WHERE status IN ('submitted', 'under_review')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."program_benefit_category" AS ENUM('primary', 'promotional', 'technical', 'community', 'financial')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_benefits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "program_id" uuid NOT NULL, "category" "public"."program_benefit_category" NOT NULL, "description" character varying(1000) NOT NULL, "position" smallint NOT NULL, CONSTRAINT "ck_cpb_position" CHECK (position >= 0), CONSTRAINT "pk_creator_program_benefits" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpb_program_position" ON "creator_program_benefits"  ("program_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."program_membership_status" AS ENUM('active', 'expired', 'revoked', 'left')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_memberships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "program_id" uuid NOT NULL, "creator_profile_id" uuid NOT NULL, "application_id" uuid, "tier_id" uuid, "status" "public"."program_membership_status" NOT NULL DEFAULT 'active', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "ended_by_id" uuid, "end_reason" character varying(500), CONSTRAINT "pk_creator_program_memberships" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpm_active_expires" ON "creator_program_memberships"  ("expires_at") WHERE status = 'active' AND expires_at IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cpm_ended_by" ON "creator_program_memberships"  ("ended_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cpm_tier" ON "creator_program_memberships"  ("tier_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_cpm_application" ON "creator_program_memberships"  ("application_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpm_profile" ON "creator_program_memberships"  ("creator_profile_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpm_program_started" ON "creator_program_memberships"  ("program_id", "started_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_cpm_program_active" ON "creator_program_memberships"  ("program_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_cpm_active" ON "creator_program_memberships"  ("program_id", "creator_profile_id") WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."program_question_type" AS ENUM('short_text', 'long_text', 'multiple_choice', 'yes_no')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_program_questions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "program_id" uuid NOT NULL, "position" smallint NOT NULL, "prompt" character varying(500) NOT NULL, "question_type" "public"."program_question_type" NOT NULL, "is_required" boolean NOT NULL DEFAULT false, "options" text array NOT NULL DEFAULT '{}', CONSTRAINT "ck_cpq_position" CHECK (position >= 0), CONSTRAINT "ck_cpq_options" CHECK ((question_type = 'multiple_choice') = (cardinality(options) >= 2)), CONSTRAINT "pk_creator_program_questions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_cpq_position" ON "creator_program_questions"  ("program_id", "position") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_program_type" AS ENUM('featured_creator', 'verified_creator', 'premium_creator', 'mentorship', 'ambassador', 'educational', 'innovation_lab')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."creator_program_status" AS ENUM('draft', 'active', 'paused', 'closed', 'archived')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."program_standing" AS ENUM('none', 'good', 'excellent', 'clean')`);
    await queryRunner.query(
      `CREATE TYPE "public"."program_application_method" AS ENUM('automatic', 'form', 'portfolio', 'interview', 'voting')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_programs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "name" character varying(200) NOT NULL, "slug" character varying(80) NOT NULL, "program_type" "public"."creator_program_type" NOT NULL, "status" "public"."creator_program_status" NOT NULL DEFAULT 'draft', "short_description" character varying(500) NOT NULL, "description" character varying(2000) NOT NULL, "banner_media_id" uuid, "icon_media_id" uuid, "min_bot_count" smallint NOT NULL DEFAULT '1', "min_conversations" integer NOT NULL DEFAULT '0', "required_specialties" "public"."creator_specialty" array NOT NULL DEFAULT '{}', "verification_required" boolean NOT NULL DEFAULT false, "portfolio_review" boolean NOT NULL DEFAULT true, "community_standing" "public"."program_standing" NOT NULL DEFAULT 'good', "application_method" "public"."program_application_method" NOT NULL DEFAULT 'form', "application_deadline" TIMESTAMP WITH TIME ZONE, "review_process" character varying(2000), "review_timeline" character varying(200), "max_participants" integer, "renewal_required" boolean NOT NULL DEFAULT false, "renewal_period_months" smallint, "auto_accept_criteria" character varying(2000), "launch_date" TIMESTAMP WITH TIME ZONE, "tags" text array NOT NULL DEFAULT '{}', "internal_notes" text, "created_by_id" uuid, CONSTRAINT "ck_cpg_internal_notes" CHECK (char_length(internal_notes) <= 5000), CONSTRAINT "ck_cpg_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_cpg_renewal" CHECK ((renewal_required AND renewal_period_months BETWEEN 1 AND 36) OR (NOT renewal_required AND renewal_period_months IS NULL)), CONSTRAINT "ck_cpg_max_participants" CHECK (max_participants IS NULL OR max_participants >= 1), CONSTRAINT "ck_cpg_min_conversations" CHECK (min_conversations >= 0), CONSTRAINT "ck_cpg_min_bot_count" CHECK (min_bot_count >= 0), CONSTRAINT "ck_cpg_slug" CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'), CONSTRAINT "pk_creator_programs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_cpg_created_by" ON "creator_programs"  ("created_by_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cpg_icon_media" ON "creator_programs"  ("icon_media_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cpg_banner_media" ON "creator_programs"  ("banner_media_id") `);
    await queryRunner.query(`CREATE INDEX "ix_cpg_type" ON "creator_programs"  ("program_type") `);
    await queryRunner.query(
      `CREATE INDEX "ix_cpg_status_created" ON "creator_programs"  ("status", "created_at", "id") `,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_creator_programs_slug" ON "creator_programs"  ("slug") `);
    await queryRunner.query(
      `CREATE TYPE "public"."creator_link_platform" AS ENUM('website', 'github', 'twitter', 'linkedin', 'instagram', 'discord', 'youtube', 'kofi', 'patreon', 'subscribestar', 'facebook', 'other')`,
    );
    await queryRunner.query(
      `CREATE TABLE "creator_social_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "creator_profile_id" uuid NOT NULL, "platform" "public"."creator_link_platform" NOT NULL, "label" character varying(50), "value" character varying(2048) NOT NULL, "position" smallint NOT NULL, CONSTRAINT "ck_csl_position" CHECK (position >= 0), CONSTRAINT "ck_csl_label" CHECK ((platform = 'other') = (label IS NOT NULL)), CONSTRAINT "pk_creator_social_links" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_csl_platform" ON "creator_social_links"  ("creator_profile_id", "platform") WHERE platform <> 'other'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_csl_profile_position" ON "creator_social_links"  ("creator_profile_id", "position") `,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_follows" ADD CONSTRAINT "fk_cf_follower" FOREIGN KEY ("follower_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_follows" ADD CONSTRAINT "fk_cf_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_tiers" ADD CONSTRAINT "fk_cpt_program" FOREIGN KEY ("program_id") REFERENCES "creator_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_profiles" ADD CONSTRAINT "fk_creator_profiles_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_profiles" ADD CONSTRAINT "fk_creator_profiles_avatar_media" FOREIGN KEY ("avatar_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_profiles" ADD CONSTRAINT "fk_creator_profiles_banner_media" FOREIGN KEY ("banner_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_profiles" ADD CONSTRAINT "fk_creator_profiles_verified_by" FOREIGN KEY ("verified_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_applications" ADD CONSTRAINT "fk_cpa_program" FOREIGN KEY ("program_id") REFERENCES "creator_programs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_applications" ADD CONSTRAINT "fk_cpa_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_applications" ADD CONSTRAINT "fk_cpa_requested_tier" FOREIGN KEY ("requested_tier_id") REFERENCES "creator_program_tiers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_applications" ADD CONSTRAINT "fk_cpa_reviewer" FOREIGN KEY ("reviewer_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_benefits" ADD CONSTRAINT "fk_cpb_program" FOREIGN KEY ("program_id") REFERENCES "creator_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_memberships" ADD CONSTRAINT "fk_cpm_program" FOREIGN KEY ("program_id") REFERENCES "creator_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_memberships" ADD CONSTRAINT "fk_cpm_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_memberships" ADD CONSTRAINT "fk_cpm_application" FOREIGN KEY ("application_id") REFERENCES "creator_program_applications"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_memberships" ADD CONSTRAINT "fk_cpm_tier" FOREIGN KEY ("tier_id") REFERENCES "creator_program_tiers"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_memberships" ADD CONSTRAINT "fk_cpm_ended_by" FOREIGN KEY ("ended_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_program_questions" ADD CONSTRAINT "fk_cpq_program" FOREIGN KEY ("program_id") REFERENCES "creator_programs"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_programs" ADD CONSTRAINT "fk_creator_programs_banner_media" FOREIGN KEY ("banner_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_programs" ADD CONSTRAINT "fk_creator_programs_icon_media" FOREIGN KEY ("icon_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_programs" ADD CONSTRAINT "fk_creator_programs_created_by" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "creator_social_links" ADD CONSTRAINT "fk_csl_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Hand-written: an expression index TypeORM cannot declare (entity: @Index('ix_cp_pub_name', { synchronize: false })).
    await queryRunner.query(
      `CREATE INDEX "ix_cp_pub_name" ON "creator_profiles" (lower("display_name"), "id") WHERE profile_visibility = 'public' AND moderation_status = 'visible'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "public"."ix_cp_pub_name"`);
    await queryRunner.query(`ALTER TABLE "creator_social_links" DROP CONSTRAINT "fk_csl_creator_profile"`);
    await queryRunner.query(`ALTER TABLE "creator_programs" DROP CONSTRAINT "fk_creator_programs_created_by"`);
    await queryRunner.query(`ALTER TABLE "creator_programs" DROP CONSTRAINT "fk_creator_programs_icon_media"`);
    await queryRunner.query(`ALTER TABLE "creator_programs" DROP CONSTRAINT "fk_creator_programs_banner_media"`);
    await queryRunner.query(`ALTER TABLE "creator_program_questions" DROP CONSTRAINT "fk_cpq_program"`);
    await queryRunner.query(`ALTER TABLE "creator_program_memberships" DROP CONSTRAINT "fk_cpm_ended_by"`);
    await queryRunner.query(`ALTER TABLE "creator_program_memberships" DROP CONSTRAINT "fk_cpm_tier"`);
    await queryRunner.query(`ALTER TABLE "creator_program_memberships" DROP CONSTRAINT "fk_cpm_application"`);
    await queryRunner.query(`ALTER TABLE "creator_program_memberships" DROP CONSTRAINT "fk_cpm_creator_profile"`);
    await queryRunner.query(`ALTER TABLE "creator_program_memberships" DROP CONSTRAINT "fk_cpm_program"`);
    await queryRunner.query(`ALTER TABLE "creator_program_benefits" DROP CONSTRAINT "fk_cpb_program"`);
    await queryRunner.query(`ALTER TABLE "creator_program_applications" DROP CONSTRAINT "fk_cpa_reviewer"`);
    await queryRunner.query(`ALTER TABLE "creator_program_applications" DROP CONSTRAINT "fk_cpa_requested_tier"`);
    await queryRunner.query(`ALTER TABLE "creator_program_applications" DROP CONSTRAINT "fk_cpa_creator_profile"`);
    await queryRunner.query(`ALTER TABLE "creator_program_applications" DROP CONSTRAINT "fk_cpa_program"`);
    await queryRunner.query(`ALTER TABLE "creator_profiles" DROP CONSTRAINT "fk_creator_profiles_verified_by"`);
    await queryRunner.query(`ALTER TABLE "creator_profiles" DROP CONSTRAINT "fk_creator_profiles_banner_media"`);
    await queryRunner.query(`ALTER TABLE "creator_profiles" DROP CONSTRAINT "fk_creator_profiles_avatar_media"`);
    await queryRunner.query(`ALTER TABLE "creator_profiles" DROP CONSTRAINT "fk_creator_profiles_user"`);
    await queryRunner.query(`ALTER TABLE "creator_program_tiers" DROP CONSTRAINT "fk_cpt_program"`);
    await queryRunner.query(`ALTER TABLE "creator_follows" DROP CONSTRAINT "fk_cf_creator_profile"`);
    await queryRunner.query(`ALTER TABLE "creator_follows" DROP CONSTRAINT "fk_cf_follower"`);
    await queryRunner.query(`DROP INDEX "public"."ix_csl_profile_position"`);
    await queryRunner.query(`DROP INDEX "public"."ux_csl_platform"`);
    await queryRunner.query(`DROP TABLE "creator_social_links"`);
    await queryRunner.query(`DROP TYPE "public"."creator_link_platform"`);
    await queryRunner.query(`DROP INDEX "public"."ux_creator_programs_slug"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpg_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpg_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpg_banner_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpg_icon_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpg_created_by"`);
    await queryRunner.query(`DROP TABLE "creator_programs"`);
    await queryRunner.query(`DROP TYPE "public"."program_application_method"`);
    await queryRunner.query(`DROP TYPE "public"."program_standing"`);
    await queryRunner.query(`DROP TYPE "public"."creator_program_status"`);
    await queryRunner.query(`DROP TYPE "public"."creator_program_type"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cpq_position"`);
    await queryRunner.query(`DROP TABLE "creator_program_questions"`);
    await queryRunner.query(`DROP TYPE "public"."program_question_type"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cpm_active"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_program_active"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_program_started"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_profile"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cpm_application"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_tier"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_ended_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpm_active_expires"`);
    await queryRunner.query(`DROP TABLE "creator_program_memberships"`);
    await queryRunner.query(`DROP TYPE "public"."program_membership_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpb_program_position"`);
    await queryRunner.query(`DROP TABLE "creator_program_benefits"`);
    await queryRunner.query(`DROP TYPE "public"."program_benefit_category"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cpa_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpa_program_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpa_profile"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpa_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpa_requested_tier"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cpa_reviewer"`);
    await queryRunner.query(`DROP TABLE "creator_program_applications"`);
    await queryRunner.query(`DROP TYPE "public"."program_application_status"`);
    await queryRunner.query(`DROP INDEX "public"."ux_creator_profiles_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_avatar_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_banner_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_verified_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_specialties"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_languages"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_featured"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_pub_followers"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_pub_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_pub_bots"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cp_pub_conversations"`);
    await queryRunner.query(`DROP TABLE "creator_profiles"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`,
      ['GENERATED_COLUMN', 'search_vector', 'public', 'creator_profiles'],
    );
    await queryRunner.query(`DROP TYPE "public"."moderation_status"`);
    await queryRunner.query(`DROP TYPE "public"."creator_verification"`);
    await queryRunner.query(`DROP TYPE "public"."creator_profile_visibility"`);
    await queryRunner.query(`DROP TYPE "public"."creator_experience"`);
    await queryRunner.query(`DROP TYPE "public"."creator_specialty"`);
    await queryRunner.query(`DROP TYPE "public"."creator_type"`);
    await queryRunner.query(`DROP INDEX "public"."ux_cpt_level"`);
    await queryRunner.query(`DROP TABLE "creator_program_tiers"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cf_profile_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_cf_follower_created"`);
    await queryRunner.query(`DROP TABLE "creator_follows"`);
  }
}
