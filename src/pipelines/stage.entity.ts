import { Check, Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';

@Entity('pipeline_stages')
// Deferred to commit so a reorder can shift positions in one UPDATE (migration StagePositions).
@Unique('UQ_pipeline_stages_pipeline_position', ['pipelineId', 'position'], {
  deferrable: 'INITIALLY DEFERRED',
})
@Check('CHK_pipeline_stages_position', '"position" >= 1')
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
