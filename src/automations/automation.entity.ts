import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';
import type { StoredAction, StoredCondition } from './automation-definition';

@Entity('automations')
@Index('IDX_automations_ws_updated', { synchronize: false }) // (workspace_id, updated_at, id): sync lists
@Index('IDX_automations_workspace_trigger', ['workspaceId', 'triggerType'])
export class Automation extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'trigger_type', type: 'varchar', length: 40 })
  triggerType: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  conditions: StoredCondition[];

  /** send_webhook secrets hold SecretBox tokens, never plaintext. */
  @Column({ type: 'jsonb' })
  actions: StoredAction[];

  @Column({ name: 'run_count', type: 'int', default: 0 })
  runCount: number;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt: Date | null;
}
