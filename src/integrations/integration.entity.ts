import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';
import type { StoredConfig } from './integration-config';

@Entity('integrations')
@Index('IDX_integrations_ws_updated', { synchronize: false }) // (workspace_id, updated_at, id): sync lists
@Index('IDX_integrations_workspace', ['workspaceId'])
export class Integration extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  /** A type of the catalog (integration-types.ts); fixed once created. */
  @Column({ type: 'varchar', length: 50 })
  type: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** Secret fields hold SecretBox tokens, never plaintext. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  config: StoredConfig;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  /** The unguessable part of the public receiver URLs (Facebook, Google Ads): 64 hex characters. */
  @Index('UQ_integrations_receiver_token', { unique: true })
  @Column({ name: 'receiver_token', type: 'varchar', length: 64 })
  receiverToken: string;
}
