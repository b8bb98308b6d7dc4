import { MigrationInterface, QueryRunner } from 'typeorm';

/** Integrations: a catalog type with its config (secret values encrypted by the application). */
export class Integrations1764000400000 implements MigrationInterface {
  name = 'Integrations1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "integrations" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "type" varchar(50) NOT NULL,
        "name" varchar(255) NOT NULL,
        "config" jsonb NOT NULL DEFAULT '{}',
        "is_active" boolean NOT NULL DEFAULT true,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_integrations_workspace" ON "integrations" ("workspace_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "integrations"`);
  }
}
