import { MigrationInterface, QueryRunner } from 'typeorm';

export class SelfModeration1795654676645 implements MigrationInterface {
  name = 'SelfModeration1795654676645';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "wellbeing_usage_days" ("user_id" uuid NOT NULL, "usage_date" date NOT NULL, "active_seconds" integer NOT NULL DEFAULT '0', "messages_sent" integer NOT NULL DEFAULT '0', "sessions_started" smallint NOT NULL DEFAULT '0', "late_night_seconds" integer NOT NULL DEFAULT '0', "first_activity_at" TIMESTAMP(3) WITH TIME ZONE, "last_activity_at" TIMESTAMP(3) WITH TIME ZONE, "over_daily_limit" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_wellbeing_usage_sessions" CHECK (sessions_started >= 0), CONSTRAINT "ck_wellbeing_usage_late_night" CHECK (late_night_seconds >= 0), CONSTRAINT "ck_wellbeing_usage_messages" CHECK (messages_sent >= 0), CONSTRAINT "ck_wellbeing_usage_active" CHECK (active_seconds >= 0), CONSTRAINT "pk_wellbeing_usage_days" PRIMARY KEY ("user_id", "usage_date"))`,
    );
    await queryRunner.query(`CREATE TYPE "public"."wellbeing_enforcement" AS ENUM('warn', 'block')`);
    await queryRunner.query(`CREATE TYPE "public"."crisis_notice_level" AS ENUM('all', 'high_only')`);
    await queryRunner.query(
      `CREATE TABLE "self_moderation_settings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "is_active" boolean NOT NULL DEFAULT true, "timezone" text NOT NULL DEFAULT 'UTC', "enforcement" "public"."wellbeing_enforcement" NOT NULL DEFAULT 'warn', "warn_at_percent" smallint NOT NULL DEFAULT '80', "daily_minutes_limit" smallint, "weekly_minutes_limit" smallint, "daily_messages_limit" smallint, "session_minutes_limit" smallint, "break_reminders_enabled" boolean NOT NULL DEFAULT true, "break_interval_minutes" smallint NOT NULL DEFAULT '25', "mindfulness_breaks" boolean NOT NULL DEFAULT false, "mood_checkins_enabled" boolean NOT NULL DEFAULT true, "quiet_hours_enabled" boolean NOT NULL DEFAULT false, "quiet_hours_start" smallint NOT NULL DEFAULT '22', "quiet_hours_end" smallint NOT NULL DEFAULT '8', "notify_daily_exceeded" boolean NOT NULL DEFAULT true, "notify_late_night" boolean NOT NULL DEFAULT true, "overuse_streak_days" smallint NOT NULL DEFAULT '2', "notify_mood_decline" boolean NOT NULL DEFAULT true, "crisis_notices" "public"."crisis_notice_level" NOT NULL DEFAULT 'all', "support_country" character(2), "support_subdivision" character varying(6), "support_language" character varying(12), "session_started_at" TIMESTAMP(3) WITH TIME ZONE, "last_activity_at" TIMESTAMP(3) WITH TIME ZONE, "last_break_reminder_at" TIMESTAMP(3) WITH TIME ZONE, "last_checkin_at" TIMESTAMP(3) WITH TIME ZONE, "pending_changes" jsonb, "pending_apply_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "ck_self_mod_streak_days" CHECK (overuse_streak_days BETWEEN 0 AND 7), CONSTRAINT "ck_self_mod_quiet_hours" CHECK (quiet_hours_start BETWEEN 0 AND 23 AND quiet_hours_end BETWEEN 0 AND 23), CONSTRAINT "ck_self_mod_break_interval" CHECK (break_interval_minutes BETWEEN 10 AND 60), CONSTRAINT "ck_self_mod_session_minutes" CHECK (session_minutes_limit BETWEEN 10 AND 480), CONSTRAINT "ck_self_mod_daily_messages" CHECK (daily_messages_limit BETWEEN 10 AND 5000), CONSTRAINT "ck_self_mod_weekly_minutes" CHECK (weekly_minutes_limit BETWEEN 60 AND 3360), CONSTRAINT "ck_self_mod_daily_minutes" CHECK (daily_minutes_limit BETWEEN 15 AND 480), CONSTRAINT "ck_self_mod_warn_at" CHECK (warn_at_percent BETWEEN 50 AND 100), CONSTRAINT "ck_self_mod_pending" CHECK ((pending_changes IS NULL) = (pending_apply_at IS NULL)), CONSTRAINT "ck_self_mod_quiet" CHECK (quiet_hours_start <> quiet_hours_end), CONSTRAINT "pk_self_moderation_settings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_self_mod_user" ON "self_moderation_settings"  ("user_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."wellbeing_intervention_kind" AS ENUM('daily_limit_exceeded', 'weekly_limit_exceeded', 'late_night_usage', 'overuse_streak', 'mood_decline')`,
    );
    await queryRunner.query(
      `CREATE TABLE "wellbeing_interventions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "kind" "public"."wellbeing_intervention_kind" NOT NULL, "local_date" date NOT NULL, "details" jsonb NOT NULL DEFAULT '{}', "delivered_at" TIMESTAMP(3) WITH TIME ZONE, "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE, CONSTRAINT "pk_wellbeing_interventions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_wellbeing_interv_user_date" ON "wellbeing_interventions"  ("user_id", "local_date", "created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_wellbeing_interv_day" ON "wellbeing_interventions"  ("user_id", "kind", "local_date") `,
    );
    await queryRunner.query(
      `ALTER TABLE "wellbeing_usage_days" ADD CONSTRAINT "fk_wellbeing_usage_days_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "self_moderation_settings" ADD CONSTRAINT "fk_self_mod_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "wellbeing_interventions" ADD CONSTRAINT "fk_wellbeing_interv_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "wellbeing_interventions" DROP CONSTRAINT "fk_wellbeing_interv_user"`);
    await queryRunner.query(`ALTER TABLE "self_moderation_settings" DROP CONSTRAINT "fk_self_mod_user"`);
    await queryRunner.query(`ALTER TABLE "wellbeing_usage_days" DROP CONSTRAINT "fk_wellbeing_usage_days_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_wellbeing_interv_day"`);
    await queryRunner.query(`DROP INDEX "public"."ix_wellbeing_interv_user_date"`);
    await queryRunner.query(`DROP TABLE "wellbeing_interventions"`);
    await queryRunner.query(`DROP TYPE "public"."wellbeing_intervention_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ux_self_mod_user"`);
    await queryRunner.query(`DROP TABLE "self_moderation_settings"`);
    await queryRunner.query(`DROP TYPE "public"."crisis_notice_level"`);
    await queryRunner.query(`DROP TYPE "public"."wellbeing_enforcement"`);
    await queryRunner.query(`DROP TABLE "wellbeing_usage_days"`);
  }
}
