/** The integration types LeadHub knows, with the configuration each needs (code, not data). */

import { DOMAIN_EVENT_TYPES } from '../events/domain-event';

/** string_list: an array of strings (of `options` when set); string_map: an object of string values. */
export const CONFIG_FIELD_TYPES = [
  'string',
  'url',
  'email',
  'boolean',
  'integer',
  'string_list',
  'string_map',
] as const;
export type ConfigFieldType = (typeof CONFIG_FIELD_TYPES)[number];

export interface ConfigField {
  name: string;
  label: string;
  type: ConfigFieldType;
  required: boolean;
  /** Stored encrypted, returned masked. */
  secret: boolean;
  description: string;
  /** The allowed values, for a string (or string_list) field with a fixed set. */
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

/** Lead fields a mapping may target (besides `custom_fields.KEY`). */
export const MAPPABLE_FIELDS = ['first_name', 'last_name', 'email', 'phone', 'company', 'notes'] as const;

const tags = field('tags', 'Tags', 'string_list', 'Tags every lead received here gets.', { required: false });
const mapping = (what: string) =>
  field(
    'field_mapping',
    'Field mapping',
    'string_map',
    `${what} → a lead field (${MAPPABLE_FIELDS.join(', ')}) or custom_fields.KEY; overrides the standard mapping.`,
    { required: false },
  );

export const INTEGRATION_TYPES: readonly IntegrationType[] = [
  {
    type: 'facebook_lead_ads',
    name: 'Facebook Lead Ads',
    description:
      'Receives leads from Facebook and Instagram lead forms of a page: Meta calls the receiver URL for each ' +
      'new lead, LeadHub fetches it from the Graph API and creates or de-duplicates the lead (source facebook).',
    config_fields: [
      field('page_id', 'Page ID', 'string', 'The Facebook page whose lead forms are received.'),
      field('access_token', 'Page access token', 'string', 'A page access token with leads_retrieval.', {
        secret: true,
      }),
      field('app_secret', 'App secret', 'string', 'Verifies the signature of incoming webhook calls.', {
        secret: true,
      }),
      field(
        'verify_token',
        'Verify token',
        'string',
        "A value of your choice, entered in Meta's webhook settings too; checked when Meta verifies the receiver.",
        { secret: true },
      ),
      tags,
      mapping('A lead form question name (field_data name)'),
    ],
  },
  {
    type: 'google_ads',
    name: 'Google Ads',
    description:
      'Receives leads from Google Ads lead forms through their webhook and creates or de-duplicates the lead ' +
      '(source google_ads; test leads tagged test).',
    config_fields: [
      field(
        'webhook_key',
        'Webhook key',
        'string',
        "The key entered in the lead form's webhook settings; Google sends it as google_key with each lead.",
        { secret: true },
      ),
      tags,
      mapping("A column id (e.g. POSTAL_CODE) or a custom question's column name"),
    ],
  },
  {
    type: 'mailgun',
    name: 'Mailgun',
    description: 'Sends e-mail to leads through a Mailgun domain (the send_email automation action).',
    config_fields: [
      field('api_key', 'API key', 'string', 'A Mailgun sending API key.', { secret: true }),
      field('domain', 'Sending domain', 'string', 'The Mailgun domain mail is sent from (mg.example.com).'),
      field('region', 'Region', 'string', 'The Mailgun region of the domain.', { options: ['us', 'eu'] }),
      field('from_email', 'From address', 'email', 'The sender address (default: leadhub@ + the domain).', {
        required: false,
      }),
    ],
  },
  {
    type: 'slack',
    name: 'Slack',
    description: 'Posts messages to a Slack channel (the notify_slack automation action).',
    config_fields: [
      field('webhook_url', 'Incoming webhook URL', 'url', 'The Slack incoming-webhook URL of the channel.', {
        secret: true,
      }),
      field('channel', 'Channel', 'string', 'Overrides the channel of a legacy webhook (#sales).', {
        required: false,
      }),
    ],
  },
  {
    type: 'webhook',
    name: 'Webhook subscription',
    description:
      'Posts every event of the chosen types as JSON to a URL of yours, signed with HMAC-SHA256 and retried ' +
      'like the send_webhook action (REST hooks: how Zapier and Make subscribe).',
    config_fields: [
      field('url', 'URL', 'url', 'Where the events are posted (public http or https URL).'),
      field('event_types', 'Event types', 'string_list', 'The event types delivered.', {
        options: DOMAIN_EVENT_TYPES,
      }),
      field('secret', 'Signing secret', 'string', 'Signs each delivery (X-LeadHub-Signature header).', {
        required: false,
        secret: true,
      }),
    ],
  },
];

const BY_TYPE = new Map(INTEGRATION_TYPES.map((t) => [t.type, t]));

export function integrationType(type: string): IntegrationType | undefined {
  return BY_TYPE.get(type);
}

export const INTEGRATION_TYPE_NAMES = INTEGRATION_TYPES.map((t) => t.type);
