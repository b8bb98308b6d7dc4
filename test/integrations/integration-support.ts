import { createHmac } from 'node:crypto';
import type { TestApp } from '../support/test-app';

/** Creates an integration through the API and returns its response data. */
export async function createIntegration(
  t: TestApp,
  key: string,
  type: string,
  config: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const res = await t.post('/api/v1/integrations', { type, name: `${type} test`, config, ...extra }, { key });
  if (res.status !== 201) throw new Error(`create ${type} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { id: number; receiver_url: string | null; config: Record<string, unknown> };
}

/** The path part of an absolute receiver URL (the test app is called by path). */
export const pathOf = (url: string | null) => new URL(url!).pathname;

/** Meta's signature header over the exact body. */
export const hubSignature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A Lead Ads webhook body announcing these leadgen ids for a page. */
export function leadgenBody(pageId: string, ...leadgenIds: string[]): string {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: 1764000000,
        changes: leadgenIds.map((id) => ({
          field: 'leadgen',
          value: { leadgen_id: id, page_id: pageId, form_id: '555', ad_id: '666', created_time: 1764000000 },
        })),
      },
    ],
  });
}

export async function deliveries(t: TestApp, key: string, integrationId: number) {
  const res = await t.get(`/api/v1/integrations/${integrationId}/deliveries?per_page=100`, { key });
  if (res.status !== 200) throw new Error(`deliveries → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}
