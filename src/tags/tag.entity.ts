import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Timestamped } from '../common/entities/timestamps';

@Entity('tags')
@Index('IDX_tags_ws_updated', { synchronize: false }) // (workspace_id, updated_at, id): sync lists
@Index('UQ_tags_workspace_name', { synchronize: false }) // on lower(name): see migration
export class Tag extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 7, nullable: true })
  color: string | null;
}
