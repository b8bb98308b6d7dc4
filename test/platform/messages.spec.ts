import { TestApp } from '../support/test-app';

// One message per problem, in the reference's wording, that a person can act on.
describe('validation messages', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    t = await TestApp.start();
    key = await (await t.workspace('messages')).key(['*']);
  });
  afterAll(() => t.close());

  it.each([
    [{}, { first_name: ['The first_name field is required.'] }],
    [{ first_name: '' }, { first_name: ['The first_name field is required.'] }],
    [{ first_name: '   ' }, { first_name: ['The first_name field is required.'] }],
    [{ first_name: null }, { first_name: ['The first_name field is required.'] }],
    [{ first_name: 42 }, { first_name: ['The first_name field must be a string.'] }],
    [{ first_name: 'A', email: 'nope' }, { email: ['The email field must be a valid email address.'] }],
    [
      { first_name: 'x'.repeat(256) },
      { first_name: ['The first_name field must be shorter than or equal to 255 characters.'] },
    ],
    [
      { first_name: 'A', lead_score: 'high' },
      { lead_score: ['The lead_score field must be an integer number.'] },
    ],
    [{ first_name: 'A', id: 5 }, { id: ['The id field is not allowed.'] }],
  ])('POST /leads %j → %j', async (body, errors) => {
    const res = await t.post('/api/v1/leads', body, { key });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      status: 'error',
      code: 'VALIDATION_FAILED',
      message: 'The given data was invalid.',
      errors,
    });
  });

  it('a required nested field left out is "required" too', async () => {
    const res = await t.post('/api/v1/pipelines', {}, { key });
    expect(res.body.errors).toEqual({ name: ['The name field is required.'] });
  });
});
