import { MigrationInterface, QueryRunner } from 'typeorm';

export class Chat1795633305599 implements MigrationInterface {
  name = 'Chat1795633305599';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "message_edits" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "message_id" uuid NOT NULL, "previous_content" text NOT NULL, "edited_by_user_id" uuid, "edit_reason" character varying(200), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_message_edits" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_message_edits_edited_by" ON "message_edits"  ("edited_by_user_id") WHERE edited_by_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_message_edits_message_created" ON "message_edits"  ("message_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."chat_conversation_type" AS ENUM('single_bot', 'multi_bot', 'group_chat')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."chat_conversation_status" AS ENUM('active', 'archived', 'muted', 'pinned')`,
    );
    await queryRunner.query(
      `CREATE TABLE "conversations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "owner_user_id" uuid NOT NULL, "title" character varying(200), "conversation_type" "public"."chat_conversation_type" NOT NULL DEFAULT 'single_bot', "status" "public"."chat_conversation_status" NOT NULL DEFAULT 'active', "persona_id" uuid, "api_key_id" uuid, "model" character varying(200), "temperature" numeric(3,2), "max_output_tokens" integer, "summary" text, "summary_updated_at" TIMESTAMP WITH TIME ZONE, "last_summarized_seq" bigint NOT NULL DEFAULT '0', "tags" character varying(40) array NOT NULL DEFAULT '{}', "message_count" integer NOT NULL DEFAULT '0', "participant_count" smallint NOT NULL DEFAULT '1', "total_tokens" bigint NOT NULL DEFAULT '0', "last_message_seq" bigint NOT NULL DEFAULT '0', "last_activity_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "allow_file_sharing" boolean NOT NULL DEFAULT true, "message_retention_days" integer, "memory_enabled" boolean NOT NULL DEFAULT true, CONSTRAINT "ck_conversations_retention" CHECK (message_retention_days BETWEEN 1 AND 3650), CONSTRAINT "ck_conversations_last_seq" CHECK (last_message_seq >= 0), CONSTRAINT "ck_conversations_total_tokens" CHECK (total_tokens >= 0), CONSTRAINT "ck_conversations_participant_count" CHECK (participant_count >= 1), CONSTRAINT "ck_conversations_message_count" CHECK (message_count >= 0), CONSTRAINT "ck_conversations_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_conversations_summarized" CHECK (last_summarized_seq BETWEEN 0 AND last_message_seq), CONSTRAINT "ck_conversations_summary" CHECK (char_length(summary) <= 8000), CONSTRAINT "ck_conversations_max_output" CHECK (max_output_tokens BETWEEN 1 AND 32768), CONSTRAINT "ck_conversations_temperature" CHECK (temperature BETWEEN 0 AND 2), CONSTRAINT "ck_conversations_title" CHECK (char_length(title) BETWEEN 1 AND 200), CONSTRAINT "pk_conversations" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversations_api_key" ON "conversations"  ("api_key_id") WHERE api_key_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversations_persona" ON "conversations"  ("persona_id") WHERE persona_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conversations_retention" ON "conversations"  ("id") WHERE message_retention_days IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_conversations_tags" ON "conversations" USING gin ("tags") `);
    await queryRunner.query(
      `CREATE INDEX "ix_conversations_owner_activity" ON "conversations"  ("owner_user_id", "last_activity_at", "id") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."chat_participant_kind" AS ENUM('user', 'bot')`);
    await queryRunner.query(
      `CREATE TYPE "public"."chat_participant_role" AS ENUM('owner', 'member', 'primary', 'secondary', 'moderator')`,
    );
    await queryRunner.query(
      `CREATE TABLE "conversation_participants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "conversation_id" uuid NOT NULL, "participant_kind" "public"."chat_participant_kind" NOT NULL, "user_id" uuid, "bot_id" uuid, "role" "public"."chat_participant_role" NOT NULL, "is_active" boolean NOT NULL DEFAULT true, "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "left_at" TIMESTAMP WITH TIME ZONE, "last_read_seq" bigint NOT NULL DEFAULT '0', CONSTRAINT "ck_conv_part_last_read" CHECK (last_read_seq >= 0), CONSTRAINT "ck_conv_part_kind" CHECK ((participant_kind = 'user' AND user_id IS NOT NULL AND bot_id IS NULL AND role IN ('owner', 'member')) OR (participant_kind = 'bot' AND bot_id IS NOT NULL AND user_id IS NULL AND role IN ('primary', 'secondary', 'moderator'))), CONSTRAINT "pk_conversation_participants" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conv_part_bot" ON "conversation_participants"  ("bot_id") WHERE bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_conv_part_user" ON "conversation_participants"  ("user_id", "conversation_id") WHERE user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_conv_part_primary" ON "conversation_participants"  ("conversation_id") WHERE role = 'primary' AND is_active`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_conv_part_owner" ON "conversation_participants"  ("conversation_id") WHERE role = 'owner'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_conv_part_bot" ON "conversation_participants"  ("conversation_id", "bot_id") WHERE bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_conv_part_user" ON "conversation_participants"  ("conversation_id", "user_id") WHERE user_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE TYPE "public"."chat_token_count_source" AS ENUM('provider', 'estimated')`);
    await queryRunner.query(
      `CREATE TYPE "public"."chat_generation_status" AS ENUM('queued', 'streaming', 'completed', 'failed', 'cancelled')`,
    );
    await queryRunner.query(
      `CREATE TABLE "message_alternatives" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "message_id" uuid NOT NULL, "position" smallint NOT NULL, "content" text NOT NULL DEFAULT '', "reasoning_content" text, "provider" "public"."llm_provider", "model" character varying(200), "api_key_id" uuid, "input_tokens" integer NOT NULL DEFAULT '0', "output_tokens" integer NOT NULL DEFAULT '0', "total_tokens" integer NOT NULL DEFAULT '0', "token_count_source" "public"."chat_token_count_source" NOT NULL DEFAULT 'estimated', "cost_estimate" numeric(12,6), "processing_time_ms" integer, "first_token_ms" integer, "finish_reason" character varying(32), "generation_status" "public"."chat_generation_status" NOT NULL DEFAULT 'queued', "error_code" character varying(64), "requested_by_user_id" uuid, CONSTRAINT "ck_msg_alt_finish_reason" CHECK (finish_reason IN ('stop', 'length', 'content_filter', 'cancelled', 'error')), CONSTRAINT "ck_msg_alt_first_token" CHECK (first_token_ms >= 0), CONSTRAINT "ck_msg_alt_processing_time" CHECK (processing_time_ms >= 0), CONSTRAINT "ck_msg_alt_cost" CHECK (cost_estimate >= 0), CONSTRAINT "ck_msg_alt_total_tokens" CHECK (total_tokens = input_tokens + output_tokens), CONSTRAINT "ck_msg_alt_output_tokens" CHECK (output_tokens >= 0), CONSTRAINT "ck_msg_alt_input_tokens" CHECK (input_tokens >= 0), CONSTRAINT "ck_msg_alt_position" CHECK (position BETWEEN 0 AND 19), CONSTRAINT "pk_message_alternatives" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_msg_alt_requested_by" ON "message_alternatives"  ("requested_by_user_id") WHERE requested_by_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_msg_alt_api_key" ON "message_alternatives"  ("api_key_id") WHERE api_key_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_msg_alt_message_position" ON "message_alternatives"  ("message_id", "position") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."chat_author_kind" AS ENUM('user', 'bot', 'system')`);
    await queryRunner.query(
      `CREATE TYPE "public"."chat_message_type" AS ENUM('text', 'image', 'file', 'system', 'code')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."chat_delivery_status" AS ENUM('sent', 'delivered', 'read', 'failed')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."chat_sensitivity" AS ENUM('public', 'private', 'confidential')`);
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'messages',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('english'::regconfig, content)",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "messages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "conversation_id" uuid NOT NULL, "seq" bigint NOT NULL, "author_kind" "public"."chat_author_kind" NOT NULL, "author_user_id" uuid, "requested_by_user_id" uuid, "bot_id" uuid, "persona_id" uuid, "author_name" character varying(100) NOT NULL, "message_type" "public"."chat_message_type" NOT NULL DEFAULT 'text', "content" text NOT NULL DEFAULT '', "reasoning_content" text, "is_ai_generated" boolean NOT NULL DEFAULT false, "provider" "public"."llm_provider", "model" character varying(200), "api_key_id" uuid, "input_tokens" integer NOT NULL DEFAULT '0', "output_tokens" integer NOT NULL DEFAULT '0', "total_tokens" integer NOT NULL DEFAULT '0', "token_count_source" "public"."chat_token_count_source" NOT NULL DEFAULT 'estimated', "cost_estimate" numeric(12,6), "processing_time_ms" integer, "first_token_ms" integer, "finish_reason" character varying(32), "reply_to_message_id" uuid, "thread_depth" smallint NOT NULL DEFAULT '0', "reply_count" integer NOT NULL DEFAULT '0', "delivery_status" "public"."chat_delivery_status" NOT NULL DEFAULT 'sent', "generation_status" "public"."chat_generation_status", "error_code" character varying(64), "active_alternative_id" uuid, "alternative_count" smallint NOT NULL DEFAULT '0', "edited_at" TIMESTAMP WITH TIME ZONE, "edit_count" integer NOT NULL DEFAULT '0', "sensitivity_level" "public"."chat_sensitivity" NOT NULL DEFAULT 'private', "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED NOT NULL, CONSTRAINT "ck_messages_user_kind" CHECK (author_kind <> 'user' OR (bot_id IS NULL AND NOT is_ai_generated)), CONSTRAINT "ck_messages_system_kind" CHECK (author_kind <> 'system' OR (message_type = 'system' AND NOT is_ai_generated)), CONSTRAINT "ck_messages_generation_kind" CHECK (generation_status IS NULL OR author_kind = 'bot'), CONSTRAINT "ck_messages_edit_count" CHECK (edit_count BETWEEN 0 AND 100), CONSTRAINT "ck_messages_alternative_count" CHECK (alternative_count BETWEEN 0 AND 20), CONSTRAINT "ck_messages_reply_count" CHECK (reply_count >= 0), CONSTRAINT "ck_messages_thread_depth" CHECK (thread_depth BETWEEN 0 AND 8), CONSTRAINT "ck_messages_finish_reason" CHECK (finish_reason IN ('stop', 'length', 'content_filter', 'cancelled', 'error')), CONSTRAINT "ck_messages_first_token" CHECK (first_token_ms >= 0), CONSTRAINT "ck_messages_processing_time" CHECK (processing_time_ms >= 0), CONSTRAINT "ck_messages_cost" CHECK (cost_estimate >= 0), CONSTRAINT "ck_messages_total_tokens" CHECK (total_tokens = input_tokens + output_tokens), CONSTRAINT "ck_messages_output_tokens" CHECK (output_tokens >= 0), CONSTRAINT "ck_messages_input_tokens" CHECK (input_tokens >= 0), CONSTRAINT "ck_messages_content" CHECK (char_length(content) <= 32000), CONSTRAINT "ck_messages_seq" CHECK (seq >= 1), CONSTRAINT "pk_messages" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_messages_created" ON "messages"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_messages_active_alternative" ON "messages"  ("active_alternative_id") WHERE active_alternative_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_api_key" ON "messages"  ("api_key_id") WHERE api_key_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_persona" ON "messages"  ("persona_id") WHERE persona_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_requested_by" ON "messages"  ("requested_by_user_id") WHERE requested_by_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_author_user" ON "messages"  ("author_user_id") WHERE author_user_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_generation_open" ON "messages"  ("updated_at") WHERE generation_status IN ('queued', 'streaming')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_bot_created" ON "messages"  ("bot_id", "created_at") WHERE bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_reply_to" ON "messages"  ("reply_to_message_id") WHERE reply_to_message_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_messages_conversation_created" ON "messages"  ("conversation_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_messages_search" ON "messages" USING gin ("search_vector") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_messages_conversation_seq" ON "messages"  ("conversation_id", "seq") `,
    );
    await queryRunner.query(
      `ALTER TABLE "message_edits" ADD CONSTRAINT "fk_message_edits_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_edits" ADD CONSTRAINT "fk_message_edits_edited_by" FOREIGN KEY ("edited_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "fk_conversations_owner" FOREIGN KEY ("owner_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "fk_conversations_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversations" ADD CONSTRAINT "fk_conversations_api_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "fk_conv_part_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "fk_conv_part_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "conversation_participants" ADD CONSTRAINT "fk_conv_part_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_alternatives" ADD CONSTRAINT "fk_msg_alt_message" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_alternatives" ADD CONSTRAINT "fk_msg_alt_api_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "message_alternatives" ADD CONSTRAINT "fk_msg_alt_requested_by" FOREIGN KEY ("requested_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_author_user" FOREIGN KEY ("author_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_requested_by" FOREIGN KEY ("requested_by_user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_api_key" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_reply_to" FOREIGN KEY ("reply_to_message_id") REFERENCES "messages"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "messages" ADD CONSTRAINT "fk_messages_active_alternative" FOREIGN KEY ("active_alternative_id") REFERENCES "message_alternatives"("id") ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_active_alternative"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_reply_to"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_api_key"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_persona"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_bot"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_requested_by"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_author_user"`);
    await queryRunner.query(`ALTER TABLE "messages" DROP CONSTRAINT "fk_messages_conversation"`);
    await queryRunner.query(`ALTER TABLE "message_alternatives" DROP CONSTRAINT "fk_msg_alt_requested_by"`);
    await queryRunner.query(`ALTER TABLE "message_alternatives" DROP CONSTRAINT "fk_msg_alt_api_key"`);
    await queryRunner.query(`ALTER TABLE "message_alternatives" DROP CONSTRAINT "fk_msg_alt_message"`);
    await queryRunner.query(`ALTER TABLE "conversation_participants" DROP CONSTRAINT "fk_conv_part_bot"`);
    await queryRunner.query(`ALTER TABLE "conversation_participants" DROP CONSTRAINT "fk_conv_part_user"`);
    await queryRunner.query(`ALTER TABLE "conversation_participants" DROP CONSTRAINT "fk_conv_part_conversation"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "fk_conversations_api_key"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "fk_conversations_persona"`);
    await queryRunner.query(`ALTER TABLE "conversations" DROP CONSTRAINT "fk_conversations_owner"`);
    await queryRunner.query(`ALTER TABLE "message_edits" DROP CONSTRAINT "fk_message_edits_edited_by"`);
    await queryRunner.query(`ALTER TABLE "message_edits" DROP CONSTRAINT "fk_message_edits_message"`);
    await queryRunner.query(`DROP INDEX "public"."ux_messages_conversation_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_search"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_conversation_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_reply_to"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_bot_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_generation_open"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_author_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_requested_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_persona"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_api_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_active_alternative"`);
    await queryRunner.query(`DROP INDEX "public"."ix_messages_created"`);
    await queryRunner.query(`DROP TABLE "messages"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'search_vector',
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'messages',
      ],
    );
    await queryRunner.query(`DROP TYPE "public"."chat_sensitivity"`);
    await queryRunner.query(`DROP TYPE "public"."chat_delivery_status"`);
    await queryRunner.query(`DROP TYPE "public"."chat_message_type"`);
    await queryRunner.query(`DROP TYPE "public"."chat_author_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ux_msg_alt_message_position"`);
    await queryRunner.query(`DROP INDEX "public"."ix_msg_alt_api_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_msg_alt_requested_by"`);
    await queryRunner.query(`DROP TABLE "message_alternatives"`);
    await queryRunner.query(`DROP TYPE "public"."chat_generation_status"`);
    await queryRunner.query(`DROP TYPE "public"."chat_token_count_source"`);
    await queryRunner.query(`DROP INDEX "public"."ux_conv_part_user"`);
    await queryRunner.query(`DROP INDEX "public"."ux_conv_part_bot"`);
    await queryRunner.query(`DROP INDEX "public"."ux_conv_part_owner"`);
    await queryRunner.query(`DROP INDEX "public"."ux_conv_part_primary"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conv_part_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conv_part_bot"`);
    await queryRunner.query(`DROP TABLE "conversation_participants"`);
    await queryRunner.query(`DROP TYPE "public"."chat_participant_role"`);
    await queryRunner.query(`DROP TYPE "public"."chat_participant_kind"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_owner_activity"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_retention"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_persona"`);
    await queryRunner.query(`DROP INDEX "public"."ix_conversations_api_key"`);
    await queryRunner.query(`DROP TABLE "conversations"`);
    await queryRunner.query(`DROP TYPE "public"."chat_conversation_status"`);
    await queryRunner.query(`DROP TYPE "public"."chat_conversation_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_message_edits_message_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_message_edits_edited_by"`);
    await queryRunner.query(`DROP TABLE "message_edits"`);
  }
}
