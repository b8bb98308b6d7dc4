import { TestApp } from '../support/test-app';
import { seedRecords, validAutomation } from '../support/automation-fixtures';

describe('automations: definitions are validated strictly, every error by its path', () => {
  let t: TestApp;
  let key: string;
  let user: number;
  let stage: number;
  let pipeline: number;
  let foreignUser: number;
  let foreignStage: number;

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('automation-rules');
    key = await w.key(['*']);
    ({ user, stage, pipeline } = await seedRecords(t, w.id));
    const o = await t.workspace('automation-rules-other');
    ({ user: foreignUser, stage: foreignStage } = await seedRecords(t, o.id));
  });
  afterAll(() => t.close());

  const valid = () => validAutomation({ user, stage });
  const create = (body: object) => t.post('/api/v1/automations', body, { key });

  type Body = ReturnType<typeof valid> & Record<string, unknown>;
  const withCondition = (c: unknown) => (b: Body) => void (b.trigger.conditions = [c as never]);
  const withAction = (a: unknown) => (b: Body) => void (b.actions = [a as never]);
  it.each<[string, (b: Body) => void, string[]]>([
    ['missing trigger', (b) => delete (b as Partial<Body>).trigger, ['trigger']],
    [
      'trigger not an object',
      (b) => void ((b as Record<string, unknown>).trigger = 'lead.created'),
      ['trigger'],
    ],
    [
      'trigger and actions of the wrong types at once',
      (b) => void Object.assign(b, { trigger: 'lead.created', actions: {} }),
      ['actions', 'trigger'],
    ],
    ['unknown trigger type', (b) => void (b.trigger.type = 'lead.deleted'), ['trigger.type']],
    ['extra trigger key', (b) => void Object.assign(b.trigger, { form_id: 1 }), ['trigger.form_id']],
    [
      'conditions not an array',
      (b) => void ((b.trigger as Record<string, unknown>).conditions = {}),
      ['trigger.conditions'],
    ],
    [
      'unknown condition field',
      withCondition({ field: 'salary', operator: 'equals', value: 1 }),
      ['trigger.conditions.0.field'],
    ],
    [
      'bad custom field key',
      withCondition({ field: 'custom_fields.', operator: 'equals', value: 1 }),
      ['trigger.conditions.0.field'],
    ],
    [
      'unknown operator',
      withCondition({ field: 'email', operator: 'like', value: 'x' }),
      ['trigger.conditions.0.operator'],
    ],
    [
      'operator not for the field',
      withCondition({ field: 'first_name', operator: 'gt', value: 1 }),
      ['trigger.conditions.0.operator'],
    ],
    ['missing value', withCondition({ field: 'email', operator: 'equals' }), ['trigger.conditions.0.value']],
    [
      'value with is_empty',
      withCondition({ field: 'email', operator: 'is_empty', value: 'x' }),
      ['trigger.conditions.0.value'],
    ],
    [
      'in without an array',
      withCondition({ field: 'source', operator: 'in', value: 'web' }),
      ['trigger.conditions.0.value'],
    ],
    [
      'gt without a number',
      withCondition({ field: 'lead_score', operator: 'gt', value: '10' }),
      ['trigger.conditions.0.value'],
    ],
    [
      'unknown status',
      withCondition({ field: 'status', operator: 'equals', value: 'hot' }),
      ['trigger.conditions.0.value'],
    ],
    [
      'unknown status in a list',
      withCondition({ field: 'status', operator: 'in', value: ['new', 'hot'] }),
      ['trigger.conditions.0.value.1'],
    ],
    [
      'extra condition key',
      withCondition({ field: 'email', operator: 'is_empty', negate: true }),
      ['trigger.conditions.0.negate'],
    ],
    [
      'foreign user in a condition',
      withCondition({ field: 'assigned_user_id', operator: 'equals', value: -1 }),
      ['trigger.conditions.0.value'],
    ],
    ['no actions', (b) => void (b.actions = []), ['actions']],
    [
      'too many actions',
      (b) => void (b.actions = Array(21).fill({ type: 'add_tag', tag: 'x' })),
      ['actions'],
    ],
    [
      'actions not an array',
      (b) => void ((b as Record<string, unknown>).actions = { type: 'add_tag' }),
      ['actions'],
    ],
    ['action not an object', withAction('add_tag'), ['actions.0']],
    ['unknown action', withAction({ type: 'delete_lead' }), ['actions.0.type']],
    ['missing parameter', withAction({ type: 'add_tag' }), ['actions.0.tag']],
    ['empty parameter', withAction({ type: 'add_tag', tag: '  ' }), ['actions.0.tag']],
    ['extra parameter', withAction({ type: 'add_tag', tag: 'x', color: 'red' }), ['actions.0.color']],
    ['non-id user', withAction({ type: 'assign_user', user_id: '5' }), ['actions.0.user_id']],
    ['missing user', withAction({ type: 'assign_user', user_id: 999999 }), ['actions.0.user_id']],
    ['unknown status', withAction({ type: 'set_status', status: 'won' }), ['actions.0.status']],
    ['missing stage', withAction({ type: 'move_to_stage', stage_id: 999999 }), ['actions.0.stage_id']],
    [
      'set_field on a non-writable field',
      withAction({ type: 'set_field', field: 'status', value: 'new' }),
      ['actions.0.field'],
    ],
    [
      'set_field with a wrong value type',
      withAction({ type: 'set_field', field: 'lead_score', value: 'high' }),
      ['actions.0.value'],
    ],
    ['set_field without a value', withAction({ type: 'set_field', field: 'company' }), ['actions.0.value']],
    [
      'set_field emptying first_name',
      withAction({ type: 'set_field', field: 'first_name', value: null }),
      ['actions.0.value'],
    ],
    [
      'webhook to loopback',
      withAction({ type: 'send_webhook', url: 'http://127.0.0.1/x' }),
      ['actions.0.url'],
    ],
    [
      'webhook to metadata',
      withAction({ type: 'send_webhook', url: 'http://169.254.169.254/' }),
      ['actions.0.url'],
    ],
    [
      'webhook to localhost',
      withAction({ type: 'send_webhook', url: 'http://localhost/' }),
      ['actions.0.url'],
    ],
    ['webhook over ftp', withAction({ type: 'send_webhook', url: 'ftp://example.com/' }), ['actions.0.url']],
    [
      'webhook with an empty secret',
      withAction({ type: 'send_webhook', url: 'https://93.184.215.14/', secret: '' }),
      ['actions.0.secret'],
    ],
    [
      'read-only counters',
      (b) => void Object.assign(b, { run_count: 5, last_run_at: null }),
      ['last_run_at', 'run_count'],
    ],
    ['missing name', (b) => delete (b as Partial<Body>).name, ['name']],
  ])('422 for %s, naming the path', async (_label, mutate, paths) => {
    const body = valid() as Body;
    mutate(body);
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual(paths);
  });

  it('reports every problem of a definition at once', async () => {
    const body = valid();
    body.trigger.conditions[1] = { field: 'status', operator: 'contains', value: 'new' } as never;
    body.actions[0] = { type: 'add_tag' } as never;
    body.actions[3] = { type: 'set_status', status: 'x' } as never;
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual([
      'actions.0.tag',
      'actions.3.status',
      'trigger.conditions.1.operator',
    ]);
  });

  it('422 for users and stages of another workspace', async () => {
    const body = valid();
    body.trigger.conditions[4] = {
      field: 'assigned_user_id',
      operator: 'in',
      value: [user, foreignUser],
    } as never;
    body.actions[2] = { type: 'assign_user', user_id: foreignUser };
    body.actions[4] = { type: 'move_to_stage', stage_id: foreignStage };
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors).sort()).toEqual([
      'actions.2.user_id',
      'actions.4.stage_id',
      'trigger.conditions.4.value.1',
    ]);
    const pipelineRef = valid();
    pipelineRef.trigger.conditions = [{ field: 'pipeline_id', operator: 'equals', value: pipeline }];
    expect((await create(pipelineRef)).status).toBe(201);
  });
});
