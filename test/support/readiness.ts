import type { TestApp, TestResponse } from './test-app';

interface ReadyBody {
  status?: string;
  redis?: string;
  backlog?: { events: number } | null;
}

/** Polls /api/v1/health/ready (its result is cached about a second) until `until(body)` or the deadline. */
export async function pollReady(
  t: TestApp,
  until: (body: ReadyBody) => boolean,
  ms = 15_000,
): Promise<TestResponse> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await t.get('/api/v1/health/ready');
    if (until(res.body) || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 200));
  }
}
