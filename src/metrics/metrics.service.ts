import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual, createHash } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ERROR_CODE } from '../common/logging/logger';
import { AppConfig } from '../config/app-config';
import { BacklogRepository } from './backlog.repository';

/**
 * Prometheus metrics (prom-client), one registry per application. Served at GET /metrics only when
 * METRICS_TOKEN is set, to `Authorization: Bearer <METRICS_TOKEN>`. Counters are per process; the backlog
 * gauges are read from the database at scrape time (shared by all instances).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'leadhub_http_requests_total',
    help: 'HTTP requests by method, route template, status and error code',
    labelNames: ['method', 'route', 'status', 'code'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'leadhub_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: 'leadhub_rate_limit_rejections_total',
    help: 'Requests rejected with 429 RATE_LIMITED',
    registers: [this.registry],
  });
  readonly automationRuns = new Counter({
    name: 'leadhub_automation_runs_total',
    help: 'Automation runs recorded by this instance, by outcome',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: 'leadhub_webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly config: AppConfig,
    private readonly backlogs: BacklogRepository,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'leadhub_' });
    const pool = () => this.backlogs.pool();
    new Gauge({
      name: 'leadhub_db_pool_connections',
      help: 'Database pool connections by state (idle, in_use, waiting requests, max)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        if (!p) return;
        this.set({ state: 'idle' }, p.idleCount);
        this.set({ state: 'in_use' }, p.totalCount - p.idleCount);
        this.set({ state: 'waiting' }, p.waitingCount);
        this.set({ state: 'max' }, p.options?.max ?? 0);
      },
    });
    const backlog = async (count: () => Promise<number>) => Number((await count().catch(() => -1)) ?? -1);
    const repo = this.backlogs;
    new Gauge({
      name: 'leadhub_automation_backlog_events',
      help: 'Domain events not yet processed by the automation engine (-1: database unreachable)',
      registers: [this.registry],
      async collect() {
        this.set(await backlog(() => repo.unprocessedEvents()));
      },
    });
    new Gauge({
      name: 'leadhub_automation_oldest_event_age_seconds',
      help: 'Age of the oldest domain event not yet processed (0: none; -1: database unreachable)',
      registers: [this.registry],
      async collect() {
        this.set(await backlog(() => repo.oldestEventAge()));
      },
    });
    new Gauge({
      name: 'leadhub_webhook_backlog_deliveries',
      help: 'Webhook deliveries waiting to be sent or retried (-1: database unreachable)',
      registers: [this.registry],
      async collect() {
        this.set(await backlog(() => repo.pendingDeliveries()));
      },
    });
  }

  get enabled(): boolean {
    return !!this.config.metricsToken;
  }

  /** Request metrics (a Fastify hook) and the /metrics route; nothing when METRICS_TOKEN is unset. */
  install(fastify: FastifyInstance): void {
    if (!this.enabled) return;
    const expected = digest(`Bearer ${this.config.metricsToken}`);
    fastify.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions?.url ?? 'unmatched';
      if (route === '/metrics') return;
      const status = String(reply.statusCode);
      const code = (reply.raw as { [ERROR_CODE]?: string })[ERROR_CODE] ?? '';
      this.requests.inc({ method: req.method, route, status, code });
      this.duration.observe({ method: req.method, route, status }, reply.elapsedTime / 1000);
      if (code === 'RATE_LIMITED') this.rateLimited.inc();
    });
    fastify.get('/metrics', async (req, reply) => {
      const given = digest(String(req.headers.authorization ?? ''));
      if (!timingSafeEqual(given, expected)) {
        return reply
          .code(401)
          .header('WWW-Authenticate', 'Bearer realm="metrics"')
          .header('content-type', 'application/json; charset=utf-8')
          .send({ status: 'error', message: 'A valid metrics token is required.', code: 'UNAUTHORIZED' });
      }
      reply.header('content-type', this.registry.contentType).header('cache-control', 'no-store');
      return this.registry.metrics();
    });
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
