/** The integration types LeadHub knows, with the configuration each needs (code, not data). */

export const CONFIG_FIELD_TYPES = ['string', 'url', 'email', 'boolean', 'integer'] as const;
export type ConfigFieldType = (typeof CONFIG_FIELD_TYPES)[number];

export interface ConfigField {
  name: string;
  label: string;
  type: ConfigFieldType;
  required: boolean;
  /** Stored encrypted, returned masked. */
  secret: boolean;
  description: string;
  /** The allowed values, for a string field with a fixed set. */
  options?: readonly string[];
}

export interface IntegrationType {
  type: string;
  name: string;
  description: string;
  config_fields: readonly ConfigField[];
}

const field = (
  name: string,
  label: string,
  type: ConfigFieldType,
  description: string,
  o: { required?: boolean; secret?: boolean; options?: readonly string[] } = {},
): ConfigField => ({
  name,
  label,
  type,
  required: o.required ?? true,
  secret: o.secret ?? false,
  description,
  ...(o.options ? { options: o.options } : {}),
});

export const INTEGRATION_TYPES: readonly IntegrationType[] = [
  {
    type: 'facebook_lead_ads',
    name: 'Facebook Lead Ads',
    description: 'Receives leads from Facebook and Instagram lead forms of a page.',
    config_fields: [
      field('page_id', 'Page ID', 'string', 'The Facebook page whose lead forms are received.'),
      field('access_token', 'Page access token', 'string', 'A page access token with leads_retrieval.', {
        secret: true,
      }),
      field('app_secret', 'App secret', 'string', 'Verifies the signature of incoming webhook calls.', {
        secret: true,
      }),
      field('verify_token', 'Verify token', 'string', 'Echoed to Facebook when it verifies the webhook.'),
    ],
  },
  {
    type: 'google_ads',
    name: 'Google Ads',
    description: 'Receives leads from Google Ads lead form extensions.',
    config_fields: [
      field('customer_id', 'Customer ID', 'string', 'The Google Ads customer id (123-456-7890).'),
      field('developer_token', 'Developer token', 'string', 'The Google Ads API developer token.', {
        secret: true,
      }),
      field(
        'webhook_key',
        'Webhook key',
        'string',
        'The key Google sends with each lead to authenticate it.',
        {
          secret: true,
        },
      ),
    ],
  },
  {
    type: 'mailgun',
    name: 'Mailgun',
    description: 'Sends e-mail to leads through a Mailgun domain.',
    config_fields: [
      field('api_key', 'API key', 'string', 'A Mailgun sending API key.', { secret: true }),
      field('domain', 'Sending domain', 'string', 'The Mailgun domain mail is sent from (mg.example.com).'),
      field('region', 'Region', 'string', 'The Mailgun region of the domain.', { options: ['us', 'eu'] }),
      field('from_email', 'From address', 'email', 'The sender address (defaults to the domain).', {
        required: false,
      }),
    ],
  },
  {
    type: 'slack',
    name: 'Slack',
    description: 'Posts a message to a Slack channel for new leads.',
    config_fields: [
      field('webhook_url', 'Incoming webhook URL', 'url', 'The Slack incoming-webhook URL of the channel.', {
        secret: true,
      }),
      field('channel', 'Channel', 'string', 'Overrides the channel of the webhook (#sales).', {
        required: false,
      }),
    ],
  },
  {
    type: 'webhook',
    name: 'Webhook',
    description: 'Posts lead events as JSON to a URL of yours, signed with HMAC-SHA256.',
    config_fields: [
      field('url', 'URL', 'url', 'Where the events are posted (public http or https URL).'),
      field('secret', 'Signing secret', 'string', 'Signs each delivery (X-LeadHub-Signature header).', {
        required: false,
        secret: true,
      }),
    ],
  },
  {
    type: 'zapier',
    name: 'Zapier',
    description: 'Sends new leads to a Zapier catch hook.',
    config_fields: [
      field('hook_url', 'Catch hook URL', 'url', 'The URL of the Zapier "Catch Hook" trigger.'),
    ],
  },
];

const BY_TYPE = new Map(INTEGRATION_TYPES.map((t) => [t.type, t]));

export function integrationType(type: string): IntegrationType | undefined {
  return BY_TYPE.get(type);
}

export const INTEGRATION_TYPE_NAMES = INTEGRATION_TYPES.map((t) => t.type);
