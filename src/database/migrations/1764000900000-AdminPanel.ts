import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The admin panel: server-side sessions (the cookie carries a random token; only its SHA-256 is stored, so a
 * leaked table opens nothing) and one-time setup tokens for a workspace's first admin (stored hashed too).
 */
export class AdminPanel1764000900000 implements MigrationInterface {
  name = 'AdminPanel1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "admin_sessions" (
        "token_hash" char(64) PRIMARY KEY,
        "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE,
        "csrf_token" varchar(64) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        "last_seen_at" timestamptz NOT NULL DEFAULT now(),
        "expires_at" timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX "IDX_admin_sessions_user" ON "admin_sessions" ("user_id")`);
    await q.query(`CREATE INDEX "IDX_admin_sessions_expires" ON "admin_sessions" ("expires_at")`);
    await q.query(`
      CREATE TABLE "admin_setup_tokens" (
        "id" SERIAL PRIMARY KEY,
        "workspace_id" integer NOT NULL REFERENCES "workspaces" ("id") ON DELETE CASCADE,
        "token_hash" char(64) NOT NULL UNIQUE,
        "expires_at" timestamptz NOT NULL,
        "used_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "admin_setup_tokens"`);
    await q.query(`DROP TABLE "admin_sessions"`);
  }
}
