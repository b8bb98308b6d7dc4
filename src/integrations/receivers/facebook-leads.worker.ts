import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { EventsService } from '../../events/events.service';
import { type EngineConfig, engineConfig, retryDelayMs } from '../../engine/engine-config';
import { DeliveryFailure, requestTrusted } from '../../engine/http-post';
import { WorkLoop } from '../../engine/work-loop';
import { Integration } from '../integration.entity';
import { IntegrationsService } from '../integrations.service';
import { FACEBOOK_FIELDS, mapAnswers } from './lead-mapping';
import { ReceiptsService } from './receipts.service';

interface Job {
  id: string;
  integration_id: number;
  workspace_id: number;
  external_id: string;
  attempts: number;
}

/** Graph API error codes that mean "later" (throttling, temporary trouble), besides 5xx / 429 / is_transient. */
const TRANSIENT_GRAPH_CODES = [1, 2, 4, 17, 32, 341, 613];

/**
 * The durable jobs of the Facebook receiver: each queued leadgen id is fetched from the Graph API
 * (`GET {LEADHUB_FACEBOOK_GRAPH_URL}/{leadgen_id}` with the page access token) and taken in as a lead. Jobs are
 * leased like webhook deliveries (a worker that dies leaves them to another after the lease) and retried on
 * the webhook backoff schedule while the Graph API fails for a passing reason; a final error (bad token,
 * unknown lead) marks the receipt failed, to be retried by hand (`POST /deliveries/{id}/retry`) once fixed.
 */
@Injectable()
export class FacebookLeadsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('FacebookLeads');
  private readonly config: EngineConfig;
  private readonly loop: WorkLoop;

  constructor(
    private readonly db: DataSource,
    private readonly events: EventsService,
    private readonly receipts: ReceiptsService,
    private readonly integrations: IntegrationsService,
    private readonly appConfig: AppConfig,
  ) {
    this.config = engineConfig(appConfig);
    this.loop = new WorkLoop(
      'facebook-leads',
      () => this.tick(),
      async () => this.config.pollMs,
      this.logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }

  /** Called when jobs were queued in this instance, so they are fetched at once. */
  wake(): void {
    this.loop.wake();
  }

  async tick(): Promise<boolean> {
    const [jobs]: [Job[], number] = await this.db.query(
      `UPDATE integration_receipts r
          SET attempts = r.attempts + 1, updated_at = now(),
              next_attempt_at = now() + make_interval(secs => $1::double precision / 1000)
        WHERE r.id IN (SELECT id FROM integration_receipts
                        WHERE status = 'pending' AND kind = 'facebook_lead' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at, id LIMIT 10 FOR UPDATE SKIP LOCKED)
      RETURNING r.id, r.integration_id, r.workspace_id, r.external_id, r.attempts`,
      [this.config.leaseMs],
    );
    for (const job of jobs) {
      try {
        await this.run(job);
      } catch (err) {
        await this.failed(job, err);
      }
    }
    return jobs.length > 0;
  }

  private async run(job: Job): Promise<void> {
    const integration = await this.db
      .getRepository(Integration)
      .findOneBy({ id: job.integration_id, workspaceId: job.workspace_id });
    if (!integration?.isActive) throw new DeliveryFailure('The integration is inactive.', false);
    const config = this.integrations.revealConfig(integration);
    const url = new URL(
      `${this.appConfig.outsideServices.facebookGraphUrl}/${encodeURIComponent(job.external_id)}`,
    );
    url.searchParams.set('access_token', String(config.access_token));
    url.searchParams.set('fields', 'id,created_time,ad_id,form_id,field_data');
    const answer = await requestTrusted(url.toString(), { method: 'GET', timeoutMs: this.config.timeoutMs });
    const body = parse(answer.text);
    if (answer.status !== 200) throw graphFailure(answer.status, body);
    const fields = Array.isArray(body?.field_data)
      ? (body.field_data as { name?: unknown; values?: unknown }[])
      : [];
    const answers = fields
      .filter((f) => typeof f?.name === 'string' && Array.isArray(f.values))
      .map((f) => ({ key: f.name as string, value: (f.values as unknown[]).map(String).join(', ') }));
    const input = mapAnswers(answers, FACEBOOK_FIELDS, {
      source: 'facebook',
      mapping: config.field_mapping as Record<string, string> | undefined,
      tags: config.tags as string[] | undefined,
    });
    await this.events.transaction(async (m) => {
      // Still this attempt's job (its lease may have run out and another worker taken it).
      const [mine]: unknown[] = await m.query(
        `SELECT 1 FROM integration_receipts WHERE id = $1 AND attempts = $2 AND status = 'pending' FOR UPDATE`,
        [job.id, job.attempts],
      );
      if (mine) await this.receipts.takeIn(m, job.id, job.workspace_id, input);
    });
    await this.db.query(`UPDATE integration_receipts SET last_status_code = 200 WHERE id = $1`, [job.id]);
  }

  private async failed(job: Job, err: unknown): Promise<void> {
    const failure =
      err instanceof DeliveryFailure ? err : new DeliveryFailure('could not take the lead in', true);
    if (!(err instanceof DeliveryFailure))
      this.logger.error(`facebook lead ${job.id}: ${(err as Error).message}`);
    const delay = failure.retryable ? retryDelayMs(this.config, job.attempts) : undefined;
    await this.db.query(
      `UPDATE integration_receipts
          SET status = CASE WHEN $3::double precision IS NULL THEN 'failed' ELSE 'pending' END,
              next_attempt_at = now() + make_interval(secs => coalesce($3::double precision, 0) / 1000),
              last_status_code = $4, last_error = $5, updated_at = now()
        WHERE id = $1 AND attempts = $2 AND status = 'pending'`,
      [job.id, job.attempts, delay ?? null, failure.statusCode, `Graph API: ${failure.message}`],
    );
  }
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A Graph API error: `{error: {message, code, is_transient}}`; passing troubles may be retried. */
function graphFailure(status: number, body: Record<string, unknown> | undefined): DeliveryFailure {
  const error = (body?.error ?? {}) as { message?: unknown; code?: unknown; is_transient?: unknown };
  const code = typeof error.code === 'number' ? error.code : undefined;
  const retryable =
    status >= 500 ||
    status === 429 ||
    error.is_transient === true ||
    TRANSIENT_GRAPH_CODES.includes(code ?? -1);
  const detail = typeof error.message === 'string' ? `: ${error.message.slice(0, 200)}` : '';
  return new DeliveryFailure(
    `HTTP ${status}${code !== undefined ? ` (code ${code})` : ''}${detail}`,
    retryable,
    status,
  );
}
