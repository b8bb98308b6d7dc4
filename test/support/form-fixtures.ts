type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Test data of the forms specs. */
export const email = (local: string) => [local, 'example.com'].join('@');

export const validForm = (): Json => ({
  name: 'Contact us',
  fields: [
    { name: 'first', label: 'First name', type: 'text', required: true, maps_to: 'first_name' },
    { name: 'email', label: 'Email', type: 'email', maps_to: 'email' },
    { name: 'budget', label: 'Budget', type: 'select', options: ['small', 'large'] },
  ],
});

/** A form with every field type. */
export const FIELDS = [
  { name: 'first', label: 'First name', type: 'text', maps_to: 'first_name' },
  { name: 'last', label: 'Last name', type: 'text', maps_to: 'last_name' },
  { name: 'mail', label: 'Email', type: 'email', required: true, maps_to: 'email' },
  { name: 'tel', label: 'Phone', type: 'phone', maps_to: 'phone' },
  { name: 'org', label: 'Company', type: 'text', maps_to: 'company' },
  { name: 'message', label: 'Message', type: 'textarea', maps_to: 'notes' },
  {
    name: 'budget',
    label: 'Budget',
    type: 'select',
    options: ['small', 'large'],
    maps_to: 'custom_fields.budget_band',
  },
  { name: 'consent', label: 'I agree', type: 'checkbox', required: true },
  { name: 'utm', label: 'UTM', type: 'hidden' },
];
