import { MigrationInterface, QueryRunner } from 'typeorm';

export class KnowledgeActivationLogConversationFk1795657796061 implements MigrationInterface {
  name = 'KnowledgeActivationLogConversationFk1795657796061';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // rows written before the chat tables existed may name conversations that never existed: nothing can read them
    await queryRunner.query(
      `DELETE FROM "knowledge_activation_logs" l WHERE NOT EXISTS (SELECT 1 FROM "conversations" c WHERE c."id" = l."conversation_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_activation_logs" ADD CONSTRAINT "fk_kal_conversation" FOREIGN KEY ("conversation_id") REFERENCES "conversations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "knowledge_activation_logs" DROP CONSTRAINT "fk_kal_conversation"`);
  }
}
