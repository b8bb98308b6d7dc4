import { ACTION_SCHEMAS } from '../../src/automations/automation-schemas';
import { DefinitionChecker } from '../../src/automations/automation.validator';
import { publishedSchemas } from '../../src/common/validation/json-schema';
import { FormDefinitionChecker } from '../../src/forms/form-definition.checker';
import { OPENAPI } from '../support/contract';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Issue 12 item 5: the schemas requests are validated with are the ones the document publishes. */
describe('definition schemas: one description for validation and the document', () => {
  it('publishes every registered schema, without the validation-only keywords', () => {
    const published = publishedSchemas();
    for (const [name, schema] of Object.entries(published)) {
      const documented = OPENAPI.components.schemas[name];
      expect(documented).toBeDefined();
      expect(Object.keys(documented.properties)).toEqual(Object.keys(schema.properties as Json));
      expect(documented.required).toEqual(schema.required);
      expect(JSON.stringify(documented)).not.toMatch(/x-trim|x-message/);
    }
  });

  it('documents the action types of the validator, each mapped to its own schema by name', () => {
    const items = OPENAPI.components.schemas.CreateAutomationDto.properties.actions.items;
    const mapping: Record<string, string> = items.discriminator.mapping;
    expect(Object.keys(mapping)).toEqual(Object.keys(ACTION_SCHEMAS));
    for (const [type, ref] of Object.entries(mapping)) {
      const schema = OPENAPI.components.schemas[ref.split('/').pop()!];
      expect(schema.properties.type.enum).toEqual([type]);
    }
    expect(items.oneOf.map((s: Json) => s.$ref).sort()).toEqual(Object.values(mapping).sort());
  });

  it('words schema failures as the API always has, by path, and trims texts in place', () => {
    const check = new DefinitionChecker();
    const actions = [
      { type: 'add_tag', tag: '  vip  ' },
      { type: 'delete_lead' },
      { type: 'assign_user', user_id: '5' },
      { type: 'send_webhook', url: 'https://93.184.215.14/', secret: '' },
      'add_tag',
    ];
    check.actions(actions);
    expect(actions[0]).toEqual({ type: 'add_tag', tag: 'vip' });
    expect(check.errors).toEqual({
      'actions.1.type': [
        'The actions.1.type field must be one of: add_tag, remove_tag, assign_user, set_status, move_to_stage, set_field, send_webhook, send_email, notify_slack.',
      ],
      'actions.2.user_id': ['The actions.2.user_id field must be a positive integer id.'],
      'actions.3.secret': ['The actions.3.secret field must be a string of 1 to 500 characters.'],
      'actions.4': ['The actions.4 field must be an object.'],
    });
  });

  it('reports a select field’s options as one list, and the rules between a field’s parts after the schema', () => {
    const check = new FormDefinitionChecker();
    check.fields([
      { name: 'mail', label: ' Mail ', type: 'email', maps_to: 'email' },
      { name: 'size', label: 'Size', type: 'select', options: ['a', ' a '] },
      { name: 'box', label: 'Box', type: 'checkbox', maps_to: 'company' },
      { name: 'note', label: 'Note', type: 'text', options: ['x'] },
    ]);
    expect(check.errors).toEqual({
      'fields.1.options': [
        'The fields.1.options field must be an array of 1 to 100 distinct non-empty strings (each at most 255 characters), required for select fields.',
      ],
      'fields.2.maps_to': ['The fields.2.maps_to field of a checkbox may only be custom_fields.KEY.'],
      'fields.3.options': ['The fields.3.options field is only allowed for select fields.'],
    });
  });
});
