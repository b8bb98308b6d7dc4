import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One submission of a form: the values as sent, and the lead it created or was merged into. */
@Entity('form_submissions')
@Index('IDX_form_submissions_form_created', ['formId', 'createdAt', 'id'])
@Index('IDX_form_submissions_lead', ['leadId'])
export class FormSubmission {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'workspace_id', type: 'int' })
  workspaceId: number;

  @Column({ name: 'form_id', type: 'int' })
  formId: number;

  /** null once the lead is deleted (the submission keeps its values). */
  @Column({ name: 'lead_id', type: 'int', nullable: true })
  leadId: number | null;

  @Column({ name: 'is_duplicate', type: 'boolean' })
  isDuplicate: boolean;

  @Column({ type: 'jsonb' })
  values: Record<string, string | boolean | null>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
