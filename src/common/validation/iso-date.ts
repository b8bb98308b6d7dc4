import { registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * The one reading of a date given to the API (filters, body fields, the CLI): an ISO 8601 calendar date
 * (2026-03-28) or date-time (2026-03-28T09:15, seconds and up to 6 fraction digits optional, offset optional —
 * UTC when absent), years 0001 to 9999, and a real day and time (no 2026-02-30, no 24:00). Anything else is a
 * 422 naming the field — never a value the database cannot represent (that was a 500).
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?$/i;

export interface IsoDate {
  /** Epoch milliseconds of the instant (00:00 UTC for a calendar date). */
  ms: number;
  /** Microseconds beyond `ms` (0–999): PostgreSQL keeps them, a JavaScript Date does not. */
  micros: number;
  /** A calendar date without a time. */
  dateOnly: boolean;
}

export function parseIsoDate(value: unknown): IsoDate | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const [offH, offM] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offH > 18 || offM > 59) return undefined;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC: it reads years 0–99 as 1900–1999
  const fraction = (m[7] ?? '').padEnd(6, '0');
  d.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3)));
  const offset = (m[9] === '-' ? -1 : 1) * (offH * 60 + offM) * 60_000;
  return { ms: d.getTime() - offset, micros: Number(fraction.slice(3)), dateOnly: m[4] === undefined };
}

function daysIn(year: number, month: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 0);
  return d.getUTCDate();
}

const FIRST = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d.getTime();
})();
const AFTER_LAST = (() => {
  const d = new Date(0);
  d.setUTCFullYear(10000, 0, 1);
  return d.getTime();
})();

/**
 * An instant as PostgreSQL reads it. An offset can carry a valid date just past the years the API stores
 * (9999-12-31T23:00-05:00 is in year 10000); such bounds become ±infinity, which compare correctly with every
 * stored timestamp.
 */
export function sqlInstant(ms: number, micros = 0): string {
  if (ms < FIRST) return '-infinity';
  if (ms >= AFTER_LAST) return 'infinity';
  return new Date(ms).toISOString().replace('Z', `${String(micros).padStart(3, '0')}Z`);
}

/**
 * A filter bound: a date alone is 00:00 UTC of that day and, for an upper bound, 00:00 of the next day (compare
 * with `<`, so the whole day is included); a date-time is its instant (compare with `<=`).
 */
export function dateBound(value: string, side: 'after' | 'before'): { sql: string; inclusive: boolean } {
  const d = parseIsoDate(value);
  if (!d) throw new Error(`not a valid date: ${value}`); // validated before: never reached from a request
  if (side === 'before' && d.dateOnly) return { sql: sqlInstant(d.ms + 86_400_000), inclusive: false };
  return { sql: sqlInstant(d.ms, d.micros), inclusive: true };
}

export const dateMessage = (field: string) =>
  `The ${field} field must be an ISO 8601 date (2026-03-28) or date-time (2026-03-28T09:15:00+00:00) between the years 0001 and 9999.`;

/** Validates an ISO 8601 date or date-time by parseIsoDate (422 with dateMessage). */
export function IsIsoDate() {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIsoDate',
      target: target.constructor,
      propertyName,
      validator: {
        validate: (value: unknown) => parseIsoDate(value) !== undefined,
        defaultMessage: (args: ValidationArguments) => dateMessage(args.property),
      },
    });
}
