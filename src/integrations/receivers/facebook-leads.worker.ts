import { TransactionHost } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { TypeOrmTransactions } from '../../database/transactions';
import { type EngineConfig, engineConfig, retryDelayMs } from '../../engine/engine-config';
import { DeliveryFailure, requestTrusted } from '../../engine/http-post';
import { BackgroundLoop } from '../../engine/background-loop';
import { IntegrationsRepository } from '../integrations.repository';
import { IntegrationsService } from '../integrations.service';
import { FACEBOOK_FIELDS, mapAnswers } from './lead-mapping';
import { type ReceiptJob as Job, ReceiptsRepository } from './receipts.repository';
import { ReceiptsService } from './receipts.service';

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
export class FacebookLeadsWorker extends BackgroundLoop {
  private readonly config: EngineConfig;

  constructor(
    private readonly txHost: TransactionHost<TypeOrmTransactions>,
    private readonly jobs: ReceiptsRepository,
    private readonly receipts: ReceiptsService,
    private readonly integrationRows: IntegrationsRepository,
    private readonly integrations: IntegrationsService,
    private readonly appConfig: AppConfig,
  ) {
    super('facebook-leads', 'FacebookLeads');
    this.config = engineConfig(appConfig);
  }

  protected enabled(): boolean {
    return this.config.enabled;
  }

  protected pause(): number {
    return this.config.pollMs;
  }

  protected round(): Promise<boolean> {
    return this.tick();
  }

  /** Called when jobs were queued in this instance, so they are fetched at once. */
  wake(): void {
    this.wakeLoop();
  }

  async tick(): Promise<boolean> {
    const jobs = await this.jobs.leaseFacebookJobs(this.config.leaseMs);
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
    const integration = await this.integrationRows.findInWorkspace(job.workspace_id, job.integration_id);
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
    await this.txHost.withTransaction(async () => {
      if (await this.jobs.lockAttempt(job)) await this.receipts.takeIn(job.id, job.workspace_id, input);
    });
    await this.jobs.setStatusCode(job.id, 200);
  }

  private async failed(job: Job, err: unknown): Promise<void> {
    const failure =
      err instanceof DeliveryFailure ? err : new DeliveryFailure('could not take the lead in', true);
    if (!(err instanceof DeliveryFailure))
      this.logger.error(`facebook lead ${job.id}: ${(err as Error).message}`);
    const delay = failure.retryable ? retryDelayMs(this.config, job.attempts) : undefined;
    await this.jobs.recordFailure(job, delay ?? null, failure.statusCode, `Graph API: ${failure.message}`);
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
