import { displayPrefix, generateApiKey, hashApiKey, KEY_PATTERN } from '../../src/api-keys/api-key.token';
import { ALL_SCOPES, grants, isKnownScope } from '../../src/common/auth/scopes';
import { bearerToken } from '../../src/common/edge/request-gate';

describe('API keys and scopes (pure)', () => {
  it('generates lh_ + 40 base62 characters that the key pattern accepts, different each time', () => {
    const a = generateApiKey();
    expect(a).toMatch(/^lh_[0-9A-Za-z]{40}$/);
    expect(KEY_PATTERN.test(a)).toBe(true);
    expect(generateApiKey()).not.toBe(a);
    expect(displayPrefix(a)).toBe(a.slice(0, 10));
    expect(hashApiKey(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(a)).not.toContain(a.slice(3));
  });

  it.each([
    ['Bearer lh_abc', 'lh_abc'],
    ['bearer lh_abc', 'lh_abc'],
    ['Bearer  lh_abc', undefined],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['lh_abc', undefined],
  ])('reads the Authorization header %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it('reads no key from a repeated or missing header', () => {
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('knows the scope vocabulary; * grants everything', () => {
    expect(ALL_SCOPES).toContain('delete:leads');
    expect(ALL_SCOPES).not.toContain('delete:tags');
    expect(isKnownScope('*')).toBe(true);
    expect(isKnownScope('write:everything')).toBe(false);
    expect(grants(['*'], 'delete:users')).toBe(true);
    expect(grants(['read:leads'], 'write:leads')).toBe(false);
  });
});
