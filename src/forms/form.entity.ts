import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';
import type { LeadStatus } from '../leads/lead.entity';
import type { StoredField } from './form-definition';

/**
 * A lead capture form. Its lead defaults are columns so that the pipeline, stage and user they name are foreign
 * keys (ON DELETE SET NULL: deleting the record clears the default instead of breaking submissions).
 */
@Entity('forms')
@Index('IDX_forms_ws_updated', { synchronize: false }) // (workspace_id, updated_at, id): sync lists
@Index('IDX_forms_workspace', ['workspaceId'])
@Index('UQ_forms_public_id', ['publicId'], { unique: true })
export class Form extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'jsonb' })
  fields: StoredField[];

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  /** Maintained in the transaction of each submission. */
  @Column({ name: 'submissions_count', type: 'int', default: 0 })
  submissionsCount: number;

  @Column({ name: 'default_source', type: 'varchar', length: 100, nullable: true, default: 'form' })
  defaultSource: string | null;

  @Column({ name: 'default_status', type: 'varchar', length: 20, nullable: true })
  defaultStatus: LeadStatus | null;

  @Column({ name: 'default_tags', type: 'jsonb', default: () => `'[]'` })
  defaultTags: string[];

  @Column({ name: 'default_pipeline_id', type: 'int', nullable: true })
  defaultPipelineId: number | null;

  @Column({ name: 'default_stage_id', type: 'int', nullable: true })
  defaultStageId: number | null;

  @Column({ name: 'default_assigned_user_id', type: 'int', nullable: true })
  defaultAssignedUserId: number | null;

  /** Published: `POST /api/forms/{public_id}/submit` takes submissions without a key. */
  @Column({ name: 'is_public', type: 'boolean', default: false })
  isPublic: boolean;

  /** Unguessable, generated once (src/forms/forms.service.ts); the only id a public page shows. */
  @Column({ name: 'public_id', type: 'varchar', length: 64 })
  publicId: string;

  /** Where an HTML form post is redirected (303) after a submission; null: the JSON answer. */
  @Column({ name: 'success_url', type: 'varchar', length: 2048, nullable: true })
  successUrl: string | null;
}
