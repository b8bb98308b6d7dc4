import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

// Indexes for every filter and sort (and the trigram search index) are declared in the migrations.
@Entity('leads')
// Filter, sort and search indexes (expressions, INCLUDE columns, partial) are written in the migrations.
@Index('IDX_leads_ws_created', { synchronize: false })
@Index('IDX_leads_ws_updated', { synchronize: false })
@Index('IDX_leads_ws_score', { synchronize: false })
@Index('IDX_leads_ws_first_name', { synchronize: false })
@Index('IDX_leads_ws_last_name', { synchronize: false })
@Index('IDX_leads_ws_email', { synchronize: false })
@Index('IDX_leads_ws_status', { synchronize: false })
@Index('IDX_leads_ws_source', { synchronize: false })
@Index('IDX_leads_ws_pipeline', { synchronize: false })
@Index('IDX_leads_ws_stage', { synchronize: false })
@Index('IDX_leads_ws_assigned', { synchronize: false })
@Index('IDX_leads_ws_starred', { synchronize: false })
@Index('IDX_leads_ws_phone_digits', { synchronize: false })
export class Lead extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ name: 'first_name', type: 'varchar', length: 255 })
  firstName: string;

  @Column({ name: 'last_name', type: 'varchar', length: 255, nullable: true })
  lastName: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  @Column({ type: 'varchar', length: 50, nullable: true })
  phone: string | null;

  /** The phone's digits only, for de-duplication and search. */
  @Column({ name: 'phone_digits', type: 'varchar', length: 50, nullable: true })
  phoneDigits: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  company: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  source: string | null;

  @Column({ type: 'varchar', length: 20, default: 'new' })
  status: LeadStatus;

  @Column({ name: 'pipeline_id', type: 'int', nullable: true })
  pipelineId: number | null;

  @Column({ name: 'pipeline_stage_id', type: 'int', nullable: true })
  pipelineStageId: number | null;

  @Column({ name: 'assigned_user_id', type: 'int', nullable: true })
  assignedUserId: number | null;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ name: 'custom_fields', type: 'jsonb', default: () => `'{}'` })
  customFields: Record<string, unknown>;

  @Column({ name: 'lead_score', type: 'int', default: 0 })
  leadScore: number;

  @Column({ type: 'boolean', default: false })
  starred: boolean;
}
