import { Injectable } from '@nestjs/common';
import { SecretBox } from '../common/crypto/secret-box';
import { ApiException } from '../common/errors/api.exception';
import { publicUrlProblem } from '../common/net/ssrf-guard';
import { AppConfig } from '../config/app-config';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import type { StoredAction } from './automation-definition';
import { Automation } from './automation.entity';
import { AutomationsRepository } from './automations.repository';
import { DefinitionChecker, type References } from './automation.validator';
import { AutomationFiltersDto, CreateAutomationDto, UpdateAutomationDto } from './dto/automation.dto';
import { AutomationResponse } from './dto/automation.response';
import { found } from '../common/crud/found';

@Injectable()
export class AutomationsService {
  constructor(
    private readonly automations: AutomationsRepository,
    private readonly box: SecretBox,
    private readonly appConfig: AppConfig,
  ) {}

  list(workspaceId: number, q: AutomationFiltersDto): Promise<Page<Automation>> {
    return this.automations.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<Automation> {
    return found(await this.automations.findInWorkspace(workspaceId, id), 'automation');
  }

  async create(workspaceId: number, dto: CreateAutomationDto): Promise<Automation> {
    const def = await this.definition(workspaceId, dto.trigger, dto.actions, []);
    return this.automations.create({
      workspaceId,
      name: dto.name,
      isActive: dto.is_active ?? true,
      triggerType: def.trigger!.type,
      conditions: def.trigger!.conditions,
      actions: def.actions!,
    });
  }

  /** Partial update; a trigger or actions, when sent, replace the stored ones as a whole. */
  async update(workspaceId: number, id: number, dto: UpdateAutomationDto): Promise<Automation> {
    const automation = await this.get(workspaceId, id);
    const def = await this.definition(workspaceId, dto.trigger, dto.actions, automation.actions);
    if (def.trigger) {
      automation.triggerType = def.trigger.type;
      automation.conditions = def.trigger.conditions;
    }
    if (def.actions) automation.actions = def.actions;
    if (dto.name !== undefined) automation.name = dto.name;
    if (dto.is_active !== undefined) automation.isActive = dto.is_active;
    return this.automations.save(automation);
  }

  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.automations.delete(workspaceId, id))) throw ApiException.notFound('automation');
  }

  toResponse = (a: Automation): AutomationResponse => ({
    id: a.id,
    name: a.name,
    is_active: a.isActive,
    trigger: { type: a.triggerType, conditions: a.conditions },
    actions: a.actions.map((action) =>
      action.type === 'send_webhook' && action.secret !== undefined
        ? { ...action, secret: this.box.maskStored(action.secret) }
        : action,
    ),
    run_count: a.runCount,
    last_run_at: isoTimestamp(a.lastRunAt),
    created_at: isoTimestamp(a.createdAt),
    updated_at: isoTimestamp(a.updatedAt),
  });

  /**
   * Checks a trigger and actions (either may be absent on update): the shape, then the records and URLs
   * they point at; encrypts webhook secrets. Every problem is reported at once, by dotted path.
   */
  private async definition(
    workspaceId: number,
    trigger: unknown,
    actions: unknown,
    previous: StoredAction[],
  ) {
    const check = new DefinitionChecker();
    const def = {
      trigger: trigger === undefined ? undefined : check.trigger(trigger),
      actions: actions === undefined ? undefined : check.actions(actions),
    };
    await this.checkReferences(workspaceId, check.refs, check);
    if (check.ok && def.actions) def.actions = this.sealSecrets(def.actions, previous, check);
    if (!check.ok) throw ApiException.validation(check.errors);
    return def;
  }

  private async checkReferences(workspaceId: number, refs: References, check: DefinitionChecker) {
    for (const kind of ['user', 'stage', 'pipeline'] as const) {
      const ids = [...new Set(refs[kind].map((r) => r.id))];
      if (!ids.length) continue;
      const found = await this.automations.existingIds(kind, workspaceId, ids);
      for (const r of refs[kind])
        if (!found.has(r.id)) check.fail(r.path, `The ${r.path} field must be a ${kind} of this workspace.`);
    }
    const integrationIds = [...new Set(refs.integrations.map((r) => r.id))];
    if (integrationIds.length) {
      const types = await this.automations.integrationTypes(workspaceId, integrationIds);
      for (const r of refs.integrations)
        if (types.get(r.id) !== r.type)
          check.fail(r.path, `The ${r.path} field must be a ${r.type} integration of this workspace.`);
    }
    const problems = await Promise.all(
      refs.urls.map((u) =>
        publicUrlProblem(u.url, u.path, { allowPrivate: this.appConfig.allowPrivateUrls }),
      ),
    );
    problems.forEach((p, i) => p && check.fail(refs.urls[i].path, p));
  }

  /**
   * Encrypts new webhook secrets. A masked value (as a response showed it) keeps the stored secret of the
   * webhook at the same position, else of the first stored webhook secret with that mask.
   */
  private sealSecrets(actions: StoredAction[], previous: StoredAction[], check: DefinitionChecker) {
    const stored = previous.map((p) => (p.type === 'send_webhook' ? p.secret : undefined));
    return actions.map((action, i) => {
      if (action.type !== 'send_webhook' || action.secret === undefined) return action;
      const submitted = action.secret;
      if (!SecretBox.looksMasked(submitted)) return { ...action, secret: this.box.encrypt(submitted) };
      const candidates = [stored[i], ...stored.filter((_, j) => j !== i)];
      const match = candidates.find((s) => s !== undefined && this.box.maskStored(s) === submitted);
      if (match === undefined) {
        check.fail(
          `actions.${i}.secret`,
          `The actions.${i}.secret field is a masked value that matches no stored secret; send the secret in full.`,
        );
        return action;
      }
      return { ...action, secret: match };
    });
  }
}
