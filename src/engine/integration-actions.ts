import { randomUUID } from 'node:crypto';
import type { StoredAction } from '../automations/automation-definition';
import { renderTemplate } from '../automations/templates';
import type { SecretBox } from '../common/crypto/secret-box';
import { isoTimestamp } from '../common/time';
import type { StoredConfig } from '../integrations/integration-config';
import type { OutsideServices } from '../integrations/outside-services';
import { type LeadRecord, toLeadResponse } from '../leads/lead-record';
import type { AppliedAction } from './automation-run.entity';
import type { PendingWebhook } from './action-executor';
import type { ClaimedEvent } from './claimed-events.repository';

type IntegrationAction = Extract<StoredAction, { type: 'send_email' | 'notify_slack' }>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A send_email or notify_slack action: the message is rendered now (the lead as the previous actions left it)
 * and queued as a delivery of the run, sent through the integration's config as it is when sent. An
 * inactive integration does nothing (the action is recorded as skipped); a missing one or one of another
 * type fails the run (saving the automation refused both, but the integration may have changed since).
 */
export async function integrationDelivery(
  row: { type: string; is_active: boolean; config: StoredConfig } | undefined,
  box: SecretBox,
  services: OutsideServices,
  action: IntegrationAction,
  lead: LeadRecord,
  event: ClaimedEvent,
): Promise<{ applied: AppliedAction; delivery?: PendingWebhook }> {
  const expected = action.type === 'send_email' ? 'mailgun' : 'slack';
  if (!row || row.type !== expected)
    throw new Error(
      `The integration ${action.integration_id} is not a ${expected} integration of this workspace.`,
    );
  const base = { type: action.type, integration_id: action.integration_id };
  if (!row.is_active)
    return { applied: { ...base, delivery_id: null, skipped: 'The integration is inactive.' } };
  const view = {
    ...toLeadResponse(lead),
    workspace: { id: event.workspace_id, slug: event.workspace_slug },
    event: { type: event.type, occurred_at: isoTimestamp(event.created_at) },
  };
  const common = {
    id: randomUUID(),
    workspaceId: lead.workspace_id,
    integrationId: action.integration_id,
    secret: null,
    eventType: event.type,
  };
  if (action.type === 'notify_slack') {
    const origin = new URL(box.decrypt(String(row.config.webhook_url))).origin;
    const payload = { text: renderTemplate(action.text, view, 'slack') };
    return {
      applied: { ...base, delivery_id: common.id },
      delivery: { ...common, kind: 'slack', url: origin, payload },
    };
  }
  const to = renderTemplate(action.to ?? '{{email}}', view, 'plain').trim();
  if (!to) throw new Error('The lead has no email address to send to.');
  if (!EMAIL.test(to) || to.length > 320)
    throw new Error(`The recipient "${to.slice(0, 100)}" is not an email address.`);
  const payload: Record<string, string> = {
    to,
    // One line: a subject is a header.
    subject: renderTemplate(action.subject, view, 'plain')
      .replace(/[\r\n]+/g, ' ')
      .trim(),
  };
  if (action.text) payload.text = renderTemplate(action.text, view, 'plain');
  if (action.html) payload.html = renderTemplate(action.html, view, 'html');
  const mailgun = services.mailgunUrl[row.config.region === 'eu' ? 'eu' : 'us'];
  const url = `${mailgun}/v3/${encodeURIComponent(String(row.config.domain))}/messages`;
  return {
    applied: { ...base, to, delivery_id: common.id },
    delivery: { ...common, kind: 'email', url, payload },
  };
}
