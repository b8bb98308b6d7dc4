import { Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { ApiException } from '../../common/errors/api.exception';
import { EventsService } from '../../events/events.service';
import { type IntakeInput, LeadIntakeService } from '../../leads/lead-intake.service';
import type { StoredConfig } from '../integration-config';
import type { ReceiptKind } from '../integration-receipt.entity';
import { Integration } from '../integration.entity';
import { IntegrationsService } from '../integrations.service';

export interface ReceivedLead {
  status: 'created' | 'duplicate';
  lead_id: number | null;
  is_duplicate: boolean;
}

/** Compares two secrets in constant time (over their SHA-256, so unequal lengths leak nothing either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The receivers' side of the database: finds the integration a receiver URL names, records what arrives
 * exactly once per outside lead id (`integration_receipts`), and turns a lead into a LeadHub lead through the
 * same intake and de-duplication as the inbound endpoint.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly intake: LeadIntakeService,
    private readonly integrations: IntegrationsService,
  ) {}

  /**
   * The active integration of this type whose receiver token this is, with its config decrypted; an unknown
   * token, another type or an inactive integration is a 404 (an inactive integration takes nothing in).
   */
  async byToken(type: string, token: string): Promise<{ integration: Integration; config: StoredConfig }> {
    const integration = /^[0-9a-f]{64}$/.test(token)
      ? await this.db.getRepository(Integration).findOneBy({ receiverToken: token, type, isActive: true })
      : null;
    if (!integration) throw ApiException.notFound('receiver');
    return { integration, config: this.integrations.revealConfig(integration) };
  }

  /** Queues outside lead ids to be fetched later; ids already received are skipped. Returns how many are new. */
  async queue(integration: Integration, kind: ReceiptKind, items: { id: string; payload: object }[]) {
    let queued = 0;
    for (const item of items) {
      const rows: unknown[] = await this.db.query(
        `INSERT INTO integration_receipts (id, workspace_id, integration_id, kind, external_id, payload)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (integration_id, external_id) DO NOTHING
         RETURNING id`,
        [randomUUID(), integration.workspaceId, integration.id, kind, item.id, JSON.stringify(item.payload)],
      );
      queued += rows.length;
    }
    return queued;
  }

  /**
   * Records a lead received with its data and takes it in, in one transaction: the first receipt of an outside
   * id creates or de-duplicates the lead; a repeat (even a concurrent one, which waits for the first on the
   * unique key) finds the first receipt and takes nothing in.
   */
  async receive(
    integration: Integration,
    kind: ReceiptKind,
    externalId: string,
    payload: object,
    input: IntakeInput,
  ): Promise<ReceivedLead> {
    return this.events.transaction(async (m) => {
      const id = randomUUID();
      const [inserted]: { id: string }[] = await m.query(
        `INSERT INTO integration_receipts (id, workspace_id, integration_id, kind, external_id, payload, attempts)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, 1) ON CONFLICT (integration_id, external_id) DO NOTHING
         RETURNING id`,
        [id, integration.workspaceId, integration.id, kind, externalId, JSON.stringify(payload)],
      );
      if (!inserted) {
        const [first]: { lead_id: number | null }[] = await m.query(
          `SELECT lead_id FROM integration_receipts WHERE integration_id = $1 AND external_id = $2`,
          [integration.id, externalId],
        );
        return { status: 'duplicate', lead_id: first?.lead_id ?? null, is_duplicate: true };
      }
      const result = await this.takeIn(m, id, integration.workspaceId, input);
      return {
        status: result.isDuplicate ? 'duplicate' : 'created',
        lead_id: result.leadId,
        is_duplicate: result.isDuplicate,
      };
    });
  }

  /** Creates or de-duplicates the lead and marks the receipt processed, in the caller's transaction. */
  async takeIn(m: EntityManager, receiptId: string, workspaceId: number, input: IntakeInput) {
    const result = await this.intake.intake(workspaceId, input, m);
    await m.query(
      `UPDATE integration_receipts
          SET status = 'processed', lead_id = $2, is_duplicate = $3, last_error = NULL, updated_at = now()
        WHERE id = $1`,
      [receiptId, result.leadId, result.isDuplicate],
    );
    return result;
  }
}
