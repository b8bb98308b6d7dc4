import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for every filter and sort of GET /leads (all led by workspace_id, ending in id for the tie-break),
 * the inbound de-duplication lookups, and the trigram index for `search`.
 * The search expression must stay byte-identical to SEARCH_EXPRESSION in src/leads/lead-search.query.ts.
 */
export class LeadIndexes1764000200100 implements MigrationInterface {
  name = 'LeadIndexes1764000200100';

  async up(q: QueryRunner): Promise<void> {
    const indexes: Record<string, string> = {
      IDX_leads_ws_created: '("workspace_id", "created_at", "id")',
      IDX_leads_ws_updated: '("workspace_id", "updated_at", "id")',
      IDX_leads_ws_score: '("workspace_id", "lead_score", "id")',
      IDX_leads_ws_first_name: '("workspace_id", lower("first_name"), "id")',
      IDX_leads_ws_last_name: '("workspace_id", lower("last_name"), "id")',
      IDX_leads_ws_email: '("workspace_id", lower("email"), "id")',
      // INCLUDE the other filter columns: counting a combination (status + source, …) is an index-only scan.
      IDX_leads_ws_status:
        '("workspace_id", "status", "created_at", "id") INCLUDE ("source", "pipeline_id", "pipeline_stage_id", "assigned_user_id", "starred")',
      // The most common combination (a dashboard's "new leads from the website"): count and page straight from it.
      IDX_leads_ws_status_source: '("workspace_id", "status", "source", "created_at", "id")',
      IDX_leads_ws_source:
        '("workspace_id", "source", "created_at", "id") INCLUDE ("status", "pipeline_id", "pipeline_stage_id", "assigned_user_id", "starred")',
      IDX_leads_ws_pipeline: '("workspace_id", "pipeline_id", "created_at", "id")',
      IDX_leads_ws_stage: '("workspace_id", "pipeline_stage_id", "created_at", "id")',
      IDX_leads_ws_assigned: '("workspace_id", "assigned_user_id", "created_at", "id")',
      IDX_leads_ws_starred: '("workspace_id", "created_at", "id") WHERE "starred"',
      IDX_leads_ws_phone_digits: '("workspace_id", "phone_digits") WHERE "phone_digits" IS NOT NULL',
    };
    for (const [name, def] of Object.entries(indexes))
      await q.query(`CREATE INDEX "${name}" ON "leads" ${def}`);
    await q.query(`
      CREATE INDEX "IDX_leads_search_trgm" ON "leads" USING gin ((
        lower(coalesce("first_name", '') || ' ' || coalesce("last_name", '') || ' ' || coalesce("email", '')
          || ' ' || coalesce("phone", '') || ' ' || coalesce("phone_digits", ''))
      ) gin_trgm_ops)`);
    // The tag filter resolves the tag by name, then its leads through IDX_lead_tags_tag.
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'IDX_leads_search_trgm',
      'IDX_leads_ws_created',
      'IDX_leads_ws_updated',
      'IDX_leads_ws_score',
      'IDX_leads_ws_first_name',
      'IDX_leads_ws_last_name',
      'IDX_leads_ws_email',
      'IDX_leads_ws_status',
      'IDX_leads_ws_status_source',
      'IDX_leads_ws_source',
      'IDX_leads_ws_pipeline',
      'IDX_leads_ws_stage',
      'IDX_leads_ws_assigned',
      'IDX_leads_ws_starred',
      'IDX_leads_ws_phone_digits',
    ])
      await q.query(`DROP INDEX "${name}"`);
  }
}
