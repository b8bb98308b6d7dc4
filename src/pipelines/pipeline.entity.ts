import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';

@Entity('pipelines')
@Index('IDX_pipelines_ws_updated', { synchronize: false }) // (workspace_id, updated_at, id): sync lists
@Index('UQ_pipelines_workspace_name', { synchronize: false }) // on lower(name)
@Index('UQ_pipelines_workspace_default', { synchronize: false }) // WHERE is_default
export class Pipeline extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;
}
