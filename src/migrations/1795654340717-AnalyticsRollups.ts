import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalyticsRollups1795654340717 implements MigrationInterface {
  name = 'AnalyticsRollups1795654340717';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "analytics_job_runs" ("job_name" character varying(60) NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, "succeeded" boolean, "duration_ms" integer, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "pk_analytics_job_runs" PRIMARY KEY ("job_name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "analytics_view_salts" ("day" date NOT NULL, "salt" bytea NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_analytics_view_salts" PRIMARY KEY ("day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "bot_chatters" ("bot_id" uuid NOT NULL, "user_id" uuid NOT NULL, "first_chat_day" date NOT NULL, "last_chat_day" date NOT NULL, CONSTRAINT "ck_bot_chatters_days" CHECK (first_chat_day <= last_chat_day), CONSTRAINT "pk_bot_chatters" PRIMARY KEY ("bot_id", "user_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_bot_chatters_bot_first" ON "bot_chatters"  ("bot_id", "first_chat_day") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_bot_chatters_user" ON "bot_chatters"  ("user_id") `);
    await queryRunner.query(
      `CREATE TABLE "bot_daily_stats" ("bot_id" uuid NOT NULL, "day" date NOT NULL, "views" integer NOT NULL DEFAULT '0', "unique_viewers" integer NOT NULL DEFAULT '0', "likes" integer NOT NULL DEFAULT '0', "unlikes" integer NOT NULL DEFAULT '0', "favorites" integer NOT NULL DEFAULT '0', "unfavorites" integer NOT NULL DEFAULT '0', "conversations_started" integer NOT NULL DEFAULT '0', "user_messages" integer NOT NULL DEFAULT '0', "unique_chatters" integer NOT NULL DEFAULT '0', "new_chatters" integer NOT NULL DEFAULT '0', "replies" integer NOT NULL DEFAULT '0', "reply_failures" integer NOT NULL DEFAULT '0', "tokens_out" bigint NOT NULL DEFAULT '0', "latency_ms_sum" bigint NOT NULL DEFAULT '0', "latency_count" integer NOT NULL DEFAULT '0', "memories_created" integer NOT NULL DEFAULT '0', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_bot_daily_stats_counters" CHECK (views >= 0 AND unique_viewers >= 0 AND likes >= 0 AND unlikes >= 0 AND favorites >= 0 AND unfavorites >= 0 AND conversations_started >= 0 AND user_messages >= 0 AND unique_chatters >= 0 AND new_chatters >= 0 AND replies >= 0 AND reply_failures >= 0 AND tokens_out >= 0 AND latency_ms_sum >= 0 AND latency_count >= 0 AND memories_created >= 0), CONSTRAINT "pk_bot_daily_stats" PRIMARY KEY ("bot_id", "day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "memory_daily_stats" ("user_id" uuid NOT NULL, "bot_id" uuid NOT NULL, "day" date NOT NULL, "memories_created" integer NOT NULL DEFAULT '0', "recalls" integer NOT NULL DEFAULT '0', "distinct_memories_recalled" integer NOT NULL DEFAULT '0', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_memory_daily_stats_counters" CHECK (memories_created >= 0 AND recalls >= 0 AND distinct_memories_recalled >= 0), CONSTRAINT "pk_memory_daily_stats" PRIMARY KEY ("user_id", "bot_id", "day"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_memory_daily_stats_bot" ON "memory_daily_stats"  ("bot_id") `);
    await queryRunner.query(
      `CREATE TABLE "persona_daily_stats" ("persona_id" uuid NOT NULL, "day" date NOT NULL, "messages_sent" integer NOT NULL DEFAULT '0', "conversations" integer NOT NULL DEFAULT '0', "bots_chatted" integer NOT NULL DEFAULT '0', "starts" integer NOT NULL DEFAULT '0', "switches_in" integer NOT NULL DEFAULT '0', "replies_received" integer NOT NULL DEFAULT '0', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_persona_daily_stats_counters" CHECK (messages_sent >= 0 AND conversations >= 0 AND bots_chatted >= 0 AND starts >= 0 AND switches_in >= 0 AND replies_received >= 0), CONSTRAINT "pk_persona_daily_stats" PRIMARY KEY ("persona_id", "day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "platform_daily_stats" ("day" date NOT NULL, "new_users" integer NOT NULL DEFAULT '0', "active_users" integer NOT NULL DEFAULT '0', "messages_sent" integer NOT NULL DEFAULT '0', "replies" integer NOT NULL DEFAULT '0', "reply_failures" integer NOT NULL DEFAULT '0', "tokens_in" bigint NOT NULL DEFAULT '0', "tokens_out" bigint NOT NULL DEFAULT '0', "conversations_started" integer NOT NULL DEFAULT '0', "bots_created" integer NOT NULL DEFAULT '0', "bot_views" integer NOT NULL DEFAULT '0', "likes" integer NOT NULL DEFAULT '0', "mood_entries" integer NOT NULL DEFAULT '0', "memories_created" integer NOT NULL DEFAULT '0', "crisis_notices" integer NOT NULL DEFAULT '0', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_platform_daily_stats_counters" CHECK (new_users >= 0 AND active_users >= 0 AND messages_sent >= 0 AND replies >= 0 AND reply_failures >= 0 AND tokens_in >= 0 AND tokens_out >= 0 AND conversations_started >= 0 AND bots_created >= 0 AND bot_views >= 0 AND likes >= 0 AND mood_entries >= 0 AND memories_created >= 0 AND crisis_notices >= 0), CONSTRAINT "pk_platform_daily_stats" PRIMARY KEY ("day"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "user_daily_stats" ("user_id" uuid NOT NULL, "day" date NOT NULL, "messages_sent" integer NOT NULL DEFAULT '0', "replies_received" integer NOT NULL DEFAULT '0', "reply_failures" integer NOT NULL DEFAULT '0', "conversations_started" integer NOT NULL DEFAULT '0', "conversations_ended" integer NOT NULL DEFAULT '0', "bots_chatted" integer NOT NULL DEFAULT '0', "tokens_in" bigint NOT NULL DEFAULT '0', "tokens_out" bigint NOT NULL DEFAULT '0', "memories_created" integer NOT NULL DEFAULT '0', "mood_entries" integer NOT NULL DEFAULT '0', "bots_created" integer NOT NULL DEFAULT '0', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_user_daily_stats_counters" CHECK (messages_sent >= 0 AND replies_received >= 0 AND reply_failures >= 0 AND conversations_started >= 0 AND conversations_ended >= 0 AND bots_chatted >= 0 AND tokens_in >= 0 AND tokens_out >= 0 AND memories_created >= 0 AND mood_entries >= 0 AND bots_created >= 0), CONSTRAINT "pk_user_daily_stats" PRIMARY KEY ("user_id", "day"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."mood_trend" AS ENUM('improving', 'declining', 'stable', 'insufficient_data')`,
    );
    await queryRunner.query(
      `CREATE TABLE "mood_trends" ("user_id" uuid NOT NULL, "as_of_date" date NOT NULL, "avg_7d" numeric(3,2), "avg_prev_7d" numeric(3,2), "change_7d" numeric(4,2), "days_logged_7d" smallint NOT NULL DEFAULT '0', "avg_30d" numeric(3,2), "avg_prev_30d" numeric(3,2), "change_30d" numeric(4,2), "days_logged_30d" smallint NOT NULL DEFAULT '0', "trend_7d" "public"."mood_trend" NOT NULL DEFAULT 'insufficient_data', "trend_30d" "public"."mood_trend" NOT NULL DEFAULT 'insufficient_data', "current_streak" smallint NOT NULL DEFAULT '0', "longest_streak" smallint NOT NULL DEFAULT '0', "last_entry_date" date, "top_mood_30d" "public"."mood_label", "top_emotions_30d" "public"."mood_emotion" array NOT NULL DEFAULT '{}', "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_mood_trends_emotions" CHECK (cardinality(top_emotions_30d) <= 3), CONSTRAINT "ck_mood_trends_streaks" CHECK (current_streak >= 0 AND longest_streak >= current_streak), CONSTRAINT "ck_mood_trends_days" CHECK (days_logged_7d BETWEEN 0 AND 7 AND days_logged_30d BETWEEN 0 AND 30), CONSTRAINT "pk_mood_trends" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "bot_chatters" ADD CONSTRAINT "fk_bot_chatters_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bot_chatters" ADD CONSTRAINT "fk_bot_chatters_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bot_daily_stats" ADD CONSTRAINT "fk_bot_daily_stats_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memory_daily_stats" ADD CONSTRAINT "fk_memory_daily_stats_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memory_daily_stats" ADD CONSTRAINT "fk_memory_daily_stats_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "persona_daily_stats" ADD CONSTRAINT "fk_persona_daily_stats_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "user_daily_stats" ADD CONSTRAINT "fk_user_daily_stats_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "mood_trends" ADD CONSTRAINT "fk_mood_trends_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mood_trends" DROP CONSTRAINT "fk_mood_trends_user"`);
    await queryRunner.query(`ALTER TABLE "user_daily_stats" DROP CONSTRAINT "fk_user_daily_stats_user"`);
    await queryRunner.query(`ALTER TABLE "persona_daily_stats" DROP CONSTRAINT "fk_persona_daily_stats_persona"`);
    await queryRunner.query(`ALTER TABLE "memory_daily_stats" DROP CONSTRAINT "fk_memory_daily_stats_bot"`);
    await queryRunner.query(`ALTER TABLE "memory_daily_stats" DROP CONSTRAINT "fk_memory_daily_stats_user"`);
    await queryRunner.query(`ALTER TABLE "bot_daily_stats" DROP CONSTRAINT "fk_bot_daily_stats_bot"`);
    await queryRunner.query(`ALTER TABLE "bot_chatters" DROP CONSTRAINT "fk_bot_chatters_user"`);
    await queryRunner.query(`ALTER TABLE "bot_chatters" DROP CONSTRAINT "fk_bot_chatters_bot"`);
    await queryRunner.query(`DROP TABLE "mood_trends"`);
    await queryRunner.query(`DROP TYPE "public"."mood_trend"`);
    await queryRunner.query(`DROP TABLE "user_daily_stats"`);
    await queryRunner.query(`DROP TABLE "platform_daily_stats"`);
    await queryRunner.query(`DROP TABLE "persona_daily_stats"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memory_daily_stats_bot"`);
    await queryRunner.query(`DROP TABLE "memory_daily_stats"`);
    await queryRunner.query(`DROP TABLE "bot_daily_stats"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bot_chatters_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bot_chatters_bot_first"`);
    await queryRunner.query(`DROP TABLE "bot_chatters"`);
    await queryRunner.query(`DROP TABLE "analytics_view_salts"`);
    await queryRunner.query(`DROP TABLE "analytics_job_runs"`);
  }
}
