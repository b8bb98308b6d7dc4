import { setTimeout as sleep } from 'node:timers/promises';
import { QueryFailedError } from 'typeorm';

/** deadlock_detected, serialization_failure: the transaction lost a race and may simply run again. */
const RETRYABLE_CODES = new Set(['40P01', '40001']);

/** How many times a transaction runs at most before its conflict is reported (503, never 500). */
export const TRANSACTION_ATTEMPTS = 5;

/** Whether the error is a deadlock or serialization failure (also when wrapped as another error's cause). */
export function isRetryableConflict(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code =
      e instanceof QueryFailedError
        ? (e.driverError as { code?: string }).code
        : (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a whole transaction (`work` must begin and end it) again when PostgreSQL aborted it as a deadlock
 * victim or for a serialization failure, up to TRANSACTION_ATTEMPTS times with a short jittered pause (so the
 * survivors of the race finish first). Such an abort rolled everything back, so running again is safe; the
 * client never sees the race. Only for work without effects outside the database.
 */
export async function retryConflicts<T>(work: () => Promise<T>, attempts = TRANSACTION_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      await sleep(Math.random() * 20 * attempt);
    }
  }
}
