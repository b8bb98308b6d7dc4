import { ApiException, type FieldErrors } from '../common/errors/api.exception';
import type { FoundReferences } from './leads.repository';

export interface References {
  pipeline_id: number | null;
  pipeline_stage_id: number | null;
  assigned_user_id: number | null;
}
export type ReferenceInput = { [K in keyof References]?: number | null };

export const invalidReference = (field: string) => `The selected ${field} is invalid.`;

/** Whether a write names any reference (else there is nothing to look up). */
export function namesReferences(input: ReferenceInput): boolean {
  return (
    input.pipeline_id !== undefined ||
    input.pipeline_stage_id !== undefined ||
    input.assigned_user_id !== undefined
  );
}

/**
 * Checks the pipeline, stage and user a write names against what the workspace has (`found`: 422 naming the
 * field) and settles the pipeline/stage pair: a stage must belong to the pipeline; a stage alone brings its
 * pipeline; a new (or cleared) pipeline drops a stage of the old one. Returns the reference columns to write.
 */
export function settleReferences(
  found: FoundReferences,
  current: References | null,
  input: ReferenceInput,
): Partial<References> {
  const { pipeline_id: p, pipeline_stage_id: s, assigned_user_id: u } = input;
  const errors: FieldErrors = {};
  if (p != null && found.pipeline === null) errors.pipeline_id = [invalidReference('pipeline_id')];
  if (s != null && found.stage_pipeline === null)
    errors.pipeline_stage_id = [invalidReference('pipeline_stage_id')];
  if (u != null && found.user === null) errors.assigned_user_id = [invalidReference('assigned_user_id')];
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
