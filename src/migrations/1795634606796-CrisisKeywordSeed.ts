import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A starting list of crisis keywords for `en` (wellbeing.md §4.2), stored normalized (lower case, single spaces).
 * It has not been reviewed by a clinician yet. Staff maintain the list afterwards through /wellbeing/crisis-keywords; existing phrases are left alone.
 */
const SEED: [phrase: string, category: string, severity: string][] = [
  ['kill myself', 'suicide_prevention', 'high'],
  ['killing myself', 'suicide_prevention', 'high'],
  ['end my life', 'suicide_prevention', 'high'],
  ['ending my life', 'suicide_prevention', 'high'],
  ['take my own life', 'suicide_prevention', 'high'],
  ['want to die', 'suicide_prevention', 'high'],
  ['better off dead', 'suicide_prevention', 'high'],
  ['suicidal', 'suicide_prevention', 'elevated'],
  ['no reason to live', 'suicide_prevention', 'elevated'],
  ['self harm', 'mental_health', 'elevated'],
  ['hurt myself', 'mental_health', 'elevated'],
  ['cut myself', 'mental_health', 'elevated'],
];

export class CrisisKeywordSeed1795634606796 implements MigrationInterface {
  name = 'CrisisKeywordSeed1795634606796';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [phrase, category, severity] of SEED) {
      await queryRunner.query(
        `INSERT INTO "crisis_keywords" ("phrase", "language", "category", "severity") VALUES ($1, 'en', $2, $3)
         ON CONFLICT ("language", "phrase") DO NOTHING`,
        [phrase, category, severity],
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "crisis_keywords" WHERE "language" = 'en' AND "created_by_id" IS NULL AND "phrase" = ANY($1)`,
      [SEED.map(([phrase]) => phrase)],
    );
  }
}
