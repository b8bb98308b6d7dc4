import { MigrationInterface, QueryRunner } from 'typeorm';

const LISTS = ['pipelines', 'tags', 'users', 'forms', 'automations', 'integrations'];

/**
 * Incremental sync (issue 13): anything that changes what `GET /leads/{id}` returns moves the lead's updated_at,
 * also when the database does it — ON DELETE SET NULL clearing a deleted pipeline, stage or user, a deleted tag's
 * lead_tags rows cascading away, a tag renamed. And indexes for `updated_after`/`sort=updated_at` on every list.
 */
export class SyncTimestamps1764001300200 implements MigrationInterface {
  name = 'SyncTimestamps1764001300200';

  async up(q: QueryRunner): Promise<void> {
    // A referential action is an UPDATE of leads: this row trigger sees it like any other.
    await q.query(`
      CREATE FUNCTION leads_touch_on_reference_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.pipeline_id IS DISTINCT FROM OLD.pipeline_id
           OR NEW.pipeline_stage_id IS DISTINCT FROM OLD.pipeline_stage_id
           OR NEW.assigned_user_id IS DISTINCT FROM OLD.assigned_user_id THEN
          NEW.updated_at := now();
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER leads_touch_on_reference_change BEFORE UPDATE OF pipeline_id, pipeline_stage_id,
        assigned_user_id ON leads FOR EACH ROW EXECUTE FUNCTION leads_touch_on_reference_change()`);
    // One statement-level trigger per change of lead_tags (a deleted tag removes it from many leads at once).
    await q.query(`
      CREATE FUNCTION leads_touch_on_tag_removal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE leads SET updated_at = now()
         WHERE id IN (SELECT DISTINCT lead_id FROM gone) AND updated_at < now();
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER leads_touch_on_tag_removal AFTER DELETE ON lead_tags
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION leads_touch_on_tag_removal()`);
    await q.query(`
      CREATE FUNCTION leads_touch_on_tag_rename() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE leads SET updated_at = now()
         WHERE id IN (SELECT lead_id FROM lead_tags WHERE tag_id = NEW.id) AND updated_at < now();
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER leads_touch_on_tag_rename AFTER UPDATE OF name ON tags
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION leads_touch_on_tag_rename()`);
    for (const t of LISTS)
      await q.query(`CREATE INDEX "IDX_${t}_ws_updated" ON "${t}" ("workspace_id", "updated_at", "id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of LISTS) await q.query(`DROP INDEX "IDX_${t}_ws_updated"`);
    await q.query('DROP TRIGGER leads_touch_on_tag_rename ON tags');
    await q.query('DROP FUNCTION leads_touch_on_tag_rename()');
    await q.query('DROP TRIGGER leads_touch_on_tag_removal ON lead_tags');
    await q.query('DROP FUNCTION leads_touch_on_tag_removal()');
    await q.query('DROP TRIGGER leads_touch_on_reference_change ON leads');
    await q.query('DROP FUNCTION leads_touch_on_reference_change()');
  }
}
