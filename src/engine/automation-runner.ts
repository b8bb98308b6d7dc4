import { Inject, Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { Automation } from '../automations/automation.entity';
import { EventsService } from '../events/events.service';
import type { LeadRecord } from '../leads/lead-record';
import { LeadsService } from '../leads/leads.service';
import type { RecordedEvent } from '../events/domain-event';
import { ActionExecutor, type PendingWebhook } from './action-executor';
import type { NewRun } from './automation-runs.repository';
import type { ClaimedEvent } from './claimed-events.repository';
import { conditionsHold } from './conditions';
import { ENGINE_CONFIG } from './engine.tokens';
import type { EngineConfig } from './engine-config';
import { RunLogService } from './run-log.service';
import { WebhookDeliveries } from './webhook-deliveries';

export interface EventOutcome {
  /** Automations whose actions ran (succeeded or failed): they count as runs. */
  ran: number[];
  deliveries: number;
}

/**
 * What the events of one worker batch share (one transaction): the leads as the transaction last saw them, and
 * the writes every run makes that nothing in the batch reads back, saved for one statement each at the end
 * (flush): the run log rows (in the order of the runs), the deliveries they asked for and the chain budgets of the
 * events they recorded.
 */
export class RunBatch {
  /** Leads by id: loaded for the whole batch at its start, then as each run left them (undefined: gone). */
  readonly leads = new Map<number, LeadRecord | undefined>();
  readonly runs: { run: NewRun; webhooks: PendingWebhook[] }[] = [];
  readonly budgets: { events: RecordedEvent[]; budget: number }[] = [];
}

/** A run that would record more events than its share of the chain budget left; its savepoint is undone. */
class OverBudget extends Error {
  constructor(
    readonly events: number,
    readonly share: number,
  ) {
    super('over budget');
  }
}

/**
 * Runs the automations that match one claimed event, inside the worker's transaction. Each run is atomic
 * (a savepoint): all its actions are applied, or none when one fails. Every automation considered leaves a
 * row in the run log. Database trouble that is not the run's fault (deadlock, serialization failure, lost
 * connection, timeout) is rethrown so the whole batch rolls back and its events are claimed again.
 *
 * Work is bounded per causal chain (everything one change made through the API leads to), in length and in
 * breadth: an event caused by MAX_DEPTH runs runs nothing (`cut`, `depth_limit`), and each event carries a
 * budget (`payload.budget`; a change made through the API starts with LEADHUB_AUTOMATION_CHAIN_BUDGET). The
 * event's budget is shared out among the automations it triggers; a run costs 1 plus 1 per event its actions
 * record, and what is left of its share is shared out among those events. A run whose share is used up, or
 * whose events would not fit in it (its changes are then undone), is `cut` with `chain_budget`. So one
 * change causes at most budget runs + events, however automations fan out.
 */
@Injectable()
export class AutomationRunner {
  constructor(
    private readonly events: EventsService,
    private readonly leads: LeadsService,
    private readonly executor: ActionExecutor,
    private readonly runLog: RunLogService,
    private readonly deliveries: WebhookDeliveries,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  /** Loads the leads of the events that have automations to run into the batch (one statement). */
  async preload(batch: RunBatch, work: { event: ClaimedEvent; automations: Automation[] }[]): Promise<void> {
    const byWorkspace = new Map<number, number[]>();
    for (const { event, automations } of work) {
      if (!automations.length || event.lead_id === null || batch.leads.has(event.lead_id)) continue;
      const ids = byWorkspace.get(event.workspace_id) ?? [];
      if (!ids.length) byWorkspace.set(event.workspace_id, ids);
      ids.push(event.lead_id);
    }
    for (const [workspaceId, ids] of byWorkspace) {
      const found = await this.leads.findMany(workspaceId, ids);
      for (const id of ids) batch.leads.set(id, found.get(id));
    }
  }

  /** The batch's saved writes: the chain budgets, the run log rows, their deliveries. */
  async flush(batch: RunBatch): Promise<void> {
    await this.events.setBudgets(batch.budgets);
    const ids = await this.runLog.recordAll(batch.runs.map((r) => r.run));
    for (const [i, { webhooks }] of batch.runs.entries())
      if (webhooks.length) await this.deliveries.enqueue(ids[i], webhooks);
  }

  async handle(event: ClaimedEvent, automations: Automation[], batch: RunBatch): Promise<EventOutcome> {
    const outcome: EventOutcome = { ran: [], deliveries: 0 };
    if (!automations.length) return outcome;
    const depth = Number(event.payload.depth ?? 0);
    let lead = await this.currentLead(event, batch);
    const record = (run: NewRun, webhooks: PendingWebhook[] = []) => batch.runs.push({ run, webhooks });
    // Which automations run is decided on the lead as the event finds it, before any of them changed it (a
    // later automation must not match because an earlier one just changed the lead: that is a new event).
    const matching = automations.filter((a) => lead && conditionsHold(a.conditions, lead));
    const shares = shareOut(this.budgetOf(event), matching.length);
    for (const automation of automations) {
      const base = {
        workspaceId: event.workspace_id,
        automationId: automation.id,
        eventId: event.id,
        eventType: event.type,
        leadId: event.lead_id,
        depth,
        actionsApplied: [],
        error: null,
      };
      if (!lead) {
        record({ ...base, status: 'skipped', error: 'The lead no longer exists.' });
        continue;
      }
      const index = matching.indexOf(automation);
      if (index < 0) {
        record({ ...base, status: 'skipped' });
        continue;
      }
      if (depth >= this.config.maxDepth) {
        const error = `Chain depth limit reached: ${depth} automation runs led to this event (limit ${this.config.maxDepth}); actions not run.`;
        record({ ...base, status: 'cut', cutReason: 'depth_limit', error });
        continue;
      }
      const share = shares[index];
      if (share < 1) {
        const error = `Chain budget used up: the change that started this chain has caused as many automation runs and events as it may (${this.config.chainBudget}); actions not run.`;
        record({ ...base, status: 'cut', cutReason: 'chain_budget', error });
        continue;
      }
      const current: LeadRecord = lead;
      this.events.setChain({ depth: depth + 1, budget: 0 });
      try {
        const result = await this.events.savepoint(async () => {
          const mark = this.events.recordedCount();
          const done = await this.executor.run(automation, current, event);
          const caused = this.events.recordedSince(mark);
          const left = share - 1 - caused.length;
          if (left < 0) throw new OverBudget(caused.length, share);
          return { done, caused, budget: caused.length ? Math.floor(left / caused.length) : 0 };
        });
        // Saved for the end of the batch (flush): nothing in it reads them back, and the run's changes are kept.
        if (result.caused.length) batch.budgets.push({ events: result.caused, budget: result.budget });
        record({ ...base, status: 'succeeded', actionsApplied: result.done.applied }, result.done.webhooks);
        outcome.ran.push(automation.id);
        outcome.deliveries += result.done.webhooks.length;
        // The lead as the actions left it (their last read of it); a failed or cut run changed nothing.
        lead = result.done.lead;
      } catch (err) {
        if (transient(err)) throw err;
        if (err instanceof OverBudget) {
          const error = `Chain budget exceeded: the actions would have recorded ${err.events} event(s), more than this run's share of the chain budget (${err.share}) allows; no change kept.`;
          record({ ...base, status: 'cut', cutReason: 'chain_budget', error });
        } else {
          outcome.ran.push(automation.id);
          record({ ...base, status: 'failed', error: message(err) });
        }
      } finally {
        this.events.setChain(undefined);
      }
      if (event.lead_id !== null) batch.leads.set(event.lead_id, lead);
    }
    return outcome;
  }

  /** The event's budget: what its chain may still cause (a change made through the API: the whole budget). */
  private budgetOf(event: ClaimedEvent): number {
    const budget = Number(event.payload.budget);
    return Number.isInteger(budget) && budget >= 0 ? budget : this.config.chainBudget;
  }

  /** The event's lead as this batch last saw it (read now if the batch has not). */
  private async currentLead(event: ClaimedEvent, batch: RunBatch): Promise<LeadRecord | undefined> {
    if (event.lead_id === null) return undefined;
    if (batch.leads.has(event.lead_id)) return batch.leads.get(event.lead_id);
    const lead = await this.leads.find(event.workspace_id, event.lead_id);
    batch.leads.set(event.lead_id, lead);
    return lead;
  }
}

/** `budget` split into `n` shares differing by at most 1, the larger ones first (automations in id order). */
function shareOut(budget: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(budget / n) + (i < budget % n ? 1 : 0));
}

/** SQLSTATE classes that say "try again later", not "this run is wrong". */
const TRANSIENT_CLASSES = ['08', '40', '53', '55', '57'];

export function transient(err: unknown): boolean {
  if (err && typeof err === 'object' && 'cause' in err && err.cause !== err && transient(err.cause))
    return true;
  if (err instanceof QueryFailedError) {
    const code = String((err.driverError as { code?: string }).code ?? '');
    return TRANSIENT_CLASSES.includes(code.slice(0, 2));
  }
  return false;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
