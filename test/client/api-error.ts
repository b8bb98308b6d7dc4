import { LeadHubApiError } from '../../clients/typescript/src/index.js';

/** The LeadHubApiError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function apiError(call: Promise<unknown>): Promise<LeadHubApiError> {
  const outcome = await call.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`expected a LeadHubApiError, got ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(LeadHubApiError);
  return outcome.error as LeadHubApiError;
}
