import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forms (fields validated by the application; lead defaults as columns with foreign keys) and their
 * submissions. Deleting a form deletes its submissions, never the leads they made; deleting a lead keeps the
 * submission with lead_id null.
 */
export class Forms1764000500000 implements MigrationInterface {
  name = 'Forms1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "forms" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "name" varchar(255) NOT NULL,
        "fields" jsonb NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "submissions_count" integer NOT NULL DEFAULT 0,
        "default_source" varchar(100) DEFAULT 'form',
        "default_status" varchar(20),
        "default_tags" jsonb NOT NULL DEFAULT '[]',
        "default_pipeline_id" integer REFERENCES "pipelines" ("id") ON DELETE SET NULL,
        "default_stage_id" integer REFERENCES "pipeline_stages" ("id") ON DELETE SET NULL,
        "default_assigned_user_id" integer REFERENCES "users" ("id") ON DELETE SET NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "IDX_forms_workspace" ON "forms" ("workspace_id")`);
    await q.query(`
      CREATE TABLE "form_submissions" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "form_id" integer NOT NULL REFERENCES "forms" ("id") ON DELETE CASCADE,
        "lead_id" integer REFERENCES "leads" ("id") ON DELETE SET NULL,
        "is_duplicate" boolean NOT NULL,
        "values" jsonb NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    // The list of a form's submissions, newest first.
    await q.query(
      `CREATE INDEX "IDX_form_submissions_form_created" ON "form_submissions" ("form_id", "created_at", "id")`,
    );
    // Deleting a lead sets lead_id to null on its submissions.
    await q.query(`CREATE INDEX "IDX_form_submissions_lead" ON "form_submissions" ("lead_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "form_submissions"`);
    await q.query(`DROP TABLE "forms"`);
  }
}
