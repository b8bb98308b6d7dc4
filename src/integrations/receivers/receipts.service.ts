import { Transactional } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import { ApiException } from '../../common/errors/api.exception';
import { type IntakeInput, LeadIntakeService } from '../../leads/lead-intake.service';
import type { StoredConfig } from '../integration-config';
import type { ReceiptKind } from '../integration-receipt.entity';
import { Integration } from '../integration.entity';
import { IntegrationsRepository } from '../integrations.repository';
import { IntegrationsService } from '../integrations.service';
import { ReceiptsRepository } from './receipts.repository';

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
    private readonly receipts: ReceiptsRepository,
    private readonly intake: LeadIntakeService,
    private readonly integrationRows: IntegrationsRepository,
    private readonly integrations: IntegrationsService,
  ) {}

  /**
   * The active integration of this type whose receiver token this is, with its config decrypted; an unknown
   * token, another type or an inactive integration is a 404 (an inactive integration takes nothing in).
   */
  async byToken(type: string, token: string): Promise<{ integration: Integration; config: StoredConfig }> {
    const integration = /^[0-9a-f]{64}$/.test(token)
      ? await this.integrationRows.findActiveByReceiverToken(type, token)
      : null;
    if (!integration) throw ApiException.notFound('receiver');
    return { integration, config: this.integrations.revealConfig(integration) };
  }

  /** Queues outside lead ids to be fetched later; ids already received are skipped. Returns how many are new. */
  async queue(integration: Integration, kind: ReceiptKind, items: { id: string; payload: object }[]) {
    let queued = 0;
    const r = { workspaceId: integration.workspaceId, integrationId: integration.id };
    for (const item of items) if (await this.receipts.queue(r, kind, item.id, item.payload)) queued++;
    return queued;
  }

  /**
   * Records a lead received with its data and takes it in, in one transaction: the first receipt of an outside
   * id creates or de-duplicates the lead; a repeat (even a concurrent one, which waits for the first on the
   * unique key) finds the first receipt and takes nothing in.
   */
  @Transactional()
  async receive(
    integration: Integration,
    kind: ReceiptKind,
    externalId: string,
    payload: object,
    input: IntakeInput,
  ): Promise<ReceivedLead> {
    const r = { workspaceId: integration.workspaceId, integrationId: integration.id };
    const id = await this.receipts.insertReceived(r, kind, externalId, payload);
    if (!id) {
      const leadId = await this.receipts.leadOf(integration.id, externalId);
      return { status: 'duplicate', lead_id: leadId, is_duplicate: true };
    }
    const result = await this.takeIn(id, integration.workspaceId, input);
    return {
      status: result.isDuplicate ? 'duplicate' : 'created',
      lead_id: result.leadId,
      is_duplicate: result.isDuplicate,
    };
  }

  /** Creates or de-duplicates the lead and marks the receipt processed, in one transaction (or the caller's). */
  @Transactional()
  async takeIn(receiptId: string, workspaceId: number, input: IntakeInput) {
    const result = await this.intake.intake(workspaceId, input);
    await this.receipts.markProcessed(receiptId, result.leadId, result.isDuplicate);
    return result;
  }
}
