import { MigrationInterface, QueryRunner } from 'typeorm';

export class Platform1764000000000 implements MigrationInterface {
  name = 'Platform1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "workspaces" (
        "id" SERIAL PRIMARY KEY,
        "slug" varchar(64) NOT NULL,
        "name" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_workspaces_slug" ON "workspaces" ("slug")`);
    await q.query(`
      CREATE TABLE "api_keys" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL,
        "name" varchar(255) NOT NULL,
        "key_hash" char(64) NOT NULL,
        "prefix" varchar(16) NOT NULL,
        "scopes" text array NOT NULL,
        "rate_limit" integer NOT NULL DEFAULT 1000,
        "last_used_at" timestamptz,
        "expires_at" timestamptz,
        "revoked_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "FK_api_keys_workspace" FOREIGN KEY ("workspace_id") REFERENCES "workspaces" ("id") ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_api_keys_key_hash" ON "api_keys" ("key_hash")`);
    await q.query(`CREATE INDEX "IDX_api_keys_workspace_id" ON "api_keys" ("workspace_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "api_keys"`);
    await q.query(`DROP TABLE "workspaces"`);
  }
}
