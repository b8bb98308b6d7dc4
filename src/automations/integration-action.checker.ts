import { ACTION_INTEGRATION_TYPES, type StoredAction } from './automation-definition';
import { CheckerBase, isId } from './checker-base';
import { type TemplateTarget, templateProblem } from './templates';

/** The checks of the actions that act through an integration (DefinitionChecker builds on it). */
export class IntegrationActionChecker extends CheckerBase {
  /** send_email / notify_slack: an integration of the right type (checked later) and valid templates. */
  protected integrationAction(
    type: 'send_email' | 'notify_slack',
    a: Record<string, unknown>,
    path: string,
  ): StoredAction | undefined {
    const before = Object.keys(this.errors).length;
    const id = a.integration_id;
    if (!isId(id))
      this.fail(`${path}.integration_id`, `The ${path}.integration_id field must be a positive integer id.`);
    else
      this.refs.integrations.push({
        id,
        path: `${path}.integration_id`,
        type: ACTION_INTEGRATION_TYPES[type],
      });
    const tpl = (key: string, target: TemplateTarget, max: number) => {
      const v = a[key];
      if (v === undefined || v === null) return undefined;
      const p = `${path}.${key}`;
      const text = this.text(v, p, max);
      const problem = text === undefined ? undefined : templateProblem(text, target);
      if (problem) this.fail(p, `The ${p} field ${problem}`);
      return text;
    };
    if (type === 'notify_slack') {
      const text = tpl('text', 'slack', 4000);
      return Object.keys(this.errors).length === before
        ? { type, integration_id: id as number, text: text as string }
        : undefined;
    }
    const to = tpl('to', 'plain', 320);
    const subject = tpl('subject', 'plain', 998);
    const text = tpl('text', 'plain', 100_000);
    const html = tpl('html', 'html', 100_000);
    if (text === undefined && html === undefined)
      this.fail(`${path}.text`, `The ${path}.text or ${path}.html field is required.`);
    if (Object.keys(this.errors).length !== before) return undefined;
    return {
      type,
      integration_id: id as number,
      subject: subject as string,
      ...(to !== undefined ? { to } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(html !== undefined ? { html } : {}),
    };
  }
}
