import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isoTimestamp } from '../common/time';
import { type LeadRecord, toLeadResponse } from '../leads/lead-record';
import { IntegrationsRepository } from '../integrations/integrations.repository';
import { LeadsService } from '../leads/leads.service';
import type { PendingWebhook } from './action-executor';
import type { ClaimedEvent } from './claimed-events.repository';
import { WebhookDeliveries } from './webhook-deliveries';

/** The body of an event's webhook (send_webhook action and subscriptions alike). */
export function eventBody(event: ClaimedEvent, lead: LeadRecord | undefined): Record<string, unknown> {
  return {
    id: Number(event.id),
    type: event.type,
    occurred_at: isoTimestamp(event.created_at),
    workspace: { id: event.workspace_id, slug: event.workspace_slug },
    data: { lead: lead ? toLeadResponse(lead) : null, changes: event.payload.changes ?? {} },
  };
}

/**
 * Webhook subscriptions (integrations of type `webhook`): every event of a subscribed type in the
 * integration's workspace becomes a delivery, queued in the transaction that processes the event (so exactly
 * one per event and subscription) and then sent, signed and retried like a send_webhook action's. The lead
 * in the body is the lead as the event left it (before automations running on the same event change it).
 * Only events that happened after the subscription was created are delivered.
 */
@Injectable()
export class SubscriptionDeliveries {
  constructor(
    private readonly leads: LeadsService,
    private readonly integrations: IntegrationsRepository,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /** Queues the deliveries of a batch's events in the current transaction (the worker's); returns how many. */
  async enqueue(batch: ClaimedEvent[]): Promise<number> {
    const subs = await this.integrations.activeSubscriptions([...new Set(batch.map((e) => e.workspace_id))]);
    if (!subs.length) return 0;
    let queued = 0;
    for (const event of batch) {
      const at = new Date(event.created_at).getTime();
      const matching = subs.filter(
        (s) =>
          s.workspace_id === event.workspace_id &&
          Array.isArray(s.event_types) &&
          s.event_types.includes(event.type) &&
          s.created_at.getTime() <= at,
      );
      if (!matching.length) continue;
      const payload = eventBody(event, await this.lead(event));
      const hooks: PendingWebhook[] = matching.map((s) => ({
        id: randomUUID(),
        workspaceId: event.workspace_id,
        kind: 'subscription',
        integrationId: s.id,
        url: s.url,
        secret: null, // read from the integration when sent
        eventType: event.type,
        payload,
      }));
      await this.deliveries.enqueue(null, hooks);
      queued += hooks.length;
    }
    return queued;
  }

  private lead(event: ClaimedEvent): Promise<LeadRecord | undefined> {
    if (event.lead_id === null) return Promise.resolve(undefined);
    return this.leads.find(event.workspace_id, event.lead_id);
  }
}
