import { MigrationInterface, QueryRunner } from 'typeorm';

/** Automations: a trigger with conditions and a list of actions (validated by the application). */
export class Automations1764000410000 implements MigrationInterface {
  name = 'Automations1764000410000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "automations" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "name" varchar(255) NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "trigger_type" varchar(40) NOT NULL,
        "conditions" jsonb NOT NULL DEFAULT '[]',
        "actions" jsonb NOT NULL,
        "run_count" integer NOT NULL DEFAULT 0,
        "last_run_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The runner looks up the active automations of a workspace by trigger.
    await q.query(
      `CREATE INDEX "IDX_automations_workspace_trigger" ON "automations" ("workspace_id", "trigger_type")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "automations"`);
  }
}
