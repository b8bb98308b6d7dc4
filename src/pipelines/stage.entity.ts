import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';

@Entity('pipeline_stages')
// UQ_pipeline_stages_pipeline_position (pipeline_id, position), deferred: see migration StagePositions
@Index('UQ_pipeline_stages_pipeline_position', { synchronize: false })
export class Stage extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ name: 'pipeline_id', type: 'int' })
  pipelineId: number;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  /** 1-based, gap-free within the pipeline. */
  @Column({ type: 'int' })
  position: number;

  /** 0–100 */
  @Column({ type: 'smallint', default: 0 })
  probability: number;
}
