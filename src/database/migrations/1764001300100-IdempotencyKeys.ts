import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys (Stripe semantics, issue 13): the first successful response to a POST with an
 * `Idempotency-Key`, stored in the transaction of the write it describes, replayed for 24 hours.
 */
export class IdempotencyKeys1764001300100 implements MigrationInterface {
  name = 'IdempotencyKeys1764001300100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "idempotency_keys" (
        "api_key_id" integer NOT NULL REFERENCES "api_keys" ("id") ON DELETE CASCADE,
        "key" varchar(255) NOT NULL,
        "request_hash" char(64) NOT NULL,
        "status" smallint NOT NULL,
        "body" json, -- json, not jsonb: a replay keeps the first response's key order byte for byte
        "location" varchar(2048),
        "created_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("api_key_id", "key")
      )`);
    await q.query(`CREATE INDEX "IDX_idempotency_keys_created" ON "idempotency_keys" ("created_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "idempotency_keys"`);
  }
}
