import { NestFactory } from '@nestjs/core';
import { AutomationRunsRepository } from '../engine/automation-runs.repository';
import { BacklogRepository } from '../metrics/backlog.repository';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AppModule } from '../app.module';
import { AutomationsService } from '../automations/automations.service';
import { FormSubmissionsService } from '../forms/form-submissions.service';
import { FormsService } from '../forms/forms.service';
import { LeadsService } from '../leads/leads.service';
import { PipelinesService } from '../pipelines/pipelines.service';
import { TagsService } from '../tags/tags.service';
import { UsersService } from '../users/users.service';
import { WorkspacesService } from '../workspaces/workspaces.service';
import { runMigrations } from '../database/data-source';
import { withDatabaseUrl } from './context';
import { DEMO, demoLead, pick, Random } from './demo-data';

export interface DemoResult {
  workspace: string;
  key: string;
  leads: number;
  submissions: number;
  automation_runs: number;
}

/**
 * Fills a new workspace with demo data through the application's own services (validation, events, the
 * automation engine), so the lists and the Swagger UI have something to show. Deterministic for a given seed.
 */
export async function fillDemo(slug: string, leadCount: number, seed = 42): Promise<DemoResult> {
  return withDatabaseUrl(async (config, databaseUrl) => {
    await runMigrations(databaseUrl);
    const app = await NestFactory.createApplicationContext(
      AppModule.register({ config: { ...config, logLevel: 'warn' }, databaseUrl }),
      { logger: ['error', 'warn'] },
    );
    try {
      const rnd = new Random(seed);
      const workspaces = app.get(WorkspacesService);
      if (await workspaces.findBySlug(slug))
        throw new Error(`workspace "${slug}" exists already; give another --workspace`);
      const ws = await workspaces.create(slug, 'Demo company');
      const id = ws.id;
      const { plaintext } = await app
        .get(ApiKeysService)
        .create({ workspace: ws, name: 'demo key', scopes: ['*'] });

      const users = [];
      for (const u of DEMO.users)
        users.push(await app.get(UsersService).create(id, { name: u.name, email: u.email, role: u.role }));
      for (const t of DEMO.tags) await app.get(TagsService).create(id, { name: t.name, color: t.color });
      const pipelines = [];
      for (const p of DEMO.pipelines)
        pipelines.push(
          await app.get(PipelinesService).create(id, {
            name: p.name,
            description: p.description,
            is_default: p.isDefault,
            stages: p.stages.map(([name, probability]) => ({ name, probability })),
          }),
        );
      const automation = await app.get(AutomationsService).create(id, {
        name: 'Tag website leads',
        is_active: true,
        trigger: {
          type: 'lead.created',
          conditions: [{ field: 'source', operator: 'equals', value: 'website' }],
        },
        actions: [{ type: 'add_tag', tag: 'web-lead' }],
      });
      await app.get(AutomationsService).create(id, {
        name: 'Qualified leads go to the closer',
        is_active: true,
        trigger: {
          type: 'lead.status_changed',
          conditions: [{ field: 'status', operator: 'equals', value: 'qualified' }],
        },
        actions: [{ type: 'assign_user', user_id: users[0].id }],
      });

      const leads = app.get(LeadsService);
      for (let i = 0; i < leadCount; i++) {
        const pipeline = pick(rnd, pipelines);
        await leads.create(id, demoLead(rnd, i, { pipeline, users: users.map((u) => u.id) }) as never);
      }

      const form = await app.get(FormsService).create(id, {
        name: 'Contact us',
        fields: [
          { name: 'name', label: 'Your name', type: 'text', required: true, maps_to: 'first_name' },
          { name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' },
          { name: 'company', label: 'Company', type: 'text', maps_to: 'company' },
          { name: 'message', label: 'Message', type: 'textarea', maps_to: 'notes' },
        ],
        lead_defaults: { source: 'website', tags: ['contact-form'] },
        is_active: true,
      });
      const submissions = Math.max(1, Math.round(leadCount / 25));
      for (let i = 0; i < submissions; i++) {
        const lead = demoLead(rnd, leadCount + i, { pipeline: pipelines[0], users: [] });
        await app.get(FormSubmissionsService).submit(id, form.id, {
          name: lead.first_name,
          email: lead.email,
          company: lead.company,
          message: 'Could you send me a quote?',
        });
      }
      await drainEvents(app.get(BacklogRepository));
      const n = await app.get(AutomationRunsRepository).countInWorkspace(id);
      void automation;
      return {
        workspace: slug,
        key: plaintext,
        leads: leadCount + submissions,
        submissions,
        automation_runs: n,
      };
    } finally {
      await app.close();
    }
  });
}

/** Lets the engine run the automations of everything just created before the process exits. */
async function drainEvents(backlog: BacklogRepository, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = await backlog.unprocessedEvents();
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`${n} events still waiting for the automation engine`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
