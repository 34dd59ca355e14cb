import { MigrationInterface, QueryRunner } from 'typeorm';

export class Memories1795654614024 implements MigrationInterface {
  name = 'Memories1795654614024';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "memory_personas" ("memory_id" uuid NOT NULL, "persona_id" uuid NOT NULL, CONSTRAINT "pk_memory_personas" PRIMARY KEY ("memory_id", "persona_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_memory_personas_persona" ON "memory_personas"  ("persona_id", "memory_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "memory_bots" ("memory_id" uuid NOT NULL, "bot_id" uuid NOT NULL, CONSTRAINT "pk_memory_bots" PRIMARY KEY ("memory_id", "bot_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_memory_bots_bot" ON "memory_bots"  ("bot_id", "memory_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."chat_memory_type" AS ENUM('short_term', 'long_term', 'consolidated')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."chat_memory_origin" AS ENUM('extracted', 'manual', 'imported', 'consolidated')`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`,
      [
        'public',
        'memories',
        'GENERATED_COLUMN',
        'search_vector',
        "to_tsvector('english'::regconfig, content || ' ' || coalesce(emotional_context, ''))",
      ],
    );
    await queryRunner.query(
      `CREATE TABLE "memories" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "conversation_id" uuid, "type" "public"."chat_memory_type" NOT NULL DEFAULT 'short_term', "origin" "public"."chat_memory_origin" NOT NULL, "content" text NOT NULL, "importance" smallint NOT NULL DEFAULT '5', "emotional_context" character varying(300), "token_count" integer NOT NULL DEFAULT '0', "source_from_seq" bigint, "source_to_seq" bigint, "superseded_by_id" uuid, "knowledge_entry_id" uuid, "converted_at" TIMESTAMP WITH TIME ZONE, "use_count" integer NOT NULL DEFAULT '0', "last_used_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content || ' ' || coalesce(emotional_context, ''))) STORED NOT NULL, CONSTRAINT "ck_memories_use_count" CHECK (use_count >= 0), CONSTRAINT "ck_memories_source_range" CHECK (source_from_seq <= source_to_seq), CONSTRAINT "ck_memories_token_count" CHECK (token_count >= 0), CONSTRAINT "ck_memories_importance" CHECK (importance BETWEEN 1 AND 10), CONSTRAINT "ck_memories_content" CHECK (char_length(content) BETWEEN 1 AND 4000), CONSTRAINT "pk_memories" PRIMARY KEY ("id"))`,
    );
    // Descending keys TypeORM cannot declare (entity: @Index(…, { synchronize: false })); `id` ends the keyset.
    await queryRunner.query(
      `CREATE INDEX "ix_memories_user_created" ON "memories" ("user_id", "created_at" DESC, "id" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_memories_conversation" ON "memories" ("conversation_id", "created_at" DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_memories_knowledge_entry" ON "memories"  ("knowledge_entry_id") WHERE knowledge_entry_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_memories_superseded_by" ON "memories"  ("superseded_by_id") WHERE superseded_by_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ux_memories_extracted_range" ON "memories"  ("conversation_id", "source_to_seq") WHERE origin = 'extracted'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_memories_search" ON "memories" USING gin ("search_vector") `);
    await queryRunner.query(
      `ALTER TABLE "memory_personas" ADD CONSTRAINT "fk_memory_personas_memory" FOREIGN KEY ("memory_id") REFERENCES "memories"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memory_personas" ADD CONSTRAINT "fk_memory_personas_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memory_bots" ADD CONSTRAINT "fk_memory_bots_memory" FOREIGN KEY ("memory_id") REFERENCES "memories"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memory_bots" ADD CONSTRAINT "fk_memory_bots_bot" FOREIGN KEY ("bot_id") REFERENCES "bots"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memories" ADD CONSTRAINT "fk_memories_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memories" ADD CONSTRAINT "fk_memories_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memories" ADD CONSTRAINT "fk_memories_superseded_by" FOREIGN KEY ("superseded_by_id") REFERENCES "memories"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "memories" ADD CONSTRAINT "fk_memories_knowledge_entry" FOREIGN KEY ("knowledge_entry_id") REFERENCES "knowledge_entries"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "memories" DROP CONSTRAINT "fk_memories_knowledge_entry"`);
    await queryRunner.query(`ALTER TABLE "memories" DROP CONSTRAINT "fk_memories_superseded_by"`);
    await queryRunner.query(`ALTER TABLE "memories" DROP CONSTRAINT "fk_memories_conversation"`);
    await queryRunner.query(`ALTER TABLE "memories" DROP CONSTRAINT "fk_memories_user"`);
    await queryRunner.query(`ALTER TABLE "memory_bots" DROP CONSTRAINT "fk_memory_bots_bot"`);
    await queryRunner.query(`ALTER TABLE "memory_bots" DROP CONSTRAINT "fk_memory_bots_memory"`);
    await queryRunner.query(`ALTER TABLE "memory_personas" DROP CONSTRAINT "fk_memory_personas_persona"`);
    await queryRunner.query(`ALTER TABLE "memory_personas" DROP CONSTRAINT "fk_memory_personas_memory"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memories_search"`);
    await queryRunner.query(`DROP INDEX "public"."ux_memories_extracted_range"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memories_superseded_by"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memories_knowledge_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memories_conversation"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memories_user_created"`);
    await queryRunner.query(`DROP TABLE "memories"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`,
      ['GENERATED_COLUMN', 'search_vector', 'public', 'memories'],
    );
    await queryRunner.query(`DROP TYPE "public"."chat_memory_origin"`);
    await queryRunner.query(`DROP TYPE "public"."chat_memory_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memory_bots_bot"`);
    await queryRunner.query(`DROP TABLE "memory_bots"`);
    await queryRunner.query(`DROP INDEX "public"."ix_memory_personas_persona"`);
    await queryRunner.query(`DROP TABLE "memory_personas"`);
  }
}
