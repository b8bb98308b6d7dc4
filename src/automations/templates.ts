import Mustache from 'mustache';

/**
 * Message templates of the send_email and notify_slack actions: Mustache (`{{first_name}}`,
 * `{{custom_fields.budget}}`, `{{#tags}}…{{/tags}}`), rendered with the lead as the API shows it.
 * Values are escaped for where they go: HTML for an e-mail's HTML body, Slack's three control characters
 * (& < >) for Slack text, nothing for a plain-text body or a subject. `{{{x}}}` (unescaped) is refused in
 * HTML and Slack templates, so a lead's own data can never inject markup or mentions.
 */
export type TemplateTarget = 'plain' | 'html' | 'slack';

const ESCAPES: Record<TemplateTarget, (s: string) => string> = {
  plain: (s) => s,
  html: (s) => Mustache.escape(s),
  slack: (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
};

/** Why a template cannot be used (a syntax error, or an unescaped tag where escaping matters). */
export function templateProblem(template: string, target: TemplateTarget): string | undefined {
  let tokens: unknown[];
  try {
    tokens = Mustache.parse(template);
  } catch (err) {
    return `is not a valid template: ${(err as Error).message.split('\n')[0]}`;
  }
  if (target !== 'plain' && hasUnescaped(tokens))
    return 'must not use unescaped tags ({{{…}}} or {{&…}}): values are escaped for where they go.';
  if (tokens.some((t) => Array.isArray(t) && t[0] === '>')) return 'must not use partials ({{>…}}).';
  return undefined;
}

function hasUnescaped(tokens: unknown[]): boolean {
  return tokens.some(
    (t) => Array.isArray(t) && (t[0] === '&' || (Array.isArray(t[4]) && hasUnescaped(t[4] as unknown[]))),
  );
}

export function renderTemplate(template: string, view: object, target: TemplateTarget): string {
  return Mustache.render(template, view, {}, { escape: ESCAPES[target] });
}
