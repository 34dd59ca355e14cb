import { MigrationInterface, QueryRunner } from 'typeorm';

export class Knowledge1795631424205 implements MigrationInterface {
  name = 'Knowledge1795631424205';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "bot_knowledge_collections" ("bot_id" uuid NOT NULL, "collection_id" uuid NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "linked_by_id" uuid, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_bot_knowledge_collections" PRIMARY KEY ("bot_id", "collection_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_bkc_linked_by" ON "bot_knowledge_collections"  ("linked_by_id") WHERE linked_by_id IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_bkc_collection" ON "bot_knowledge_collections"  ("collection_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_activation_method" AS ENUM('keyword', 'vector', 'constant', 'sticky', 'recursion')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_position" AS ENUM('before_character', 'after_character', 'before_examples', 'after_examples', 'at_depth', 'system_top', 'system_bottom')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_exclusion_reason" AS ENUM('budget_exceeded', 'cooldown_active', 'probability_failed', 'group_lost')`,
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_activation_logs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "conversation_id" uuid NOT NULL, "message_seq" bigint NOT NULL, "entry_id" uuid NOT NULL, "bot_id" uuid, "method" "public"."knowledge_activation_method" NOT NULL, "score" real NOT NULL DEFAULT '0', "matched_keywords" text array NOT NULL DEFAULT '{}', "similarity" real, "position" "public"."knowledge_position" NOT NULL, "tokens_used" integer NOT NULL DEFAULT '0', "was_included" boolean NOT NULL, "exclusion_reason" "public"."knowledge_exclusion_reason", "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_knowledge_activation_logs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_kal_created" ON "knowledge_activation_logs"  ("created_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_kal_bot" ON "knowledge_activation_logs"  ("bot_id") WHERE bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kal_entry_conversation" ON "knowledge_activation_logs"  ("entry_id", "conversation_id", "message_seq") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kal_conversation_seq" ON "knowledge_activation_logs"  ("conversation_id", "message_seq") `,
    );
    await queryRunner.query(`CREATE TYPE "public"."knowledge_filter_mode" AS ENUM('allow', 'exclude')`);
    await queryRunner.query(
      `CREATE TABLE "knowledge_bot_filters" ("entry_id" uuid NOT NULL, "bot_id" uuid NOT NULL, "mode" "public"."knowledge_filter_mode" NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_knowledge_bot_filters" PRIMARY KEY ("entry_id", "bot_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_kbf_bot" ON "knowledge_bot_filters"  ("bot_id") `);
    await queryRunner.query(`CREATE TYPE "public"."kc_category" AS ENUM('lore', 'memories', 'general')`);
    await queryRunner.query(
      `CREATE TYPE "public"."kc_difficulty" AS ENUM('beginner', 'intermediate', 'advanced', 'expert')`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'knowledge_collections',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('simple'::regconfig, name || ' ' || coalesce(description, ''))",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_collections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "owner_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "description" text, "category" "public"."kc_category" NOT NULL DEFAULT 'lore', "visibility" "public"."resource_visibility" NOT NULL DEFAULT 'private', "allow_collaboration" boolean NOT NULL DEFAULT true, "allow_fork" boolean NOT NULL DEFAULT true, "share_expires_at" TIMESTAMP WITH TIME ZONE, "share_password_hash" character varying(255), "language" character varying(35) NOT NULL DEFAULT 'en', "difficulty_level" "public"."kc_difficulty" NOT NULL DEFAULT 'intermediate', "tags" text array NOT NULL DEFAULT '{}', "publication_requested_at" TIMESTAMP WITH TIME ZONE, "is_curated" boolean NOT NULL DEFAULT false, "curator_notes" character varying(2000), "curated_by_id" uuid, "curated_at" TIMESTAMP WITH TIME ZONE, "is_featured" boolean NOT NULL DEFAULT false, "featured_at" TIMESTAMP WITH TIME ZONE, "moderation_status" "public"."moderation_status" NOT NULL DEFAULT 'visible', "moderation_reason" character varying(500), "forked_from_collection_id" uuid, "entry_count" integer NOT NULL DEFAULT '0', "total_words" integer NOT NULL DEFAULT '0', "total_chars" integer NOT NULL DEFAULT '0', "view_count" bigint NOT NULL DEFAULT '0', "fork_count" integer NOT NULL DEFAULT '0', "last_entry_change_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name || ' ' || coalesce(description, ''))) STORED NOT NULL, CONSTRAINT "ck_kc_counters" CHECK (entry_count >= 0 AND total_words >= 0 AND total_chars >= 0 AND view_count >= 0 AND fork_count >= 0), CONSTRAINT "ck_kc_featured_public" CHECK (NOT is_featured OR visibility = 'public'), CONSTRAINT "ck_kc_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_kc_description" CHECK (char_length(description) <= 2000), CONSTRAINT "ck_kc_name" CHECK (char_length(btrim(name)) >= 1), CONSTRAINT "pk_knowledge_collections" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_kc_search" ON "knowledge_collections" USING gin ("search_vector") `);
    await queryRunner.query(`CREATE INDEX "ix_kc_tags" ON "knowledge_collections" USING gin ("tags") `);
    await queryRunner.query(
      `CREATE INDEX "ix_kc_pub_requested" ON "knowledge_collections"  ("publication_requested_at", "id") WHERE publication_requested_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kc_curated_by" ON "knowledge_collections"  ("curated_by_id") WHERE curated_by_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kc_forked_from" ON "knowledge_collections"  ("forked_from_collection_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kc_featured" ON "knowledge_collections"  ("featured_at") WHERE is_featured`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kc_pub_updated" ON "knowledge_collections"  ("updated_at", "id") WHERE visibility = 'public' AND moderation_status = 'visible'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_kc_owner_updated" ON "knowledge_collections"  ("owner_id", "updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_type" AS ENUM('text', 'document', 'url', 'image', 'audio', 'video')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."knowledge_origin" AS ENUM('authored', 'imported', 'memory')`);
    await queryRunner.query(`CREATE TYPE "public"."knowledge_entry_visibility" AS ENUM('inherit', 'editors_only')`);
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_embedding_status" AS ENUM('pending', 'processing', 'ready', 'failed', 'skipped')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_activation_mode" AS ENUM('keyword', 'vector', 'hybrid', 'constant', 'disabled')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."knowledge_keyword_logic" AS ENUM('and_any', 'and_all', 'not_any', 'not_all')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."knowledge_depth_role" AS ENUM('system', 'user', 'assistant')`);
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'knowledge_entries',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || content)",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "collection_id" uuid NOT NULL, "author_id" uuid, "title" character varying(200), "type" "public"."knowledge_type" NOT NULL DEFAULT 'text', "content" text NOT NULL, "source_url" character varying(2048), "source_media_id" uuid, "source_author" character varying(200), "language" character varying(35), "origin" "public"."knowledge_origin" NOT NULL DEFAULT 'authored', "import_metadata" jsonb, "visibility" "public"."knowledge_entry_visibility" NOT NULL DEFAULT 'inherit', "tags" text array NOT NULL DEFAULT '{}', "token_cost" integer NOT NULL DEFAULT '0', "word_count" integer NOT NULL DEFAULT '0', "content_hash" character(64) NOT NULL, "embedding_status" "public"."knowledge_embedding_status" NOT NULL DEFAULT 'pending', "embedding_error" character varying(500), "chunk_count" smallint NOT NULL DEFAULT '0', "embedded_at" TIMESTAMP WITH TIME ZONE, "view_count" integer NOT NULL DEFAULT '0', "activation_count" integer NOT NULL DEFAULT '0', "last_activated_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || content)) STORED NOT NULL, "activation_mode" "public"."knowledge_activation_mode" NOT NULL DEFAULT 'vector', "primary_keys" text array NOT NULL DEFAULT '{}', "secondary_keys" text array NOT NULL DEFAULT '{}', "keyword_logic" "public"."knowledge_keyword_logic" NOT NULL DEFAULT 'and_any', "case_sensitive" boolean NOT NULL DEFAULT false, "match_whole_words" boolean NOT NULL DEFAULT false, "use_regex" boolean NOT NULL DEFAULT false, "scan_depth" smallint NOT NULL DEFAULT '2', "match_user_messages" boolean NOT NULL DEFAULT true, "match_bot_messages" boolean NOT NULL DEFAULT true, "match_system_prompt" boolean NOT NULL DEFAULT false, "match_bot_description" boolean NOT NULL DEFAULT false, "match_bot_personality" boolean NOT NULL DEFAULT false, "match_persona_description" boolean NOT NULL DEFAULT false, "vector_threshold" real NOT NULL DEFAULT '0.4', "max_vector_results" smallint NOT NULL DEFAULT '5', "use_probability" boolean NOT NULL DEFAULT false, "probability" smallint NOT NULL DEFAULT '100', "position" "public"."knowledge_position" NOT NULL DEFAULT 'before_character', "depth" smallint NOT NULL DEFAULT '0', "depth_role" "public"."knowledge_depth_role" NOT NULL DEFAULT 'system', "insertion_order" smallint NOT NULL DEFAULT '100', "sticky" smallint NOT NULL DEFAULT '0', "cooldown" smallint NOT NULL DEFAULT '0', "delay" smallint NOT NULL DEFAULT '0', "filter_by_bots" boolean NOT NULL DEFAULT false, "filter_by_personas" boolean NOT NULL DEFAULT false, "inclusion_group" character varying(100), "group_weight" smallint NOT NULL DEFAULT '100', "group_prioritize" boolean NOT NULL DEFAULT false, "exclude_recursion" boolean NOT NULL DEFAULT false, "prevent_recursion" boolean NOT NULL DEFAULT false, "delay_until_recursion" boolean NOT NULL DEFAULT false, "ignore_budget" boolean NOT NULL DEFAULT false, "max_tokens" smallint NOT NULL DEFAULT '1000', CONSTRAINT "ck_ke_counters" CHECK (token_cost >= 0 AND word_count >= 0 AND chunk_count >= 0 AND view_count >= 0 AND activation_count >= 0), CONSTRAINT "ck_ke_max_tokens" CHECK (max_tokens BETWEEN 0 AND 8000), CONSTRAINT "ck_ke_group_weight" CHECK (group_weight BETWEEN 1 AND 1000), CONSTRAINT "ck_ke_timed" CHECK (sticky BETWEEN 0 AND 50 AND cooldown BETWEEN 0 AND 50 AND delay BETWEEN 0 AND 100), CONSTRAINT "ck_ke_insertion_order" CHECK (insertion_order BETWEEN 0 AND 1000), CONSTRAINT "ck_ke_depth" CHECK (depth BETWEEN 0 AND 100), CONSTRAINT "ck_ke_probability" CHECK (probability BETWEEN 0 AND 100), CONSTRAINT "ck_ke_max_vector_results" CHECK (max_vector_results BETWEEN 1 AND 20), CONSTRAINT "ck_ke_vector_threshold" CHECK (vector_threshold >= 0 AND vector_threshold <= 1), CONSTRAINT "ck_ke_scan_depth" CHECK (scan_depth BETWEEN 1 AND 20), CONSTRAINT "ck_ke_keys" CHECK (cardinality(primary_keys) <= 50 AND cardinality(secondary_keys) <= 50), CONSTRAINT "ck_ke_keys_required" CHECK (activation_mode NOT IN ('keyword', 'hybrid') OR cardinality(primary_keys) >= 1), CONSTRAINT "ck_ke_tags" CHECK (cardinality(tags) <= 20), CONSTRAINT "ck_ke_import_metadata" CHECK (import_metadata IS NULL OR octet_length(import_metadata::text) <= 16384), CONSTRAINT "ck_ke_url_source" CHECK ((type <> 'url' OR source_url IS NOT NULL) AND (source_url IS NULL OR source_url ~* '^https?://')), CONSTRAINT "ck_ke_content" CHECK (char_length(content) BETWEEN 1 AND 32000), CONSTRAINT "pk_knowledge_entries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_ke_search" ON "knowledge_entries" USING gin ("search_vector") `);
    await queryRunner.query(`CREATE INDEX "ix_ke_tags" ON "knowledge_entries" USING gin ("tags") `);
    await queryRunner.query(
      `CREATE INDEX "ix_ke_source_media" ON "knowledge_entries"  ("source_media_id") WHERE source_media_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ke_author" ON "knowledge_entries"  ("author_id") WHERE author_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ke_collection_title" ON "knowledge_entries"  ("collection_id", "title", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ke_collection_updated" ON "knowledge_entries"  ("collection_id", "updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_ke_collection_order" ON "knowledge_entries"  ("collection_id", "insertion_order", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_persona_filters" ("entry_id" uuid NOT NULL, "persona_id" uuid NOT NULL, "mode" "public"."knowledge_filter_mode" NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_knowledge_persona_filters" PRIMARY KEY ("entry_id", "persona_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_kpf_persona" ON "knowledge_persona_filters"  ("persona_id") `);
    await queryRunner.query(
      `ALTER TABLE "bot_knowledge_collections" ADD CONSTRAINT "fk_bkc_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bot_knowledge_collections" ADD CONSTRAINT "fk_bkc_collection" FOREIGN KEY ("collection_id") REFERENCES "knowledge_collections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "bot_knowledge_collections" ADD CONSTRAINT "fk_bkc_linked_by" FOREIGN KEY ("linked_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_activation_logs" ADD CONSTRAINT "fk_kal_entry" FOREIGN KEY ("entry_id") REFERENCES "knowledge_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_activation_logs" ADD CONSTRAINT "fk_kal_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_bot_filters" ADD CONSTRAINT "fk_kbf_entry" FOREIGN KEY ("entry_id") REFERENCES "knowledge_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_bot_filters" ADD CONSTRAINT "fk_kbf_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_collections" ADD CONSTRAINT "fk_kc_owner" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_collections" ADD CONSTRAINT "fk_kc_curated_by" FOREIGN KEY ("curated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_collections" ADD CONSTRAINT "fk_kc_forked_from" FOREIGN KEY ("forked_from_collection_id") REFERENCES "knowledge_collections"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_entries" ADD CONSTRAINT "fk_ke_collection" FOREIGN KEY ("collection_id") REFERENCES "knowledge_collections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_entries" ADD CONSTRAINT "fk_ke_author" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_entries" ADD CONSTRAINT "fk_ke_source_media" FOREIGN KEY ("source_media_id") REFERENCES "media"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_persona_filters" ADD CONSTRAINT "fk_kpf_entry" FOREIGN KEY ("entry_id") REFERENCES "knowledge_entries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "knowledge_persona_filters" DROP CONSTRAINT "fk_kpf_entry"`);
    await queryRunner.query(`ALTER TABLE "knowledge_entries" DROP CONSTRAINT "fk_ke_source_media"`);
    await queryRunner.query(`ALTER TABLE "knowledge_entries" DROP CONSTRAINT "fk_ke_author"`);
    await queryRunner.query(`ALTER TABLE "knowledge_entries" DROP CONSTRAINT "fk_ke_collection"`);
    await queryRunner.query(`ALTER TABLE "knowledge_collections" DROP CONSTRAINT "fk_kc_forked_from"`);
    await queryRunner.query(`ALTER TABLE "knowledge_collections" DROP CONSTRAINT "fk_kc_curated_by"`);
    await queryRunner.query(`ALTER TABLE "knowledge_collections" DROP CONSTRAINT "fk_kc_owner"`);
    await queryRunner.query(`ALTER TABLE "knowledge_bot_filters" DROP CONSTRAINT "fk_kbf_bot"`);
    await queryRunner.query(`ALTER TABLE "knowledge_bot_filters" DROP CONSTRAINT "fk_kbf_entry"`);
    await queryRunner.query(`ALTER TABLE "knowledge_activation_logs" DROP CONSTRAINT "fk_kal_bot"`);
    await queryRunner.query(`ALTER TABLE "knowledge_activation_logs" DROP CONSTRAINT "fk_kal_entry"`);
    await queryRunner.query(`ALTER TABLE "bot_knowledge_collections" DROP CONSTRAINT "fk_bkc_linked_by"`);
    await queryRunner.query(`ALTER TABLE "bot_knowledge_collections" DROP CONSTRAINT "fk_bkc_collection"`);
    await queryRunner.query(`ALTER TABLE "bot_knowledge_collections" DROP CONSTRAINT "fk_bkc_bot"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kpf_persona"`);
    await queryRunner.query(`DROP TABLE "knowledge_persona_filters"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_collection_order"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_collection_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_collection_title"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_author"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_source_media"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_ke_search"`);
    await queryRunner.query(`DROP TABLE "knowledge_entries"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'search_vector',
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'knowledge_entries',
      ],
    );
    await queryRunner.query(`DROP TYPE "public"."knowledge_depth_role"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_keyword_logic"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_activation_mode"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_embedding_status"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_entry_visibility"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_origin"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_owner_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_pub_updated"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_featured"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_forked_from"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_curated_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_pub_requested"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_tags"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kc_search"`);
    await queryRunner.query(`DROP TABLE "knowledge_collections"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = $3 AND "schema" = $4 AND "table" = $5`,
      [
        'GENERATED_COLUMN',
        'search_vector',
        (await queryRunner.query('SELECT current_database() AS db'))[0].db,
        'public',
        'knowledge_collections',
      ],
    );
    await queryRunner.query(`DROP TYPE "public"."kc_difficulty"`);
    await queryRunner.query(`DROP TYPE "public"."kc_category"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kbf_bot"`);
    await queryRunner.query(`DROP TABLE "knowledge_bot_filters"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_filter_mode"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kal_conversation_seq"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kal_entry_conversation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kal_bot"`);
    await queryRunner.query(`DROP INDEX "public"."ix_kal_created"`);
    await queryRunner.query(`DROP TABLE "knowledge_activation_logs"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_exclusion_reason"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_position"`);
    await queryRunner.query(`DROP TYPE "public"."knowledge_activation_method"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bkc_collection"`);
    await queryRunner.query(`DROP INDEX "public"."ix_bkc_linked_by"`);
    await queryRunner.query(`DROP TABLE "bot_knowledge_collections"`);
  }
}
