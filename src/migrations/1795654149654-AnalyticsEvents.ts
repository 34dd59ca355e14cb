import { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalyticsEvents1795654149654 implements MigrationInterface {
  name = 'AnalyticsEvents1795654149654';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."analytics_event_type" AS ENUM('conversation_started', 'conversation_ended', 'message_sent', 'reply_generated', 'reply_failed', 'bot_viewed', 'bot_liked', 'bot_unliked', 'bot_favorited', 'bot_unfavorited', 'bot_created', 'persona_used', 'memory_created', 'memory_recalled', 'mood_logged', 'mood_updated', 'mood_deleted', 'user_registered', 'crisis_notice_shown')`,
    );
    await queryRunner.query(
      `CREATE TABLE "analytics_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_type" "public"."analytics_event_type" NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "idempotency_key" character varying(200) NOT NULL, "actor_user_id" uuid, "actor_key" character varying(80) NOT NULL, "bot_id" uuid, "conversation_id" uuid, "persona_id" uuid, "memory_id" uuid, "message_id" uuid, "tokens_in" integer, "tokens_out" integer, "latency_ms" integer, "properties" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "ck_analytics_events_properties" CHECK (jsonb_typeof(properties) = 'object' AND octet_length(properties::text) <= 4096), CONSTRAINT "ck_analytics_events_latency" CHECK (latency_ms >= 0), CONSTRAINT "ck_analytics_events_tokens_out" CHECK (tokens_out >= 0), CONSTRAINT "ck_analytics_events_tokens_in" CHECK (tokens_in >= 0), CONSTRAINT "pk_analytics_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_analytics_events_persona" ON "analytics_events"  ("persona_id", "occurred_at") WHERE persona_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_analytics_events_actor" ON "analytics_events"  ("actor_user_id", "occurred_at") WHERE actor_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_analytics_events_bot" ON "analytics_events"  ("bot_id", "occurred_at") WHERE bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_analytics_events_type_time" ON "analytics_events"  ("event_type", "occurred_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_analytics_events_recorded" ON "analytics_events"  ("recorded_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_analytics_events_idem" ON "analytics_events"  ("idempotency_key") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ux_analytics_events_idem"`);
    await queryRunner.query(`DROP INDEX "public"."ix_analytics_events_recorded"`);
    await queryRunner.query(`DROP INDEX "public"."ix_analytics_events_type_time"`);
    await queryRunner.query(`DROP INDEX "public"."ix_analytics_events_bot"`);
    await queryRunner.query(`DROP INDEX "public"."ix_analytics_events_actor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_analytics_events_persona"`);
    await queryRunner.query(`DROP TABLE "analytics_events"`);
    await queryRunner.query(`DROP TYPE "public"."analytics_event_type"`);
  }
}
