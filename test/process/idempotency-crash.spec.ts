import { ServerProcess, tempDataDir } from '../support/server-process';

const KEY = 'lh_' + 'I'.repeat(40);
const headers = {
  Authorization: `Bearer ${KEY}`,
  'Content-Type': 'application/json',
  'Idempotency-Key': 'crash-retry-1',
};
const body = JSON.stringify({ first_name: 'Crash', last_name: 'Retry' });

describe('kill -9 between the committed write and the reply', () => {
  it('the retry with the same Idempotency-Key replays the stored response: no second lead', async () => {
    const env = { DATA_DIR: tempDataDir(), LEADHUB_BOOTSTRAP_KEY: KEY };
    // Test-only hook: the server SIGKILLs itself right after the idempotent POST committed.
    const first = await ServerProcess.start({ ...env, LEADHUB_TEST_CRASH_AFTER_IDEMPOTENT_COMMIT: '1' });
    const lost = await fetch(first.url('/api/v1/leads'), { method: 'POST', headers, body }).then(
      (r) => r.status,
      () => 0,
    );
    expect(lost).toBe(0); // the client never got an answer
    await first.stop('SIGKILL');
    expect(first.proc.signalCode).toBe('SIGKILL');

    const second = await ServerProcess.start(env);
    try {
      const retry = await fetch(second.url('/api/v1/leads'), { method: 'POST', headers, body });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      const { data } = (await retry.json()) as { data: { id: number; first_name: string } };
      expect(retry.headers.get('location')).toBe(`/api/v1/leads/${data.id}`);
      expect(data.first_name).toBe('Crash');
      const list = await fetch(second.url('/api/v1/leads'), { headers: { Authorization: `Bearer ${KEY}` } });
      expect(((await list.json()) as { meta: { total: number } }).meta.total).toBe(1);
    } finally {
      await second.stop();
    }
  }, 180_000);
});
