import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';

export interface NewEventRow {
  workspaceId: number;
  type: string;
  leadId: number | null;
  payload: Record<string, unknown>;
}

/** The `domain_events` outbox, written in the current transaction. */
@Injectable()
export class DomainEventsRepository extends TxRepository {
  /** Inserts the events in one statement; returns their ids and times in the same order. */
  async insert(events: NewEventRow[]): Promise<{ id: string; created_at: Date }[]> {
    const params: unknown[] = [];
    const values = events.map((e) => {
      params.push(e.workspaceId, e.type, e.leadId, JSON.stringify(e.payload));
      const n = params.length;
      return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
    });
    const rows: { id: string; created_at: Date }[] = await this.tx.query(
      `INSERT INTO domain_events (workspace_id, type, lead_id, payload) VALUES ${values.join(', ')}
       RETURNING id, created_at`,
      params,
    );
    return rows.map((r) => ({ id: String(r.id), created_at: r.created_at }));
  }

  /** Sets the chain budgets the events carry (`payload.budget`): events[i] gets budgets[i]; one statement. */
  async setBudgets(ids: string[], budgets: number[]): Promise<void> {
    await this.tx.query(
      `UPDATE domain_events d SET payload = d.payload || jsonb_build_object('budget', v.budget)
         FROM unnest($1::bigint[], $2::int[]) AS v(id, budget) WHERE d.id = v.id`,
      [ids, budgets],
    );
  }
}
