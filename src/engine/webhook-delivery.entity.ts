import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** webhook: a send_webhook action; subscription: a webhook integration; email: Mailgun; slack: Slack. */
export const DELIVERY_KINDS = ['webhook', 'subscription', 'email', 'slack'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

/**
 * One outbound delivery (a webhook of a run or of a subscription, an e-mail, a Slack message); its id is the
 * X-LeadHub-Delivery header, the same on every retry.
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_due', { synchronize: false })
@Index('IDX_webhook_deliveries_integration', { synchronize: false })
@Index('IDX_webhook_deliveries_failed', { synchronize: false })
@Index('IDX_webhook_deliveries_lane', { synchronize: false })
@Index('IDX_webhook_deliveries_run', ['automationRunId'])
export class WebhookDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The run whose action queued it (null: a webhook subscription's delivery). */
  @Column({ name: 'automation_run_id', type: 'bigint', nullable: true })
  automationRunId: string | null;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  /** The integration it goes through (null for send_webhook, or once the integration was deleted). */
  @Column({ name: 'integration_id', type: 'int', nullable: true })
  integrationId: number | null;

  @Column({ type: 'varchar', length: 16, default: 'webhook' })
  kind: DeliveryKind;

  /** Where it goes; for e-mail and Slack only the service's address (the secret part is read when sent). */
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
