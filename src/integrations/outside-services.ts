/**
 * Base URLs of the outside services integrations call, from the environment (validated in
 * src/config/config.ts), defaulting to the real services. They are the operator's choice, so calls to them
 * are not put through the SSRF guard (tests point them at local fakes); URLs tenants enter always are.
 * Read once at start into AppConfig (`outsideServices`).
 */
export interface OutsideServices {
  /** Graph API root including its version: `GET {graph}/{leadgen_id}`. */
  facebookGraphUrl: string;
  /** Mailgun messages API roots: `POST {base}/v3/{domain}/messages`. */
  mailgunUrl: { us: string; eu: string };
}

export const OUTSIDE_SERVICE_DEFAULTS = {
  LEADHUB_FACEBOOK_GRAPH_URL: 'https://graph.facebook.com/v21.0',
  LEADHUB_MAILGUN_API_URL: 'https://api.mailgun.net',
  LEADHUB_MAILGUN_EU_API_URL: 'https://api.eu.mailgun.net',
} as const;

export function outsideServices(
  env: Partial<Record<keyof typeof OUTSIDE_SERVICE_DEFAULTS, string>> = {},
): OutsideServices {
  const read = (name: keyof typeof OUTSIDE_SERVICE_DEFAULTS) =>
    (env[name] || OUTSIDE_SERVICE_DEFAULTS[name]).replace(/\/+$/, '');
  return {
    facebookGraphUrl: read('LEADHUB_FACEBOOK_GRAPH_URL'),
    mailgunUrl: { us: read('LEADHUB_MAILGUN_API_URL'), eu: read('LEADHUB_MAILGUN_EU_API_URL') },
  };
}
