import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pipeline's stage positions are unique (1..n, kept gap-free by the stages service). The constraint is
 * deferred to commit, so a reorder can shift positions with one UPDATE; it replaces the plain index.
 */
export class StagePositions1764000300000 implements MigrationInterface {
  name = 'StagePositions1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "pipeline_stages" ADD CONSTRAINT "UQ_pipeline_stages_pipeline_position"
        UNIQUE ("pipeline_id", "position") DEFERRABLE INITIALLY DEFERRED`);
    await q.query(
      `ALTER TABLE "pipeline_stages" ADD CONSTRAINT "CHK_pipeline_stages_position" CHECK ("position" >= 1)`,
    );
    await q.query(`DROP INDEX "IDX_pipeline_stages_pipeline_position"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX "IDX_pipeline_stages_pipeline_position" ON "pipeline_stages" ("pipeline_id", "position")`,
    );
    await q.query(`ALTER TABLE "pipeline_stages" DROP CONSTRAINT "CHK_pipeline_stages_position"`);
    await q.query(`ALTER TABLE "pipeline_stages" DROP CONSTRAINT "UQ_pipeline_stages_pipeline_position"`);
  }
}
