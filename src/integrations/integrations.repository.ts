import { Injectable } from '@nestjs/common';
import type { Page } from '../common/pagination/paginated-response';
import { sortedPage } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { IntegrationFiltersDto } from './dto/integration.dto';
import type { StoredConfig } from './integration-config';
import { Integration } from './integration.entity';

const SORT_COLUMNS = {
  name: 'lower(i.name)',
  created_at: 'i.created_at',
  updated_at: 'i.updated_at',
} as const;

/** A webhook subscription (an integration of type `webhook`) as the engine matches events against it. */
export interface Subscription {
  id: number;
  workspace_id: number;
  url: string;
  event_types: string[];
  created_at: Date;
}

/** `integrations`. */
@Injectable()
export class IntegrationsRepository extends TxRepository {
  private get integrations() {
    return this.tx.getRepository(Integration);
  }

  list(workspaceId: number, q: IntegrationFiltersDto): Promise<Page<Integration>> {
    const qb = this.integrations
      .createQueryBuilder('i')
      .where('i.workspace_id = :workspaceId', { workspaceId });
    if (q.type) qb.andWhere('i.type = :type', { type: q.type });
    if (q.is_active !== undefined) qb.andWhere('i.is_active = :active', { active: q.is_active });
    return sortedPage(qb, 'i', q, SORT_COLUMNS);
  }

  findInWorkspace(workspaceId: number, id: number): Promise<Integration | null> {
    return this.integrations.findOneBy({ id, workspaceId });
  }

  /** The active integration of this type whose receiver token this is. */
  findActiveByReceiverToken(type: string, token: string): Promise<Integration | null> {
    return this.integrations.findOneBy({ receiverToken: token, type, isActive: true });
  }

  /** What an automation's send_email / notify_slack action needs of its integration. */
  async findForAction(
    workspaceId: number,
    id: number,
  ): Promise<{ type: string; is_active: boolean; config: StoredConfig } | undefined> {
    const [row]: { type: string; is_active: boolean; config: StoredConfig }[] = await this.tx.query(
      `SELECT type, is_active, config FROM integrations WHERE id = $1 AND workspace_id = $2`,
      [id, workspaceId],
    );
    return row;
  }

  /** The active webhook subscriptions of these workspaces, in id order. */
  activeSubscriptions(workspaceIds: number[]): Promise<Subscription[]> {
    return this.tx.query(
      `SELECT id, workspace_id, config->>'url' AS url, config->'event_types' AS event_types, created_at
         FROM integrations
        WHERE type = 'webhook' AND is_active AND workspace_id = ANY($1::int[])
        ORDER BY id`,
      [workspaceIds],
    );
  }

  create(values: Partial<Integration>): Promise<Integration> {
    return this.integrations.save(this.integrations.create(values));
  }

  save(integration: Integration): Promise<Integration> {
    return this.integrations.save(integration);
  }

  /** Deletes the integration; returns whether the workspace had it. */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.integrations.delete({ id, workspaceId });
    return !!affected;
  }
}
