import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public website forms (issue 13): a form may be published (`is_public`) under an unguessable `public_id` that a
 * plain HTML form posts to without a key, then redirected to `success_url`. Existing forms get an id, unpublished.
 */
export class PublicForms1764001300000 implements MigrationInterface {
  name = 'PublicForms1764001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "forms"
        ADD COLUMN "is_public" boolean NOT NULL DEFAULT false,
        ADD COLUMN "public_id" varchar(64) NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', ''),
        ADD COLUMN "success_url" varchar(2048)`);
    // The default only fills existing rows; new forms get theirs from the service.
    await q.query(`ALTER TABLE "forms" ALTER COLUMN "public_id" DROP DEFAULT`);
    await q.query(`CREATE UNIQUE INDEX "UQ_forms_public_id" ON "forms" ("public_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "UQ_forms_public_id"`);
    await q.query(
      `ALTER TABLE "forms" DROP COLUMN "success_url", DROP COLUMN "public_id", DROP COLUMN "is_public"`,
    );
  }
}
