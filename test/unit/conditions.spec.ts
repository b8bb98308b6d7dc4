import type { StoredCondition } from '../../src/automations/automation-definition';
import { conditionsHold, fieldValue } from '../../src/engine/conditions';
import type { LeadRecord } from '../../src/leads/lead-record';

const lead = (over: Partial<LeadRecord> = {}): LeadRecord => ({
  id: 1,
  workspace_id: 1,
  first_name: 'Sarah',
  last_name: null,
  email: 'Sarah@Example.com',
  phone: null,
  phone_digits: null,
  company: '',
  source: 'website',
  status: 'new',
  pipeline_id: null,
  pipeline_stage_id: null,
  assigned_user_id: 5,
  notes: null,
  custom_fields: { budget: '250', plan: 'Pro', empty: {} } as never, // {} never stored; still empty
  tags: ['vip', 'Website'],
  lead_score: 40,
  starred: false,
  created_at: new Date(0),
  updated_at: new Date(0),
  ...over,
});

const holds = (c: StoredCondition, l = lead()) => conditionsHold([c], l);

describe('automation conditions (pure)', () => {
  it('no conditions always hold; every condition must hold', () => {
    expect(conditionsHold([], lead())).toBe(true);
    expect(
      conditionsHold(
        [
          { field: 'source', operator: 'equals', value: 'website' },
          { field: 'lead_score', operator: 'gt', value: 50 },
        ],
        lead(),
      ),
    ).toBe(false);
  });

  it.each<[StoredCondition, boolean]>([
    [{ field: 'email', operator: 'equals', value: 'sarah@example.COM' }, true],
    [{ field: 'email', operator: 'not_equals', value: 'SARAH@example.com' }, false],
    [{ field: 'email', operator: 'contains', value: 'EXAMPLE' }, true],
    [{ field: 'source', operator: 'in', value: ['ads', 'WEBSITE'] }, true],
    [{ field: 'status', operator: 'in', value: ['won', 'lost'] }, false],
  ])('text compares case-insensitively: %j → %s', (c, expected) => {
    expect(holds(c)).toBe(expected);
  });

  it.each<[StoredCondition, boolean]>([
    [{ field: 'tags', operator: 'contains', value: 'website' }, true],
    [{ field: 'tags', operator: 'contains', value: 'web' }, false],
    [{ field: 'tags', operator: 'in', value: ['cold', 'VIP'] }, true],
    [{ field: 'tags', operator: 'is_empty' }, false],
  ])('tags are a set of names: %j → %s', (c, expected) => {
    expect(holds(c)).toBe(expected);
  });

  it.each<[StoredCondition, boolean]>([
    [{ field: 'lead_score', operator: 'gt', value: 39 }, true],
    [{ field: 'lead_score', operator: 'lt', value: 40 }, false],
    [{ field: 'custom_fields.budget', operator: 'gt', value: 200 }, true],
    [{ field: 'custom_fields.plan', operator: 'gt', value: 1 }, false],
    [{ field: 'custom_fields.budget', operator: 'equals', value: 250 }, true],
    [{ field: 'assigned_user_id', operator: 'equals', value: 5 }, true],
  ])('gt/lt only for numbers; numeric strings count as numbers: %j → %s', (c, expected) => {
    expect(holds(c)).toBe(expected);
  });

  it.each<[StoredCondition, boolean]>([
    [{ field: 'company', operator: 'is_empty' }, true],
    [{ field: 'last_name', operator: 'is_empty' }, true],
    [{ field: 'custom_fields.missing', operator: 'is_empty' }, true],
    [{ field: 'custom_fields.empty', operator: 'is_empty' }, true],
    [{ field: 'custom_fields.plan', operator: 'is_not_empty' }, true],
    [{ field: 'pipeline_id', operator: 'is_not_empty' }, false],
  ])('empty means null, "", [] or {}; a missing custom field is empty: %j → %s', (c, expected) => {
    expect(holds(c)).toBe(expected);
  });

  it('reads custom fields by key, never from the prototype', () => {
    expect(fieldValue(lead(), 'custom_fields.plan')).toBe('Pro');
    expect(fieldValue(lead(), 'custom_fields.constructor')).toBeNull();
    expect(fieldValue(lead({ tags: undefined as never }), 'tags')).toEqual([]);
  });
});
