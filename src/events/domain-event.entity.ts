import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A row of the outbox; written by EventsService.record in the transaction of the change. */
@Entity('domain_events')
@Index('IDX_domain_events_lead', { synchronize: false })
@Index('IDX_domain_events_pending_by_workspace', { synchronize: false })
@Index('IDX_domain_events_processed', { synchronize: false })
@Index('IDX_domain_events_pending_by_lead', { synchronize: false })
export class DomainEventRow {
  /** bigserial: returned by pg as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ type: 'varchar', length: 64 })
  type: string;

  @Column({ name: 'lead_id', type: 'int', nullable: true })
  leadId: number | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;
}
