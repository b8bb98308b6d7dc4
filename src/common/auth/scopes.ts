/** Resources of the reference and whether each has its own delete scope (DESIGN.md). */
const RESOURCES = {
  leads: true,
  pipelines: false,
  tags: false,
  users: true,
  forms: true,
  automations: true,
  integrations: false,
} as const;

type Resource = keyof typeof RESOURCES;
type Deletable = { [R in Resource]: (typeof RESOURCES)[R] extends true ? R : never }[Resource];

/** The scope vocabulary: what `@Scopes()` accepts, so a typo is a compile error rather than a closed route. */
export type Scope = `read:${Resource}` | `write:${Resource}` | `delete:${Deletable}`;

export const ALL_SCOPES: readonly Scope[] = Object.entries(RESOURCES).flatMap(
  ([name, hasDelete]) =>
    (hasDelete
      ? [`read:${name}`, `write:${name}`, `delete:${name}`]
      : [`read:${name}`, `write:${name}`]) as Scope[],
);

export const WILDCARD_SCOPE = '*';

/** Keys store plain strings (their scopes come from outside): this narrows one to the vocabulary. */
export function isKnownScope(scope: string): scope is Scope | typeof WILDCARD_SCOPE {
  return scope === WILDCARD_SCOPE || (ALL_SCOPES as readonly string[]).includes(scope);
}

export function grants(held: readonly string[], required: Scope): boolean {
  return held.includes(WILDCARD_SCOPE) || held.includes(required);
}
