import { Injectable } from '@nestjs/common';
import { QueryFailedError, type EntityManager } from 'typeorm';
import type { Automation } from '../automations/automation.entity';
import { ApiException } from '../common/errors/api.exception';
import { EventsService } from '../events/events.service';
import type { LeadRecord } from '../leads/lead-row';
import { LeadsService } from '../leads/leads.service';
import { ActionExecutor } from './action-executor';
import type { ClaimedEvent } from './claimed-event';
import { conditionsHold } from './conditions';
import { MAX_DEPTH } from './engine-config';
import { RunLogService } from './run-log.service';
import { WebhookDeliveries } from './webhook-deliveries';

export interface EventOutcome {
  /** Automations whose actions ran (succeeded or failed): they count as runs. */
  ran: number[];
  deliveries: number;
}

/**
 * Runs the automations that match one claimed event, inside the worker's transaction. Each run is atomic
 * (a savepoint): all its actions are applied, or none when one fails. Every automation considered leaves a
 * row in the run log. Database trouble that is not the run's fault (deadlock, serialization failure, lost
 * connection, timeout) is rethrown so the whole batch rolls back and its events are claimed again.
 */
@Injectable()
export class AutomationRunner {
  constructor(
    private readonly events: EventsService,
    private readonly leads: LeadsService,
    private readonly executor: ActionExecutor,
    private readonly runLog: RunLogService,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  async handle(m: EntityManager, event: ClaimedEvent, automations: Automation[]): Promise<EventOutcome> {
    const outcome: EventOutcome = { ran: [], deliveries: 0 };
    if (!automations.length) return outcome;
    const depth = Number(event.payload.depth ?? 0);
    let lead = await this.currentLead(m, event);
    // Which automations run is decided on the lead as the event finds it, before any of them changed it (a
    // later automation must not match because an earlier one just changed the lead: that is a new event).
    const matching = new Set(automations.filter((a) => lead && conditionsHold(a.conditions, lead)));
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
        await this.runLog.record(m, { ...base, status: 'skipped', error: 'The lead no longer exists.' });
        continue;
      }
      if (!matching.has(automation)) {
        await this.runLog.record(m, { ...base, status: 'skipped' });
        continue;
      }
      if (depth >= MAX_DEPTH) {
        const error = `Chain depth limit reached: ${depth} automation runs led to this event (limit ${MAX_DEPTH}); actions not run.`;
        await this.runLog.record(m, { ...base, status: 'cut', error });
        continue;
      }
      outcome.ran.push(automation.id);
      const current: LeadRecord = lead;
      this.events.setDepth(m, depth + 1);
      try {
        const result = await this.events.savepoint(m, async () => {
          const done = await this.executor.run(m, automation, current, event);
          const runId = await this.runLog.record(m, {
            ...base,
            status: 'succeeded',
            actionsApplied: done.applied,
          });
          await this.deliveries.enqueue(m, runId, done.webhooks);
          return done;
        });
        outcome.deliveries += result.webhooks.length;
      } catch (err) {
        if (transient(err)) throw err;
        await this.runLog.record(m, { ...base, status: 'failed', error: message(err) });
      } finally {
        this.events.setDepth(m, 0);
      }
      lead = await this.currentLead(m, event);
    }
    return outcome;
  }

  private async currentLead(m: EntityManager, event: ClaimedEvent): Promise<LeadRecord | undefined> {
    if (event.lead_id === null) return undefined;
    try {
      return await this.leads.get(event.workspace_id, event.lead_id, m);
    } catch (err) {
      if (err instanceof ApiException) return undefined;
      throw err;
    }
  }
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
