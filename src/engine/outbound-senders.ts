import { Inject, Injectable } from '@nestjs/common';
import { APP_VERSION } from '../common/app-version';
import { SecretBox } from '../common/crypto/secret-box';
import { AppConfig } from '../config/app-config';
import { IntegrationsRepository } from '../integrations/integrations.repository';
import { IntegrationsService } from '../integrations/integrations.service';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { failureOf, postGuarded, requestTrusted } from './http-post';
import type { DeliveryKind } from './webhook-delivery.entity';
import { sendWebhook } from './webhook-sender';

/** What the sender needs of a claimed delivery. */
export interface OutboundDelivery {
  id: string;
  kind: DeliveryKind;
  integration_id: number | null;
  workspace_id: number;
  url: string;
  secret: string | null;
  event_type: string;
  payload: Record<string, unknown>;
}

/** The delivery's integration was deleted or turned inactive: it is cancelled, not sent. */
export class IntegrationGone extends Error {}

/**
 * Sends one delivery of any kind; resolves with the 2xx status, throws DeliveryFailure (see http-post) or
 * IntegrationGone. Deliveries through an integration read its config now, so a changed URL or key applies
 * to pending retries and a deleted or inactive integration sends nothing.
 */
@Injectable()
export class OutboundSenders {
  constructor(
    private readonly integrationRows: IntegrationsRepository,
    private readonly box: SecretBox,
    private readonly integrations: IntegrationsService,
    private readonly appConfig: AppConfig,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async send(d: OutboundDelivery): Promise<number> {
    if (d.kind === 'webhook')
      return sendWebhook({
        deliveryId: d.id,
        eventType: d.event_type,
        url: d.url,
        body: JSON.stringify(d.payload),
        secret: d.secret === null ? null : this.box.decrypt(d.secret),
        timeoutMs: this.config.timeoutMs,
        allowPrivate: this.config.allowPrivateUrls,
      });
    const config = await this.configOf(d);
    switch (d.kind) {
      case 'subscription':
        return sendWebhook({
          deliveryId: d.id,
          eventType: d.event_type,
          url: String(config.url),
          body: JSON.stringify(d.payload),
          secret: typeof config.secret === 'string' ? config.secret : null,
          timeoutMs: this.config.timeoutMs,
          allowPrivate: this.config.allowPrivateUrls,
        });
      case 'email':
        return this.mailgun(d, config);
      case 'slack':
        return this.slack(d, config);
    }
  }

  private async configOf(d: OutboundDelivery) {
    const integration =
      d.integration_id === null
        ? null
        : await this.integrationRows.findInWorkspace(d.workspace_id, d.integration_id);
    if (!integration) throw new IntegrationGone('The integration was deleted.');
    if (!integration.isActive) throw new IntegrationGone('The integration is inactive.');
    return this.integrations.revealConfig(integration);
  }

  /** Mailgun's messages API: a form POST with basic auth `api:<key>` to the domain's region. */
  private async mailgun(d: OutboundDelivery, config: Record<string, unknown>): Promise<number> {
    const domain = String(config.domain);
    const base = this.appConfig.outsideServices.mailgunUrl[config.region === 'eu' ? 'eu' : 'us'];
    const message = d.payload as { to: string; subject: string; text?: string; html?: string };
    const form = new URLSearchParams({
      from: typeof config.from_email === 'string' ? config.from_email : `leadhub@${domain}`,
      to: message.to,
      subject: message.subject,
      'h:X-LeadHub-Delivery': d.id,
    });
    if (message.text) form.set('text', message.text);
    if (message.html) form.set('html', message.html);
    const auth = Buffer.from(`api:${String(config.api_key)}`).toString('base64');
    const answer = await requestTrusted(`${base}/v3/${encodeURIComponent(domain)}/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${auth}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': `LeadHub/${APP_VERSION}`,
      },
      body: form.toString(),
      timeoutMs: this.config.timeoutMs,
    });
    if (answer.status >= 200 && answer.status < 300) return answer.status;
    throw failureOf(answer, mailgunMessage(answer.text));
  }

  /** A Slack incoming webhook: JSON `{text}` (and `channel` for a legacy webhook); Slack answers `ok`. */
  private async slack(d: OutboundDelivery, config: Record<string, unknown>): Promise<number> {
    const body = JSON.stringify({
      text: (d.payload as { text: string }).text,
      ...(typeof config.channel === 'string' ? { channel: config.channel } : {}),
    });
    const answer = await postGuarded(
      String(config.webhook_url),
      { 'Content-Type': 'application/json', 'User-Agent': `LeadHub/${APP_VERSION}` },
      body,
      this.config.timeoutMs,
      this.config.allowPrivateUrls,
    );
    if (answer.status >= 200 && answer.status < 300) return answer.status;
    // Slack names the problem in a word (invalid_payload, no_service, channel_not_found…).
    throw failureOf(answer, /^[a-z_]{1,64}$/.test(answer.text.trim()) ? answer.text.trim() : undefined);
  }
}

/** Mailgun's JSON error `{message}`, shortened; anything else is not repeated. */
function mailgunMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
