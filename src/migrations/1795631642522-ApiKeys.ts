import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApiKeys1795631642522 implements MigrationInterface {
  name = 'ApiKeys1795631642522';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "api_key_fallbacks" ("api_key_id" uuid NOT NULL, "position" smallint NOT NULL, "fallback_api_key_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_api_key_fallbacks_position" CHECK (position BETWEEN 0 AND 4), CONSTRAINT "ck_api_key_fallbacks_self" CHECK (fallback_api_key_id <> api_key_id), CONSTRAINT "pk_api_key_fallbacks" PRIMARY KEY ("api_key_id", "position"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_api_key_fallbacks_fallback" ON "api_key_fallbacks"  ("fallback_api_key_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_api_key_fallbacks_pair" ON "api_key_fallbacks"  ("api_key_id", "fallback_api_key_id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."llm_provider" AS ENUM('openai', 'anthropic', 'google', 'openrouter', 'deepseek', 'cohere', 'together', 'electronhub', 'glm', 'custom')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."api_key_status" AS ENUM('active', 'disabled', 'invalid', 'suspended')`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "nickname" character varying(100) NOT NULL, "provider" "public"."llm_provider" NOT NULL, "base_url" character varying(500), "secret_ciphertext" bytea NOT NULL, "secret_iv" bytea NOT NULL, "secret_auth_tag" bytea NOT NULL, "encryption_key_id" character varying(32) NOT NULL, "secret_hint" character varying(4) NOT NULL, "secret_fingerprint" character(64) NOT NULL, "status" "public"."api_key_status" NOT NULL DEFAULT 'active', "suspended_reason" character varying(300), "is_default" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE, "last_verified_at" TIMESTAMP WITH TIME ZONE, "secret_rotated_at" TIMESTAMP WITH TIME ZONE, "model_preferences" character varying(200) array NOT NULL DEFAULT '{}', "context_window_tokens" integer, "requests_per_hour" integer, "tokens_per_minute" integer, "daily_token_limit" bigint, "monthly_token_quota" bigint, "monthly_cost_limit_usd" numeric(12,2), "input_price_per_mtok_usd" numeric(12,6), "output_price_per_mtok_usd" numeric(12,6), "openai_organization" character varying(100), "openai_project" character varying(100), "extra_headers" jsonb NOT NULL DEFAULT '{}', "total_requests" bigint NOT NULL DEFAULT '0', "total_errors" bigint NOT NULL DEFAULT '0', "total_input_tokens" bigint NOT NULL DEFAULT '0', "total_output_tokens" bigint NOT NULL DEFAULT '0', "total_cost_usd" numeric(14,6) NOT NULL DEFAULT '0', "total_latency_ms" bigint NOT NULL DEFAULT '0', "last_used_at" TIMESTAMP WITH TIME ZONE, "last_error_at" TIMESTAMP WITH TIME ZONE, "last_error_code" character varying(64), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_api_keys_counters" CHECK (total_requests >= 0 AND total_errors >= 0 AND total_input_tokens >= 0 AND total_output_tokens >= 0 AND total_cost_usd >= 0 AND total_latency_ms >= 0), CONSTRAINT "ck_api_keys_extra_headers" CHECK (jsonb_typeof(extra_headers) = 'object'), CONSTRAINT "ck_api_keys_openai_fields" CHECK (provider = 'openai' OR (openai_organization IS NULL AND openai_project IS NULL)), CONSTRAINT "ck_api_keys_prices" CHECK (input_price_per_mtok_usd >= 0 AND output_price_per_mtok_usd >= 0), CONSTRAINT "ck_api_keys_monthly_cost_limit" CHECK (monthly_cost_limit_usd > 0), CONSTRAINT "ck_api_keys_monthly_token_quota" CHECK (monthly_token_quota >= 1), CONSTRAINT "ck_api_keys_daily_token_limit" CHECK (daily_token_limit >= 1), CONSTRAINT "ck_api_keys_tokens_per_minute" CHECK (tokens_per_minute BETWEEN 1 AND 10000000), CONSTRAINT "ck_api_keys_requests_per_hour" CHECK (requests_per_hour BETWEEN 1 AND 100000), CONSTRAINT "ck_api_keys_context_window" CHECK (context_window_tokens BETWEEN 1024 AND 2000000), CONSTRAINT "ck_api_keys_model_preferences" CHECK (cardinality(model_preferences) <= 20), CONSTRAINT "ck_api_keys_secret_hint" CHECK (char_length(secret_hint) BETWEEN 1 AND 4), CONSTRAINT "ck_api_keys_encryption_key_id" CHECK (encryption_key_id ~ '^[a-z0-9_-]{1,32}$'), CONSTRAINT "ck_api_keys_secret_auth_tag" CHECK (octet_length(secret_auth_tag) = 16), CONSTRAINT "ck_api_keys_secret_iv" CHECK (octet_length(secret_iv) = 12), CONSTRAINT "ck_api_keys_base_url" CHECK ((provider = 'custom') = (base_url IS NOT NULL)), CONSTRAINT "ck_api_keys_nickname" CHECK (char_length(nickname) >= 1), CONSTRAINT "pk_api_keys" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_keys_status_created" ON "api_keys"  ("status", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_api_keys_encryption_key_id" ON "api_keys"  ("encryption_key_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_api_keys_user_default" ON "api_keys"  ("user_id") WHERE is_default`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_api_keys_user_fingerprint" ON "api_keys"  ("user_id", "provider", "secret_fingerprint") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_keys_user_created" ON "api_keys"  ("user_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "api_key_usage_monthly" ("api_key_id" uuid NOT NULL, "month" date NOT NULL, "requests" integer NOT NULL DEFAULT '0', "errors" integer NOT NULL DEFAULT '0', "input_tokens" bigint NOT NULL DEFAULT '0', "output_tokens" bigint NOT NULL DEFAULT '0', "cost_usd" numeric(14,6) NOT NULL DEFAULT '0', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_api_key_usage_monthly_nonneg" CHECK (requests >= 0 AND errors >= 0 AND input_tokens >= 0 AND output_tokens >= 0 AND cost_usd >= 0), CONSTRAINT "pk_api_key_usage_monthly" PRIMARY KEY ("api_key_id", "month"))`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."api_key_event_type" AS ENUM('created', 'updated', 'secret_replaced', 'verified', 'verification_failed', 'used', 'use_failed', 'limit_blocked', 'fallback_used', 'disabled', 'enabled', 'suspended', 'unsuspended', 'deleted', 're_encrypted', 'decrypt_failed')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."api_key_use_purpose" AS ENUM('chat', 'regenerate', 'memory_extraction', 'verification')`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_key_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "api_key_id" uuid, "user_id" uuid NOT NULL, "actor_user_id" uuid, "event_type" "public"."api_key_event_type" NOT NULL, "purpose" "public"."api_key_use_purpose", "key_hint" character varying(4) NOT NULL, "provider" "public"."llm_provider" NOT NULL, "model" character varying(200), "conversation_id" uuid, "message_id" uuid, "http_status" smallint, "input_tokens" integer, "output_tokens" integer, "latency_ms" integer, "error_code" character varying(64), "ip" inet, "user_agent" character varying(300), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_api_key_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_api_key_events_created" ON "api_key_events"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_api_key_events_actor" ON "api_key_events"  ("actor_user_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_api_key_events_key_type_created" ON "api_key_events"  ("api_key_id", "event_type", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_api_key_events_user_created" ON "api_key_events"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_api_key_events_key_created" ON "api_key_events"  ("api_key_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."api_key_limit_name" AS ENUM('requests_per_hour', 'tokens_per_minute', 'daily_token_limit', 'monthly_token_quota', 'monthly_cost_limit_usd')`,
    );
    await queryRunner.query(
      `CREATE TABLE "api_key_usage_windows" ("api_key_id" uuid NOT NULL, "limit_name" "public"."api_key_limit_name" NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "used" bigint NOT NULL DEFAULT '0', "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_api_key_usage_windows_used" CHECK (used >= 0), CONSTRAINT "pk_api_key_usage_windows" PRIMARY KEY ("api_key_id", "limit_name", "window_start"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_api_key_usage_windows_start" ON "api_key_usage_windows"  ("window_start") `,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_fallbacks" ADD CONSTRAINT "fk_api_key_fallbacks_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_fallbacks" ADD CONSTRAINT "fk_api_key_fallbacks_fallback" FOREIGN KEY ("fallback_api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_usage_monthly" ADD CONSTRAINT "fk_api_key_usage_monthly_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_events" ADD CONSTRAINT "fk_api_key_events_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_events" ADD CONSTRAINT "fk_api_key_events_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_events" ADD CONSTRAINT "fk_api_key_events_actor" FOREIGN KEY ("actor_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key_usage_windows" ADD CONSTRAINT "fk_api_key_usage_windows_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    // Expression index TypeORM cannot declare (entity: @Index('ux_api_keys_user_nickname', { synchronize: false })).
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_api_keys_user_nickname" ON "api_keys" ("user_id", lower("nickname"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ux_api_keys_user_nickname"`);
    await queryRunner.query(`ALTER TABLE "api_key_usage_windows" DROP CONSTRAINT "fk_api_key_usage_windows_key"`);
    await queryRunner.query(`ALTER TABLE "api_key_events" DROP CONSTRAINT "fk_api_key_events_actor"`);
    await queryRunner.query(`ALTER TABLE "api_key_events" DROP CONSTRAINT "fk_api_key_events_user"`);
    await queryRunner.query(`ALTER TABLE "api_key_events" DROP CONSTRAINT "fk_api_key_events_key"`);
    await queryRunner.query(`ALTER TABLE "api_key_usage_monthly" DROP CONSTRAINT "fk_api_key_usage_monthly_key"`);
    await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_user"`);
    await queryRunner.query(`ALTER TABLE "api_key_fallbacks" DROP CONSTRAINT "fk_api_key_fallbacks_fallback"`);
    await queryRunner.query(`ALTER TABLE "api_key_fallbacks" DROP CONSTRAINT "fk_api_key_fallbacks_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_usage_windows_start"`);
    await queryRunner.query(`DROP TABLE "api_key_usage_windows"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_limit_name"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_events_key_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_events_user_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_events_key_type_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_events_actor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_events_created"`);
    await queryRunner.query(`DROP TABLE "api_key_events"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_use_purpose"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_event_type"`);
    await queryRunner.query(`DROP TABLE "api_key_usage_monthly"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_user_created"`);
    await queryRunner.query(`DROP INDEX "public"."ux_api_keys_user_fingerprint"`);
    await queryRunner.query(`DROP INDEX "public"."ux_api_keys_user_default"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_encryption_key_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_keys_status_created"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP TYPE "public"."api_key_status"`);
    await queryRunner.query(`DROP TYPE "public"."llm_provider"`);
    await queryRunner.query(`DROP INDEX "public"."ux_api_key_fallbacks_pair"`);
    await queryRunner.query(`DROP INDEX "public"."ix_api_key_fallbacks_fallback"`);
    await queryRunner.query(`DROP TABLE "api_key_fallbacks"`);
  }
}
