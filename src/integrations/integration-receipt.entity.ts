import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';

export const RECEIPT_KINDS = ['facebook_lead', 'google_ads_lead'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];
export type ReceiptStatus = 'pending' | 'processed' | 'failed';

/**
 * A lead an outside service announced to a receiver: one row per outside lead id and integration (a second
 * announcement of the same id finds it and creates nothing). For Facebook it is also the durable job that
 * fetches the lead from the Graph API (pending until then, retried with backoff).
 */
@Entity('integration_receipts')
@Unique('UQ_integration_receipts_external', ['integrationId', 'externalId'])
@Index('IDX_integration_receipts_due', { synchronize: false })
@Index('IDX_integration_receipts_integration', ['integrationId', 'createdAt'])
export class IntegrationReceipt {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ name: 'integration_id', type: 'int' })
  integrationId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: ReceiptKind;

  /** Facebook's leadgen_id or Google's lead_id. */
  @Column({ name: 'external_id', type: 'varchar', length: 255 })
  externalId: string;

  /** What the service sent (without its key). */
  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: ReceiptStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'lead_id', type: 'int', nullable: true })
  leadId: number | null;

  @Column({ name: 'is_duplicate', type: 'boolean', nullable: true })
  isDuplicate: boolean | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
