import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CUSTOM_FIELD, type StoredAction } from '../automations/automation-definition';
import { IntegrationsRepository } from '../integrations/integrations.repository';
import type { Automation } from '../automations/automation.entity';
import { SecretBox } from '../common/crypto/secret-box';
import { AppConfig } from '../config/app-config';
import { ApiException } from '../common/errors/api.exception';
import { validateBody } from '../common/validation/api-validation.pipe';
import { UpdateLeadDto } from '../leads/dto/lead.dto';
import { type LeadRecord, toLeadResponse } from '../leads/lead-record';
import { eventBody } from './subscriptions';
import { LeadsService } from '../leads/leads.service';
import type { AppliedAction } from './automation-run.entity';
import type { ClaimedEvent } from './claimed-events.repository';
import { integrationDelivery } from './integration-actions';
import type { DeliveryKind } from './webhook-delivery.entity';

/** A delivery an action asked for: stored in the run's transaction, sent afterwards. */
export interface PendingWebhook {
  id: string;
  workspaceId: number;
  /** Default webhook (a send_webhook action). */
  kind?: DeliveryKind;
  integrationId?: number;
  url: string;
  secret: string | null;
  eventType: string;
  payload: Record<string, unknown>;
}

/** An action that failed: which one, and why (the run records the message). */
export class ActionError extends Error {
  constructor(
    readonly index: number,
    readonly type: string,
    readonly cause: unknown,
  ) {
    super(`actions.${index} (${type}): ${describe(cause)}`);
  }
}

/**
 * Applies an automation's actions to a lead, in order, through the same service and the same request
 * validation as the API (so the same events are recorded: the engine's caller sets their chain depth).
 * Runs in the caller's transaction; throws ActionError at the first failing action. Returns the lead as the
 * actions left it (as the service read it after the last change).
 */
@Injectable()
export class ActionExecutor {
  constructor(
    private readonly leads: LeadsService,
    private readonly integrations: IntegrationsRepository,
    private readonly box: SecretBox,
    private readonly appConfig: AppConfig,
  ) {}

  async run(
    automation: Automation,
    start: LeadRecord,
    event: ClaimedEvent,
  ): Promise<{ applied: AppliedAction[]; webhooks: PendingWebhook[]; lead: LeadRecord }> {
    const applied: AppliedAction[] = [];
    const webhooks: PendingWebhook[] = [];
    let lead = start;
    for (const [i, action] of automation.actions.entries()) {
      try {
        if (action.type === 'send_webhook') {
          const hook = webhook(action, lead, event);
          webhooks.push(hook);
          applied.push({ type: action.type, url: action.url, delivery_id: hook.id, signed: !!hook.secret });
          continue;
        }
        if (action.type === 'send_email' || action.type === 'notify_slack') {
          const { applied: done, delivery } = await integrationDelivery(
            await this.integrations.findForAction(lead.workspace_id, action.integration_id),
            this.box,
            this.appConfig.outsideServices,
            action,
            lead,
            event,
          );
          if (delivery) webhooks.push(delivery);
          applied.push(done);
          continue;
        }
        const after = await this.apply(action, lead);
        applied.push({ ...action, changed: !sameLead(lead, after) });
        lead = after;
      } catch (err) {
        throw new ActionError(i, action.type, err);
      }
    }
    return { applied, webhooks, lead };
  }

  private async apply(action: StoredAction, lead: LeadRecord): Promise<LeadRecord> {
    const ws = lead.workspace_id;
    switch (action.type) {
      case 'add_tag':
        return this.leads.addTag(ws, lead.id, action.tag);
      case 'remove_tag':
        return this.leads.removeTag(ws, lead.id, action.tag);
      case 'assign_user':
        return this.update(lead, { assigned_user_id: action.user_id });
      case 'set_status':
        return this.update(lead, { status: action.status });
      case 'move_to_stage':
        return this.update(lead, { pipeline_stage_id: action.stage_id });
      case 'set_field': {
        const custom = CUSTOM_FIELD.exec(action.field);
        if (!custom) return this.update(lead, { [action.field]: action.value });
        const fields: Record<string, unknown> = { ...(lead.custom_fields ?? {}) };
        if (action.value === null) delete fields[custom[1]];
        else fields[custom[1]] = action.value;
        return this.update(lead, { custom_fields: fields });
      }
      case 'send_webhook':
      case 'send_email':
      case 'notify_slack':
        throw new Error(`${action.type} is not a lead change`);
    }
  }

  /** A partial update as a PATCH body: validated like one, applied by the same service method. */
  private async update(lead: LeadRecord, body: Record<string, unknown>): Promise<LeadRecord> {
    const dto = await validateBody(UpdateLeadDto, body);
    return this.leads.update(lead.workspace_id, lead.id, dto);
  }
}

/** The delivery of a send_webhook action, with the body built now (the lead as the previous actions left it). */
function webhook(
  action: Extract<StoredAction, { type: 'send_webhook' }>,
  lead: LeadRecord,
  event: ClaimedEvent,
): PendingWebhook {
  return {
    id: randomUUID(),
    workspaceId: event.workspace_id,
    url: action.url,
    secret: action.secret ?? null,
    eventType: event.type,
    payload: eventBody(event, lead),
  };
}

function sameLead(a: LeadRecord, b: LeadRecord): boolean {
  return JSON.stringify(toLeadResponse(a)) === JSON.stringify(toLeadResponse(b));
}

/** An API error as its message and field messages (what a client of the API would have been told). */
function describe(err: unknown): string {
  if (err instanceof ApiException) return [err.message, ...Object.values(err.errors ?? {}).flat()].join(' ');
  return err instanceof Error ? err.message : String(err);
}
