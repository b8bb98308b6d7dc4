import { Injectable } from '@nestjs/common';
import { TxRepository } from '../database/tx-repository';
import type { PendingWebhook } from './action-executor';
import type { OutboundDelivery } from './outbound-senders';

export interface ClaimedDelivery extends OutboundDelivery {
  automation_run_id: string | null;
  attempts: number;
  /** host[:port] of the URL, lower-cased: deliveries to one receiver share its concurrency limit. */
  destination: string;
}

/**
 * host[:port] of a delivery's URL, in SQL (so candidates can be limited per destination); '' for a URL it cannot
 * read, so that one is still sent. The expression of IDX_webhook_deliveries_lane (migration WebhookDeliveryLanes).
 */
const DESTINATION = `coalesce(lower(substring(d.url from '^[^:]+://(?:[^@/?#]*@)?([^/?#]*)')), '')`;

/** One attempt more, and no other worker takes it until the lease ($2 ms) runs out. */
const LEASE = `attempts = d.attempts + 1,
  next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()`;

const CLAIMED = `d.id, d.automation_run_id, d.kind, d.integration_id, d.url, d.secret, d.event_type, d.payload,
  d.attempts, d.workspace_id, ${DESTINATION} AS destination`;

/** How an attempt ended, as `webhook_deliveries` records it. */
export type AttemptOutcome =
  | { status: 'delivered'; statusCode: number }
  | { status: 'cancelled'; error: string }
  | { status: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { status: 'failed'; statusCode: number | null; error: string };

/** The queue of outbound deliveries (`webhook_deliveries`). */
@Injectable()
export class WebhookDeliveriesRepository extends TxRepository {
  /** Stores deliveries in the current transaction (`runId`: the run that asked for them, if any). */
  async insert(runId: string | null, hooks: PendingWebhook[]): Promise<void> {
    for (const h of hooks)
      await this.tx.query(
        `INSERT INTO webhook_deliveries
           (id, automation_run_id, workspace_id, integration_id, kind, url, secret, event_type, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
        [
          h.id,
          runId,
          h.workspaceId,
          h.integrationId ?? null,
          h.kind ?? 'webhook',
          h.url,
          h.secret,
          h.eventType,
          JSON.stringify(h.payload),
        ],
      );
  }

  /**
   * The oldest due deliveries, leaving out destinations and workspaces whose slots are all taken (so their backlog
   * does not crowd the others out of the list), `limit` in all. Bounded by IDX_webhook_deliveries_due.
   */
  dueCandidates(
    fullDestinations: string[],
    fullWorkspaces: number[],
    limit: number,
  ): Promise<{ id: string; workspace_id: number; destination: string }[]> {
    return this.tx.query(
      `SELECT d.id, d.workspace_id, ${DESTINATION} AS destination FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= now()
          AND NOT (${DESTINATION} = ANY($1::text[])) AND NOT (d.workspace_id = ANY($2::int[]))
        ORDER BY d.next_attempt_at, d.id LIMIT $3`,
      [fullDestinations, fullWorkspaces, limit],
    );
  }

  /**
   * Leases the deliveries for `leaseMs` (one attempt more each); one another worker leased since the
   * candidates were read no longer matches and is left out.
   */
  async lease(ids: string[], leaseMs: number): Promise<ClaimedDelivery[]> {
    const [claimed]: [ClaimedDelivery[], number] = await this.tx.query(
      `UPDATE webhook_deliveries d SET ${LEASE}
        WHERE d.id = ANY($1::uuid[]) AND d.status = 'pending' AND d.next_attempt_at <= now()
      RETURNING ${CLAIMED}`,
      [ids, leaseMs],
    );
    return claimed;
  }

  /**
   * Leases the oldest due delivery of a workspace to a destination (a slot going on with its lane), skipping one
   * another worker is leasing right now; undefined when none is due. Bounded by IDX_webhook_deliveries_lane.
   */
  async leaseNext(
    workspaceId: number,
    destination: string,
    leaseMs: number,
  ): Promise<ClaimedDelivery | undefined> {
    const [claimed]: [ClaimedDelivery[], number] = await this.tx.query(
      `UPDATE webhook_deliveries d SET ${LEASE}
        WHERE d.id = (
          SELECT d.id FROM webhook_deliveries d
           WHERE d.status = 'pending' AND d.workspace_id = $1 AND ${DESTINATION} = $3
             AND d.next_attempt_at <= now()
           ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND d.status = 'pending' AND d.next_attempt_at <= now()
      RETURNING ${CLAIMED}`,
      [workspaceId, leaseMs, destination],
    );
    return claimed[0];
  }

  /** Milliseconds until the next pending delivery is due (0 when one is; null when none is pending). */
  async msUntilNextDue(): Promise<number | null> {
    const [row]: { ms: number | null }[] = await this.tx.query(
      `SELECT greatest(0, extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
         FROM webhook_deliveries WHERE status = 'pending'`,
    );
    return row?.ms ?? null;
  }

  /**
   * Records an attempt's outcome, only if the delivery is still this attempt's (a lease that ran out may have
   * let another worker claim it again). Returns whether it did.
   */
  async settle(d: { id: string; attempts: number }, o: AttemptOutcome): Promise<boolean> {
    const [set, params] = settlement(o);
    const [, count]: [unknown, number] = await this.tx.query(
      `UPDATE webhook_deliveries SET ${set}, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [d.id, d.attempts, ...params],
    );
    return count > 0;
  }
}

function settlement(o: AttemptOutcome): [string, unknown[]] {
  switch (o.status) {
    case 'delivered':
      return [`status = 'delivered', last_status_code = $3, last_error = NULL`, [o.statusCode]];
    case 'cancelled':
      return [`status = 'cancelled', last_error = $3`, [o.error]];
    case 'retry':
      return [
        `next_attempt_at = now() + make_interval(secs => $5::double precision / 1000),
         last_status_code = $3, last_error = $4`,
        [o.statusCode, o.error, o.delayMs],
      ];
    case 'failed':
      return [`status = 'failed', last_status_code = $3, last_error = $4`, [o.statusCode, o.error]];
  }
}
