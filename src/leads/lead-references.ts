import type { EntityManager } from 'typeorm';
import { QueryFailedError } from 'typeorm';
import { ApiException, type FieldErrors } from '../common/errors/api.exception';

export interface References {
  pipeline_id: number | null;
  pipeline_stage_id: number | null;
  assigned_user_id: number | null;
}
type ReferenceInput = { [K in keyof References]?: number | null };

const invalid = (field: string) => `The selected ${field} is invalid.`;

/**
 * Checks the pipeline, stage and user a write names against the caller's workspace (422 naming the field) and
 * settles the pipeline/stage pair: a stage must belong to the pipeline; a stage alone brings its pipeline; a new
 * (or cleared) pipeline drops a stage of the old one. Returns the reference columns to write.
 */
export async function resolveReferences(
  m: EntityManager,
  workspaceId: number,
  current: References | null,
  input: ReferenceInput,
): Promise<Partial<References>> {
  const { pipeline_id: p, pipeline_stage_id: s, assigned_user_id: u } = input;
  if (p === undefined && s === undefined && u === undefined) return {};
  const [found]: { pipeline: number | null; stage_pipeline: number | null; user: number | null }[] =
    await m.query(
      `SELECT (SELECT id FROM pipelines WHERE id = $2 AND workspace_id = $1) AS pipeline,
              (SELECT pipeline_id FROM pipeline_stages WHERE id = $3 AND workspace_id = $1) AS stage_pipeline,
              (SELECT id FROM users WHERE id = $4 AND workspace_id = $1) AS "user"`,
      [workspaceId, p ?? null, s ?? null, u ?? null],
    );
  const errors: FieldErrors = {};
  if (p != null && found.pipeline === null) errors.pipeline_id = [invalid('pipeline_id')];
  if (s != null && found.stage_pipeline === null) errors.pipeline_stage_id = [invalid('pipeline_stage_id')];
  if (u != null && found.user === null) errors.assigned_user_id = [invalid('assigned_user_id')];
  if (s != null && found.stage_pipeline !== null && p !== undefined && p !== found.stage_pipeline)
    errors.pipeline_stage_id ??= ['The pipeline_stage_id must be a stage of the pipeline_id.'];
  if (Object.keys(errors).length) throw ApiException.validation(errors);

  const out: Partial<References> = {};
  if (u !== undefined) out.assigned_user_id = u;
  if (s != null) {
    out.pipeline_stage_id = s;
    out.pipeline_id = found.stage_pipeline;
  } else if (s === null) {
    out.pipeline_stage_id = null;
    if (p !== undefined) out.pipeline_id = p;
  } else if (p !== undefined) {
    out.pipeline_id = p;
    // Another pipeline (or none): a stage of the old pipeline no longer applies.
    if (current?.pipeline_stage_id != null && p !== current.pipeline_id) out.pipeline_stage_id = null;
  }
  return out;
}

const FOREIGN_KEYS: Record<string, string> = {
  leads_pipeline_id_fkey: 'pipeline_id',
  leads_pipeline_stage_id_fkey: 'pipeline_stage_id',
  leads_assigned_user_id_fkey: 'assigned_user_id',
};

/** A pipeline/stage/user deleted between the check and the write: 422 on its field, not a 500. */
export async function violatedForeignKey<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const driver =
      err instanceof QueryFailedError ? (err.driverError as { code?: string; constraint?: string }) : {};
    const field = driver.code === '23503' && driver.constraint ? FOREIGN_KEYS[driver.constraint] : undefined;
    if (field) throw ApiException.field(field, invalid(field));
    throw err;
  }
}
