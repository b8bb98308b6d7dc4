import type { FieldErrors } from '../errors/api.exception';

/**
 * The problems of a request part by dotted path (`actions.0.tag`), collected rather than thrown so that every
 * problem is reported at once: first a schema pass's (`add`), then the explicit checks that read only values the
 * schema passed (`clean`).
 */
export class Problems {
  readonly errors: FieldErrors = {};

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  fail(path: string, message: string): void {
    (this.errors[path] ??= []).push(message);
  }

  add(errors: FieldErrors): void {
    for (const [path, messages] of Object.entries(errors)) for (const m of messages) this.fail(path, m);
  }

  /** Nothing is wrong at `path` or inside it. */
  clean(path: string): boolean {
    return !Object.keys(this.errors).some((k) => k === path || k.startsWith(`${path}.`));
  }

  /** Forgets the problems at and inside `path`: an explicit check that covers them words them better. */
  drop(path: string): void {
    for (const k of Object.keys(this.errors))
      if (k === path || k.startsWith(`${path}.`)) delete this.errors[k];
  }
}
