import { coerceBoolean, coerceInteger, isBlank, scalarOf, snakeCase } from '../common/validation/lenient';

const TEXT_FIELDS = new Set(['first_name', 'last_name', 'email', 'phone', 'company', 'source', 'notes']);
const INTEGER_FIELDS = new Set(['lead_score']);
const BOOLEAN_FIELDS = new Set(['starred']);
const KNOWN = new Set([...TEXT_FIELDS, ...INTEGER_FIELDS, ...BOOLEAN_FIELDS, 'tags', 'custom_fields']);

export interface LenientInbound {
  /** The body with blanks dropped, scalars coerced and extra fields moved into custom_fields. */
  body: unknown;
  /** The custom_fields keys that came from extra top-level fields. */
  storedAsCustomFields: string[];
}

/**
 * The inbound body as a no-code tool sends it, made valid where the intent is clear: blanks are absent, numbers
 * sent for text (a phone as a number) become text, numeric/boolean strings become numbers/booleans where the field
 * is one, a tag list may be a comma-separated string, and unknown top-level fields are kept in custom_fields
 * under snake_case keys (`"Budget Range"` → `budget_range`) — explicit custom_fields keys win. What is still
 * wrong (no or a bad email, values over the bounds) is left for validation to report.
 */
export function lenientInbound(raw: unknown): LenientInbound {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return { body: raw, storedAsCustomFields: [] };
  const input = raw as Record<string, unknown>;
  const body: [string, unknown][] = [];
  const extras: [string, string | number | boolean][] = [];
  for (const [key, value] of Object.entries(input)) {
    if (isBlank(value)) continue;
    let field = key;
    if (!KNOWN.has(field)) {
      const snake = snakeCase(key);
      // `Email`, `firstName`: a known field under another spelling, when the exact one was not sent.
      if (KNOWN.has(snake) && snake !== 'custom_fields' && !Object.hasOwn(input, snake)) field = snake;
      else {
        extras.push([snake || key, scalarOf(value)]);
        continue;
      }
    }
    body.push([field, normalise(field, value)]);
  }
  const explicit = body.find(([k]) => k === 'custom_fields')?.[1];
  const explicitKeys =
    explicit && typeof explicit === 'object' && !Array.isArray(explicit) ? Object.keys(explicit) : [];
  const kept = extras.filter(([k]) => !explicitKeys.includes(k));
  if (kept.length) {
    const merged = [...kept, ...(explicitKeys.length ? Object.entries(explicit as object) : [])];
    const at = body.findIndex(([k]) => k === 'custom_fields');
    if (at >= 0) body.splice(at, 1);
    // fromEntries defines own keys: an extra field named `constructor` stays a plain key.
    body.push(['custom_fields', Object.fromEntries(merged)]);
  }
  return { body: Object.fromEntries(body), storedAsCustomFields: [...new Set(kept.map(([k]) => k))] };
}

function normalise(field: string, value: unknown): unknown {
  if (TEXT_FIELDS.has(field) && (typeof value === 'number' || typeof value === 'boolean'))
    return String(value);
  if (INTEGER_FIELDS.has(field)) return coerceInteger(value);
  if (BOOLEAN_FIELDS.has(field)) return coerceBoolean(value);
  if (field === 'tags') {
    const list = typeof value === 'string' ? value.split(',') : value;
    return Array.isArray(list)
      ? list.filter((t) => !isBlank(t)).map((t) => (typeof t === 'number' ? String(t) : t))
      : list;
  }
  return value;
}
