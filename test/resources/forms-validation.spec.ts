import { seedPipeline, seedUser } from '../support/leads';
import { TestApp } from '../support/test-app';
import { validForm } from '../support/form-fixtures';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const field = (over: Json = {}) => ({ name: 'extra', label: 'Extra', type: 'text', ...over });

describe('forms: definitions are validated strictly, every error by its path', () => {
  let t: TestApp;
  let key: string;
  let refs: { pipeline: number; stage: number; otherStage: number; user: number };
  let foreign: { pipeline: number; stage: number; user: number };

  beforeAll(async () => {
    t = await TestApp.start();
    const w = await t.workspace('forms-rules');
    key = await w.key(['*']);
    const p = await seedPipeline(t, w.id, 'Rules');
    const p2 = await seedPipeline(t, w.id, 'Other', 1);
    const user = await seedUser(t, w.id, ['rules', 'example.com'].join('@'));
    refs = { pipeline: p.id, stage: p.stages[0], otherStage: p2.stages[0], user };
    const o = await t.workspace('forms-rules-other');
    const fp = await seedPipeline(t, o.id, 'Foreign', 1);
    foreign = {
      pipeline: fp.id,
      stage: fp.stages[0],
      user: await seedUser(t, o.id, ['f', 'example.com'].join('@')),
    };
  });
  afterAll(() => t.close());

  const withField = (f: unknown) => (b: Json) => void b.fields.push(f);
  const defaults = (d: () => unknown) => (b: Json) => void (b.lead_defaults = d());
  it.each<[string, (b: Json) => void, string[]]>([
    ['missing name', (b) => delete b.name, ['name']],
    ['name too long', (b) => void (b.name = 'n'.repeat(256)), ['name']],
    ['blank name', (b) => void (b.name = '   '), ['name']],
    ['missing fields', (b) => delete b.fields, ['fields']],
    ['fields not an array', (b) => void (b.fields = { first: 'text' }), ['fields']],
    ['no fields', (b) => void (b.fields = []), ['fields']],
    [
      'too many fields',
      (b) => void b.fields.push(...Array.from({ length: 48 }, (_, i) => field({ name: `f${i}` }))),
      ['fields'],
    ],
    ['field not an object', withField('phone'), ['fields.3']],
    ['unknown field key', withField(field({ placeholder: 'x' })), ['fields.3.placeholder']],
    ['missing label', withField({ name: 'x', type: 'text' }), ['fields.3.label']],
    ['blank label', withField(field({ label: ' ' })), ['fields.3.label']],
    ['name with capitals', withField(field({ name: 'Phone' })), ['fields.3.name']],
    ['name starting with a digit', withField(field({ name: '1phone' })), ['fields.3.name']],
    ['name with a dash', withField(field({ name: 'my-phone' })), ['fields.3.name']],
    ['name too long', withField(field({ name: 'a'.repeat(65) })), ['fields.3.name']],
    ['repeated name', withField(field({ name: 'budget' })), ['fields.3.name']],
    ['unknown type', withField(field({ type: 'date' })), ['fields.3.type']],
    ['required not a boolean', withField(field({ required: 'yes' })), ['fields.3.required']],
    ['select without options', withField(field({ type: 'select' })), ['fields.3.options']],
    ['select with no options', withField(field({ type: 'select', options: [] })), ['fields.3.options']],
    [
      'select with repeated options',
      withField(field({ type: 'select', options: ['a', 'a'] })),
      ['fields.3.options'],
    ],
    [
      'select with an empty option',
      withField(field({ type: 'select', options: ['a', ''] })),
      ['fields.3.options'],
    ],
    [
      'select with a non-string option',
      withField(field({ type: 'select', options: [1] })),
      ['fields.3.options'],
    ],
    [
      'an option longer than the lead field it maps to',
      withField(field({ type: 'select', options: ['s'.repeat(101)], maps_to: 'source' })),
      ['fields.3.options'],
    ],
    ['options on a text field', withField(field({ options: ['a'] })), ['fields.3.options']],
    ['unknown maps_to', withField(field({ maps_to: 'salary' })), ['fields.3.maps_to']],
    ['maps_to a non-writable lead field', withField(field({ maps_to: 'status' })), ['fields.3.maps_to']],
    ['bad custom field key', withField(field({ maps_to: 'custom_fields.' })), ['fields.3.maps_to']],
    ['maps_to used twice', withField(field({ maps_to: 'first_name' })), ['fields.3.maps_to']],
    [
      'custom field key of an unmapped field',
      withField(field({ maps_to: 'custom_fields.budget' })),
      ['fields.3.maps_to'],
    ],
    [
      'checkbox to a lead field',
      withField(field({ type: 'checkbox', maps_to: 'company' })),
      ['fields.3.maps_to'],
    ],
    [
      'nothing maps to first_name or email',
      (b) => void (b.fields = [field({ maps_to: 'company' })]),
      ['fields'],
    ],
    [
      'several problems at once',
      (b) => {
        b.fields[0].type = 'x';
        b.fields[1].label = 5;
      },
      ['fields.0.type', 'fields.1.label'],
    ],
    ['lead_defaults not an object', defaults(() => 'web'), ['lead_defaults']],
    ['lead_defaults null', defaults(() => null), ['lead_defaults']],
    ['unknown default', defaults(() => ({ first_name: 'x' })), ['lead_defaults.first_name']],
    ['blank source', defaults(() => ({ source: '' })), ['lead_defaults.source']],
    ['source too long', defaults(() => ({ source: 's'.repeat(101) })), ['lead_defaults.source']],
    ['unknown status', defaults(() => ({ status: 'hot' })), ['lead_defaults.status']],
    ['tags not an array', defaults(() => ({ tags: 'vip' })), ['lead_defaults.tags']],
    ['empty tag', defaults(() => ({ tags: ['ok', ' '] })), ['lead_defaults.tags.1']],
    [
      'too many tags',
      defaults(() => ({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })),
      ['lead_defaults.tags'],
    ],
    ['pipeline_id not an id', defaults(() => ({ pipeline_id: '1' })), ['lead_defaults.pipeline_id']],
    ['missing pipeline', defaults(() => ({ pipeline_id: 999999 })), ['lead_defaults.pipeline_id']],
    ['missing stage', defaults(() => ({ stage_id: 999999 })), ['lead_defaults.stage_id']],
    ['missing user', defaults(() => ({ assigned_user_id: 999999 })), ['lead_defaults.assigned_user_id']],
    [
      'stage of another pipeline',
      defaults(() => ({ pipeline_id: refs.pipeline, stage_id: refs.otherStage })),
      ['lead_defaults.stage_id'],
    ],
    ['foreign pipeline', defaults(() => ({ pipeline_id: foreign.pipeline })), ['lead_defaults.pipeline_id']],
    ['foreign stage', defaults(() => ({ stage_id: foreign.stage })), ['lead_defaults.stage_id']],
    [
      'foreign user',
      defaults(() => ({ assigned_user_id: foreign.user })),
      ['lead_defaults.assigned_user_id'],
    ],
    ['is_active null', (b) => void (b.is_active = null), ['is_active']],
    ['read-only submissions_count', (b) => void (b.submissions_count = 3), ['submissions_count']],
  ])('%s → 422 on the path', async (_name, mutate, paths) => {
    const body = validForm();
    mutate(body);
    const res = await t.post('/api/v1/forms', body, { key });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.body.errors).sort()).toEqual([...paths].sort());
  });

  it('accepts every field type and a complete set of defaults', async () => {
    const body = validForm();
    body.fields.push(
      field({ name: 'phone', type: 'phone', maps_to: 'phone' }),
      field({ name: 'message', type: 'textarea', maps_to: 'notes' }),
      field({ name: 'consent', type: 'checkbox', required: true, maps_to: 'custom_fields.gdpr' }),
      field({ name: 'utm', type: 'hidden', maps_to: null, options: null }),
    );
    body.lead_defaults = {
      source: 'site',
      status: 'new',
      tags: ['web'],
      pipeline_id: refs.pipeline,
      stage_id: refs.stage,
      assigned_user_id: refs.user,
    };
    const res = await t.post('/api/v1/forms', body, { key });
    expect(res.status).toBe(201);
    expect(res.body.data.fields).toHaveLength(7);
    expect(res.body.data.lead_defaults).toEqual({ ...body.lead_defaults });
  });

  it('an update is validated like a create (foreign stage → 422, nothing changed)', async () => {
    const { id } = (await t.post('/api/v1/forms', validForm(), { key })).body.data;
    const res = await t.patch(
      `/api/v1/forms/${id}`,
      { name: 'New', lead_defaults: { stage_id: foreign.stage } },
      { key },
    );
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.errors)).toEqual(['lead_defaults.stage_id']);
    expect((await t.get(`/api/v1/forms/${id}`, { key })).body.data.name).toBe('Contact us');
  });
});
