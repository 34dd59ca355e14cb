import { MigrationInterface, QueryRunner } from 'typeorm';

export class MoodJournal1795633339323 implements MigrationInterface {
  name = 'MoodJournal1795633339323';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."mood_label" AS ENUM('very_happy', 'happy', 'excited', 'content', 'neutral', 'anxious', 'frustrated', 'sad', 'angry', 'very_sad')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."mood_emotion" AS ENUM('joyful', 'grateful', 'calm', 'hopeful', 'proud', 'loved', 'relaxed', 'excited', 'tired', 'bored', 'lonely', 'anxious', 'stressed', 'overwhelmed', 'sad', 'angry', 'frustrated', 'numb')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."mood_source" AS ENUM('manual', 'checkin_prompt')`);
    await queryRunner.query(
      `CREATE TABLE "mood_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "entry_date" date NOT NULL, "mood" "public"."mood_label" NOT NULL, "score" smallint NOT NULL, "intensity" smallint, "energy" smallint, "emotions" "public"."mood_emotion" array NOT NULL DEFAULT '{}', "triggers" text array NOT NULL DEFAULT '{}', "note" text, "source" "public"."mood_source" NOT NULL DEFAULT 'manual', CONSTRAINT "ck_mood_entries_note" CHECK (char_length(note) <= 2000), CONSTRAINT "ck_mood_entries_triggers" CHECK (cardinality(triggers) <= 10), CONSTRAINT "ck_mood_entries_emotions" CHECK (cardinality(emotions) <= 8), CONSTRAINT "ck_mood_entries_energy" CHECK (energy BETWEEN 1 AND 5), CONSTRAINT "ck_mood_entries_intensity" CHECK (intensity BETWEEN 1 AND 5), CONSTRAINT "ck_mood_entries_score" CHECK (score BETWEEN 1 AND 5), CONSTRAINT "pk_mood_entries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_mood_entries_user_date" ON "mood_entries"  ("user_id", "entry_date", "recorded_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "mood_entries" ADD CONSTRAINT "fk_mood_entries_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "mood_entries" DROP CONSTRAINT "fk_mood_entries_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_mood_entries_user_date"`);
    await queryRunner.query(`DROP TABLE "mood_entries"`);
    await queryRunner.query(`DROP TYPE "public"."mood_source"`);
    await queryRunner.query(`DROP TYPE "public"."mood_emotion"`);
    await queryRunner.query(`DROP TYPE "public"."mood_label"`);
  }
}
