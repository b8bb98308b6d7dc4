import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A lead's tags; a lead's `tags` in responses are the tag names. */
@Entity('lead_tags')
@Index('IDX_lead_tags_tag', ['tagId'])
export class LeadTag {
  @PrimaryColumn({ name: 'lead_id', type: 'int' })
  leadId: number;

  @PrimaryColumn({ name: 'tag_id', type: 'int' })
  tagId: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
