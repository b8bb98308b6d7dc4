import { Get, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiException } from '../common/errors/api.exception';
import { integrationType, INTEGRATION_TYPES, IntegrationType } from '../integrations/integration-types';
import { IntegrationsService } from '../integrations/integrations.service';
import { ADMIN_PATH, field, FormBody } from './admin-http';
import { AdminController, layoutOf, Session } from './admin.guard';
import { AdminNotFound } from './admin-errors';
import type { AdminSession } from './session.service';
import { redirect, sendPage } from './views';
import { RequestUrl } from '../common/pagination/request-url.decorator';

/** Integrations: the workspace's list, and connecting one from the catalog's field descriptions. */
@AdminController('admin/integrations')
export class AdminIntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

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
