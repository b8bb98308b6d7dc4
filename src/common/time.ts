/** ISO 8601 with an explicit offset, as the reference writes it: `2026-03-28T09:15:00+00:00`. */
export function isoTimestamp(date: Date): string;
export function isoTimestamp(date: Date | null | undefined): string | null;
export function isoTimestamp(date: Date | null | undefined): string | null {
  if (!date) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
