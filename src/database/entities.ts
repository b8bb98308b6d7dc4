import { ApiKey } from '../api-keys/api-key.entity';
import { Automation } from '../automations/automation.entity';
import { AutomationRun } from '../engine/automation-run.entity';
import { WebhookDelivery } from '../engine/webhook-delivery.entity';
import { Integration } from '../integrations/integration.entity';
import { IntegrationReceipt } from '../integrations/integration-receipt.entity';
import { DomainEventRow } from '../events/domain-event.entity';
import { FormSubmission } from '../forms/form-submission.entity';
import { Form } from '../forms/form.entity';
import { LeadTag } from '../leads/lead-tag.entity';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { Tag } from '../tags/tag.entity';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';

/** Every entity, for the app, the CLI and the TypeORM CLI data source. */
export const ENTITIES = [
  Workspace,
  ApiKey,
  User,
  Tag,
  Pipeline,
  Stage,
  Lead,
  LeadTag,
  DomainEventRow,
  Integration,
  Automation,
  Form,
  FormSubmission,
  AutomationRun,
  WebhookDelivery,
  IntegrationReceipt,
];
