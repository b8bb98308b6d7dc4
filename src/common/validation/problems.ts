import type { FieldErrors } from '../errors/api.exception';

/**
 * The problems of a request part by dotted path (`actions.0.tag`), collected rather than thrown so that every
 * problem is reported at once: first a schema pass's (`add`), then the explicit checks that read only values the
 * schema passed (`clean`).
 */
export class Problems {
  readonly errors: FieldErrors = {};
  /** Every path with a problem at or inside it: `clean` stays O(1) on a body with thousands of problems. */
  private readonly troubled = new Set<string>();

  get ok(): boolean {
    return this.troubled.size === 0;
  }

  fail(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
    this.mark(path);
  }

  add(errors: FieldErrors): void {
    for (const [path, messages] of Object.entries(errors)) for (const m of messages) this.fail(path, m);
  }

  /** Nothing is wrong at `path` or inside it. */
  clean(path: string): boolean {
    return !this.troubled.has(path);
  }

  /** Forgets the problems at and inside `path`: an explicit check that covers them words them better. */
  drop(path: string): void {
    if (this.clean(path)) return;
    for (const k of Object.keys(this.errors))
      if (k === path || k.startsWith(`${path}.`)) delete this.errors[k];
    this.troubled.clear();
    for (const k of Object.keys(this.errors)) this.mark(k);
  }

  /** `a.0.b`, `a.0` and `a` (stopping at one already marked: its parents are too). */
  private mark(path: string): void {
    for (let at = path; !this.troubled.has(at);) {
      this.troubled.add(at);
      const dot = at.lastIndexOf('.');
      if (dot < 0) break;
      at = at.slice(0, dot);
    }
  }
}
