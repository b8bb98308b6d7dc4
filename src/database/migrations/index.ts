import { Platform1764000000000 } from './1764000000000-Platform';
import { CoreModel1764000100000 } from './1764000100000-CoreModel';
import { DomainEvents1764000200000 } from './1764000200000-DomainEvents';
import { LeadIndexes1764000200100 } from './1764000200100-LeadIndexes';
import { LeadCounts1764000200200 } from './1764000200200-LeadCounts';
import { StagePositions1764000300000 } from './1764000300000-StagePositions';
import { Integrations1764000400000 } from './1764000400000-Integrations';
import { Automations1764000410000 } from './1764000410000-Automations';
import { Forms1764000500000 } from './1764000500000-Forms';
import { AutomationRuns1764000600000 } from './1764000600000-AutomationRuns';
import { EngineFairness1764000700000 } from './1764000700000-EngineFairness';
import { AdminPanel1764000900000 } from './1764000900000-AdminPanel';
import { PublicForms1764001300000 } from './1764001300000-PublicForms';
import { IdempotencyKeys1764001300100 } from './1764001300100-IdempotencyKeys';
import { SyncTimestamps1764001300200 } from './1764001300200-SyncTimestamps';
import { IntegrationsAtWork1764001500000 } from './1764001500000-IntegrationsAtWork';
import { OutboxUpkeep1764001900000 } from './1764001900000-OutboxUpkeep';
import { LeadListTotals1764002000200 } from './1764002000200-LeadListTotals';
import { LeadSearchFragments1764002100000 } from './1764002100000-LeadSearchFragments';
import { LeadListChanges1764002200000 } from './1764002200000-LeadListChanges';
import { WebhookDeliveryLanes1764002300000 } from './1764002300000-WebhookDeliveryLanes';
import { TagLeadCounts1764002400000 } from './1764002400000-TagLeadCounts';
import { LeadChangesUpkeepByXid1764002500000 } from './1764002500000-LeadChangesUpkeepByXid';
import { LeadChangesSince1764002500100 } from './1764002500100-LeadChangesSince';

/** Every migration, in order; listed explicitly so the build, the CLI and the tests run the same set. */
export const MIGRATIONS = [
  Platform1764000000000,
  CoreModel1764000100000,
  DomainEvents1764000200000,
  LeadIndexes1764000200100,
  LeadCounts1764000200200,
  StagePositions1764000300000,
  Integrations1764000400000,
  Automations1764000410000,
  Forms1764000500000,
  AutomationRuns1764000600000,
  EngineFairness1764000700000,
  AdminPanel1764000900000,
  PublicForms1764001300000,
  IdempotencyKeys1764001300100,
  SyncTimestamps1764001300200,
  IntegrationsAtWork1764001500000,
  OutboxUpkeep1764001900000,
  LeadListTotals1764002000200,
  LeadSearchFragments1764002100000,
  LeadListChanges1764002200000,
  WebhookDeliveryLanes1764002300000,
  TagLeadCounts1764002400000,
  LeadChangesUpkeepByXid1764002500000,
  LeadChangesSince1764002500100,
];
