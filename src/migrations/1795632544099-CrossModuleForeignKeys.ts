import { MigrationInterface, QueryRunner } from 'typeorm';

export class CrossModuleForeignKeys1795632544099 implements MigrationInterface {
  name = 'CrossModuleForeignKeys1795632544099';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "access_grants" ADD CONSTRAINT "fk_access_grants_knowledge_collection" FOREIGN KEY ("knowledge_collection_id") REFERENCES "knowledge_collections"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_grants" ADD CONSTRAINT "fk_access_grants_creator_profile" FOREIGN KEY ("creator_profile_id") REFERENCES "creator_profiles"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_persona_filters" ADD CONSTRAINT "fk_kpf_persona" FOREIGN KEY ("persona_id") REFERENCES "personas"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "knowledge_persona_filters" DROP CONSTRAINT "fk_kpf_persona"`);
    await queryRunner.query(`ALTER TABLE "access_grants" DROP CONSTRAINT "fk_access_grants_creator_profile"`);
    await queryRunner.query(`ALTER TABLE "access_grants" DROP CONSTRAINT "fk_access_grants_knowledge_collection"`);
  }
}
