import type { ApiException } from '../errors/api.exception';
import { BODY_BOUNDS, tooDeep, tooManyIn, tooManyValues } from './body-bounds';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * The body bounds (BODY_BOUNDS), checked on the raw bytes of a JSON body before JSON.parse builds anything: one
 * pass that counts object members, array items, values and depth, and stops at the first bound exceeded. JSON.parse
 * of a 110,000-key object holds the event loop for tens of milliseconds; this refuses it after its 201st key.
 * Structure is ASCII, and no byte of a multi-byte UTF-8 character is below 0x80, so bytes are scanned, not text;
 * strings are skipped with indexOf (memchr). Lenient by design: on anything that is not JSON it stops and lets the
 * parser answer 400 — so a body both malformed and over a bound before the malformation is a 422. Members are
 * counted as written (a key written twice counts twice).
 */
export function jsonShapeProblem(buf: Buffer): ApiException | undefined {
  // Per open container (index 0 is the body itself): array or object, members so far, whether the next token
  // starts a member, and where it sits in its parent (key bytes or item index) to name it in the error.
  const isArray: boolean[] = [];
  const count: number[] = [];
  const awaiting: boolean[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  let top = -1;
  let values = 0;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const c = buf[i];
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === COLON) {
      i++;
      continue;
    }
    if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (top < 0) return undefined;
      top--;
      i++;
      continue;
    }
    if (c === COMMA) {
      if (top < 0) return undefined;
      awaiting[top] = true;
      i++;
      continue;
    }
    // A token starts: a member (array item, or object key) when its container awaits one.
    if (top >= 0 && awaiting[top] && (isArray[top] || c === QUOTE)) {
      awaiting[top] = false;
      const bound = isArray[top] ? BODY_BOUNDS.maxItems : BODY_BOUNDS.maxKeys;
      if (++count[top] > bound) return tooManyIn(pathOf(top), bound, isArray[top] ? 'items' : 'keys');
      if (++values > BODY_BOUNDS.maxValues) return tooManyValues();
      if (!isArray[top]) {
        const end = stringEnd(buf, i);
        if (end < 0) return undefined;
        keyStart[top] = i;
        keyEnd[top] = end;
        i = end + 1;
        continue;
      }
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++top >= BODY_BOUNDS.maxDepth) return tooDeep();
      isArray[top] = c === OPEN_ARRAY;
      count[top] = 0;
      awaiting[top] = true;
      i++;
    } else if (c === QUOTE) {
      const end = stringEnd(buf, i);
      if (end < 0) return undefined;
      i = end + 1;
    } else i++; // numbers, true/false/null, or bytes the parser will refuse
  }
  return undefined;

  /** The dotted path of open container `level`, as the parsed-body walk names it ('' for the body). */
  function pathOf(level: number): string {
    const parts: string[] = [];
    for (let l = 1; l <= level; l++) {
      const parent = l - 1;
      const part = isArray[parent]
        ? String(count[parent] - 1)
        : keyText(buf, keyStart[parent], keyEnd[parent]);
      parts.push(part.length > 64 ? `${part.slice(0, 64)}…` : part);
    }
    return parts.join('.');
  }
}

/** Index of the quote closing the string that opens at `start`; -1 when it never closes. */
function stringEnd(buf: Buffer, start: number): number {
  let q = start;
  for (;;) {
    q = buf.indexOf(QUOTE, q + 1);
    if (q < 0) return -1;
    let backslashes = 0;
    while (buf[q - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
}

/** A key as the parser would read it (escapes resolved); its raw bytes if they are not a valid JSON string. */
function keyText(buf: Buffer, start: number, end: number): string {
  const raw = buf.toString('utf8', start, end + 1);
  try {
    return JSON.parse(raw) as string;
  } catch {
    return raw.slice(1, -1);
  }
}
