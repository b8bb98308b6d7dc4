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

export const ALL_SCOPES: readonly string[] = Object.entries(RESOURCES).flatMap(([name, hasDelete]) =>
  hasDelete ? [`read:${name}`, `write:${name}`, `delete:${name}`] : [`read:${name}`, `write:${name}`],
);

export const WILDCARD_SCOPE = '*';

export function isKnownScope(scope: string): boolean {
  return scope === WILDCARD_SCOPE || ALL_SCOPES.includes(scope);
}

export function grants(held: readonly string[], required: string): boolean {
  return held.includes(WILDCARD_SCOPE) || held.includes(required);
}
