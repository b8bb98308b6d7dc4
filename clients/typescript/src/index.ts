export { createLeadHubClient, LeadHubClient } from './client.js';
export type { LeadHubClientOptions, LeadHubMethod, ListItem, ListPath, Page } from './client.js';
export { LeadHubApiError, type ErrorCode } from './errors.js';
export { IDEMPOTENCY_HEADER, newIdempotencyKey, type RetryInfo, type RetryOptions } from './retry.js';
export type * from './generated/openapi.js';
