import { DefinitionChecker } from '../../src/automations/automation.validator';
import { FormDefinitionChecker } from '../../src/forms/form-definition.checker';

// The shape checks of automation and form definitions, without a database (records and URLs they name are
// collected in `refs` and checked by the services; test/resources/*-validation.spec.ts covers the API).
describe('automation definitions (pure shape checks)', () => {
  it('accepts a valid trigger and actions, collecting the records they name', () => {
    const c = new DefinitionChecker();
    const trigger = c.trigger({
      type: 'lead.created',
      conditions: [{ field: 'source', operator: 'equals', value: 'website' }],
    });
    const actions = c.actions([
      { type: 'add_tag', tag: 'web' },
      { type: 'assign_user', user_id: 7 },
    ]);
    expect(c.errors).toEqual({});
    expect(c.ok).toBe(true);
    expect(trigger).toEqual({
      type: 'lead.created',
      conditions: [{ field: 'source', operator: 'equals', value: 'website' }],
    });
    expect(actions).toHaveLength(2);
    expect(c.refs.user).toEqual([{ id: 7, path: 'actions.1.user_id' }]);
  });

  it('reports every problem at once, by dotted path', () => {
    const c = new DefinitionChecker();
    c.trigger({
      type: 'lead.exploded',
      conditions: [{ field: 'lead_score', operator: 'contains', value: 1 }],
      x: 1,
    });
    c.actions([{ type: 'add_tag' }, { type: 'teleport' }]);
    expect(c.ok).toBe(false);
    expect(Object.keys(c.errors).sort()).toEqual(
      expect.arrayContaining([
        'actions.0.tag',
        'actions.1.type',
        'trigger.conditions.0.operator',
        'trigger.type',
        'trigger.x',
      ]),
    );
  });

  it('refuses an empty action list and a non-object trigger', () => {
    const c = new DefinitionChecker();
    expect(c.trigger('lead.created')).toBeUndefined();
    expect(c.actions([])).toEqual([]);
    expect(c.errors.trigger).toEqual(['The trigger field must be an object.']);
    expect(c.errors.actions?.[0]).toMatch(/between 1 and \d+ items/);
  });
});

describe('form definitions (pure shape checks)', () => {
  it('accepts fields and lead defaults, filling the defaults', () => {
    const c = new FormDefinitionChecker();
    const fields = c.fields([
      { name: 'email', label: 'Email', type: 'email', required: true, maps_to: 'email' },
      { name: 'budget', label: 'Budget', type: 'select', options: ['small', 'large'] },
    ]);
    const defaults = c.leadDefaults({ status: 'new', pipeline_id: 3 });
    expect(c.errors).toEqual({});
    expect(fields.map((f) => f.name)).toEqual(['email', 'budget']);
    expect(defaults).toMatchObject({ status: 'new', pipeline_id: 3, stage_id: null, tags: [] });
  });

  it('reports bad fields and defaults by path', () => {
    const c = new FormDefinitionChecker();
    c.fields([{ name: 'Bad Name', label: 'x', type: 'select' }]);
    c.leadDefaults({ stage_id: -1, colour: 'red' });
    expect(Object.keys(c.errors)).toEqual(
      expect.arrayContaining(['fields.0.name', 'fields.0.options', 'lead_defaults.colour']),
    );
  });
});
