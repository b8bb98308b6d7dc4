import { Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdPipe } from '../common/crud/id.pipe';
import { UuidPipe } from '../common/crud/uuid.pipe';
import { ApiException } from '../common/errors/api.exception';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { DeliveriesService } from '../integrations/deliveries/deliveries.service';
import { integrationType, INTEGRATION_TYPES, IntegrationType } from '../integrations/integration-types';
import { IntegrationsService } from '../integrations/integrations.service';
import { ADMIN_PATH, field, FormBody } from './admin-http';
import { AdminController, layoutOf, Session } from './admin.guard';
import { AdminNotFound } from './admin-errors';
import type { AdminSession } from './session.service';
import { hostOf, redirect, sendPage } from './views';

/** Deliveries and receipts shown on an integration's page. */
const RECENT_DELIVERIES = 50;

/**
 * Integrations: the workspace's list with each receiver URL, connecting one from the catalog's field descriptions,
 * and an integration's recent deliveries and receipts (a failed one can be sent again).
 */
@AdminController('admin/integrations')
export class AdminIntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get()
  async list(
    @Session() s: AdminSession,
    @Res() reply: FastifyReply,
    @RequestUrl() url: URL,
    @Query('created') created?: string,
  ) {
    const { items } = await this.integrations.list(s.workspaceId, {
      page: 1,
      per_page: 100,
      sort: 'name',
      direction: 'asc',
    } as never);
    const rows = items.map((i) => ({
      ...this.integrations.toResponse(i, url.origin),
      typeName: integrationType(i.type)?.name ?? i.type,
    }));
    return sendPage(reply, 'integrations', {
      ...layoutOf(s),
      title: 'Integrations',
      nav: 'integrations',
      rows,
      types: INTEGRATION_TYPES,
      notice:
        created === '1' ? 'Connected. Secrets are stored encrypted and shown masked from now on.' : undefined,
    });
  }

  @Get('new')
  connect(@Session() s: AdminSession, @Res() reply: FastifyReply, @Query('type') type?: string) {
    const t = typeof type === 'string' ? integrationType(type) : undefined;
    if (!t) throw new AdminNotFound();
    return this.form(reply, s, t, { name: t.name });
  }

  @Post()
  async create(@Session() s: AdminSession, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const body = req.body as FormBody;
    const t = integrationType(field(body, 'type'));
    if (!t) throw new AdminNotFound();
    const config: Record<string, unknown> = {};
    const values: Record<string, string> = { name: field(body, 'name').trim() };
    for (const f of t.config_fields) {
      const raw = field(body, `config.${f.name}`).trim();
      if (f.type === 'boolean') config[f.name] = raw === 'on';
      else if (raw === '') continue;
      else config[f.name] = f.type === 'integer' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      // Secrets are typed once: never echoed back into a re-shown form.
      if (!f.secret) values[f.name] = raw;
    }
    if (!values.name || values.name.length > 255)
      return this.form(reply, s, t, values, { name: ['Enter a name (at most 255 characters).'] });
    try {
      await this.integrations.create(s.workspaceId, { type: t.type, name: values.name, config });
    } catch (err) {
      if (err instanceof ApiException && err.getStatus() === 422)
        return this.form(reply, s, t, values, err.errors ?? { config: [err.message] });
      throw err;
    }
    return redirect(reply, `${ADMIN_PATH}/integrations?created=1`);
  }

  @Get(':id')
  async show(
    @Session() s: AdminSession,
    @Param('id', IdPipe) id: number,
    @Res() reply: FastifyReply,
    @RequestUrl() url: URL,
    @Query('retried') retried?: string,
  ) {
    const integration = await this.integrations.get(s.workspaceId, id);
    const { items } = await this.deliveries.listForIntegration(s.workspaceId, id, {
      page: 1,
      per_page: RECENT_DELIVERIES,
    } as never);
    return sendPage(reply, 'integration-deliveries', {
      ...layoutOf(s),
      title: integration.name,
      nav: 'integrations',
      integration: {
        ...this.integrations.toResponse(integration, url.origin),
        typeName: integrationType(integration.type)?.name ?? integration.type,
      },
      rows: items.map((d) => ({ ...this.deliveries.toResponse(d), host: hostOf(d.destination) })),
      notice: retried ? 'Queued: it is sent again within seconds.' : undefined,
    });
  }

  @Post(':id/deliveries/:delivery_id/retry')
  async retry(
    @Session() s: AdminSession,
    @Param('id', IdPipe) id: number,
    @Param('delivery_id', UuidPipe) deliveryId: string,
    @Res() reply: FastifyReply,
  ) {
    // Through the integration: a delivery of another integration (or workspace) is not found here.
    await this.integrations.get(s.workspaceId, id);
    const delivery = await this.deliveries.get(s.workspaceId, deliveryId);
    if (delivery.integration_id !== id) throw new AdminNotFound();
    await this.deliveries.retry(s.workspaceId, deliveryId);
    return redirect(reply, `${ADMIN_PATH}/integrations/${id}?retried=1`);
  }

  private form(
    reply: FastifyReply,
    s: AdminSession,
    t: IntegrationType,
    values: Record<string, string>,
    errors?: Record<string, string[]>,
  ) {
    // The service names config errors `config.<field>`; the form shows them beside the field.
    const byField: Record<string, string> = {};
    for (const [k, v] of Object.entries(errors ?? {})) byField[k.replace(/^config\./, '')] = v[0];
    return sendPage(
      reply,
      'integration-form',
      {
        ...layoutOf(s),
        title: `Connect ${t.name}`,
        nav: 'integrations',
        type: t,
        values,
        errors: byField,
        error: errors ? 'Check the highlighted fields.' : undefined,
      },
      errors ? 422 : 200,
    );
  }
}
