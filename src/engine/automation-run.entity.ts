import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const RUN_STATUSES = ['succeeded', 'failed', 'skipped', 'cut'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Why a run was `cut`: `depth_limit`, the event was caused by a chain of MAX_DEPTH runs already;
 * `chain_budget`, the change that started the chain has caused as many runs and events as it may.
 */
export const CUT_REASONS = ['depth_limit', 'chain_budget'] as const;
export type CutReason = (typeof CUT_REASONS)[number];

/** What one action did, as the run log shows it (webhook secrets never appear). */
export interface AppliedAction {
  type: string;
  [param: string]: unknown;
}

/** One automation considered for one event: its actions ran (succeeded/failed), or not (skipped/cut). */
@Entity('automation_runs')
@Index('IDX_automation_runs_automation', ['automationId', 'id'])
export class AutomationRun {
  /** bigserial: returned by pg as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ name: 'automation_id', type: 'int' })
  automationId: number;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  @Column({ name: 'lead_id', type: 'int', nullable: true })
  leadId: number | null;

  /** How many automation runs led to the event (0: a change made through the API). */
  @Column({ type: 'int', default: 0 })
  depth: number;

  @Column({ type: 'varchar', length: 16 })
  status: RunStatus;

  @Column({ name: 'cut_reason', type: 'varchar', length: 32, nullable: true })
  cutReason: CutReason | null;

  @Column({ name: 'actions_applied', type: 'jsonb', default: () => `'[]'` })
  actionsApplied: AppliedAction[];

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
