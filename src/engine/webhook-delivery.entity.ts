import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One outbound webhook of a run; its id is the X-LeadHub-Delivery header, the same on every retry. */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_due', { synchronize: false })
@Index('IDX_webhook_deliveries_run', ['automationRunId'])
export class WebhookDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'automation_run_id', type: 'bigint' })
  automationRunId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** The action's signing secret as a SecretBox token (null: unsigned). */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  /** The body, built when the run happened (the lead as it was then). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DeliveryStatus;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
