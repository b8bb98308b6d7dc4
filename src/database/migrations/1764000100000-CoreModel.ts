import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users, tags, pipelines with stages, leads and their tags: the records every other resource points at. */
export class CoreModel1764000100000 implements MigrationInterface {
  name = 'CoreModel1764000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE "users" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "name" varchar(255) NOT NULL,
        "email" varchar(320) NOT NULL,
        "role" varchar(16) NOT NULL DEFAULT 'agent' CHECK ("role" IN ('admin', 'manager', 'agent')),
        "is_active" boolean NOT NULL DEFAULT true,
        "password_hash" text,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_users_workspace_email" ON "users" ("workspace_id", lower("email"))`,
    );

    await q.query(`
      CREATE TABLE "tags" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "name" varchar(100) NOT NULL,
        "color" varchar(7),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_tags_workspace_name" ON "tags" ("workspace_id", lower("name"))`);

    await q.query(`
      CREATE TABLE "pipelines" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "name" varchar(255) NOT NULL,
        "description" text,
        "is_default" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX "UQ_pipelines_workspace_name" ON "pipelines" ("workspace_id", lower("name"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "UQ_pipelines_workspace_default" ON "pipelines" ("workspace_id") WHERE "is_default"`,
    );

    await q.query(`
      CREATE TABLE "pipeline_stages" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "pipeline_id" integer NOT NULL REFERENCES "pipelines" ("id") ON DELETE CASCADE,
        "name" varchar(255) NOT NULL,
        "position" integer NOT NULL,
        "probability" smallint NOT NULL DEFAULT 0 CHECK ("probability" BETWEEN 0 AND 100),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX "IDX_pipeline_stages_pipeline_position" ON "pipeline_stages" ("pipeline_id", "position")`,
    );

    await q.query(`
      CREATE TABLE "leads" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "first_name" varchar(255) NOT NULL,
        "last_name" varchar(255),
        "email" varchar(320),
        "phone" varchar(50),
        "phone_digits" varchar(50),
        "company" varchar(255),
        "source" varchar(100),
        "status" varchar(20) NOT NULL DEFAULT 'new'
          CHECK ("status" IN ('new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost')),
        "pipeline_id" integer REFERENCES "pipelines" ("id") ON DELETE SET NULL,
        "pipeline_stage_id" integer REFERENCES "pipeline_stages" ("id") ON DELETE SET NULL,
        "assigned_user_id" integer REFERENCES "users" ("id") ON DELETE SET NULL,
        "notes" text,
        "custom_fields" jsonb NOT NULL DEFAULT '{}',
        "lead_score" integer NOT NULL DEFAULT 0,
        "starred" boolean NOT NULL DEFAULT false,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE "lead_tags" (
        "lead_id" integer NOT NULL REFERENCES "leads" ("id") ON DELETE CASCADE,
        "tag_id" integer NOT NULL REFERENCES "tags" ("id") ON DELETE CASCADE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("lead_id", "tag_id")
      )`);
    await q.query(`CREATE INDEX "IDX_lead_tags_tag" ON "lead_tags" ("tag_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['lead_tags', 'leads', 'pipeline_stages', 'pipelines', 'tags', 'users'])
      await q.query(`DROP TABLE "${t}"`);
  }
}
