import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretKey, SecretBox, SECRET_MASK } from '../../src/common/crypto/secret-box';
import { assertPublicUrl, isPublicAddress, UnsafeUrlError } from '../../src/common/net/ssrf-guard';

describe('SecretBox', () => {
  const hex = 'a'.repeat(64);

  it('takes LEADHUB_SECRET_KEY as 64 hex characters or base64 of 32 bytes, and refuses anything else', () => {
    expect(loadSecretKey({ secretKey: hex, dataDir: '/nonexistent' })).toEqual(Buffer.alloc(32, 0xaa));
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadSecretKey({ secretKey: b64, dataDir: '/nonexistent' })).toEqual(Buffer.alloc(32, 7));
    expect(
      loadSecretKey({ secretKey: Buffer.alloc(32, 7).toString('base64url'), dataDir: '/nonexistent' }),
    ).toEqual(Buffer.alloc(32, 7));
    for (const bad of ['short', 'a'.repeat(63), Buffer.alloc(16).toString('base64'), 'z'.repeat(64)])
      expect(() => loadSecretKey({ secretKey: bad, dataDir: '/nonexistent' })).toThrow(
        /LEADHUB_SECRET_KEY must be 32 bytes/,
      );
  });

  it('generates the key once into DATA_DIR/secret.key with mode 0600 when none is configured', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'leadhub-key-')), 'data');
    const first = loadSecretKey({ dataDir: dir });
    expect(first).toHaveLength(32);
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ dataDir: dir })).toEqual(first);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
  });

  it('encrypts with a fresh IV, authenticates, and masks', () => {
    const box = SecretBox.withKey(Buffer.alloc(32, 1));
    const a = box.encrypt('super-secret-value');
    expect(a).toMatch(/^v1:/);
    expect(box.encrypt('super-secret-value')).not.toBe(a);
    expect(box.decrypt(a)).toBe('super-secret-value');
    const [v, iv, tag, ct] = a.split(':');
    const flipped = `${v}:${iv}:${tag}:${ct.startsWith('A') ? 'B' : 'A'}${ct.slice(1)}`;
    expect(() => box.decrypt(flipped)).toThrow();
    expect(() => SecretBox.withKey(Buffer.alloc(32, 2)).decrypt(a)).toThrow();
    expect(SecretBox.mask('super-secret-value')).toBe(`${SECRET_MASK}alue`);
    expect(SecretBox.mask('short')).toBe(SECRET_MASK);
    expect(box.maskStored('v1:not-a-token')).toBe(SECRET_MASK);
  });
});

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.31.255.255', false],
    ['172.32.0.1', true],
    ['192.168.0.1', false],
    ['100.64.0.1', false],
    ['100.128.0.1', true],
    ['169.254.169.254', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['8.8.8.8', true],
    ['::1', false],
    ['::', false],
    ['fc00::1', false],
    ['fdff::1', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:a00:1', false],
    ['64:ff9b::7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['2606:4700::1111', true],
    ['not-an-ip', false],
  ])('isPublicAddress(%s) = %s', (ip, expected) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });

  it('rejects other schemes, private literals and hosts resolving to loopback; honours the opt-out', async () => {
    await expect(assertPublicUrl('ftp://8.8.8.8/')).rejects.toMatchObject({ reason: 'scheme' });
    await expect(assertPublicUrl('http://[::1]:8080/')).rejects.toBeInstanceOf(UnsafeUrlError);
    await expect(assertPublicUrl('http://localhost/')).rejects.toMatchObject({ reason: 'private' });
    await expect(assertPublicUrl('http://0x7f.1/')).rejects.toMatchObject({ reason: 'private' });
    await expect(assertPublicUrl('https://8.8.8.8/hook')).resolves.toBeUndefined();
    const allow = { allowPrivate: true };
    await expect(assertPublicUrl('http://localhost/', allow)).resolves.toBeUndefined();
    await expect(assertPublicUrl('file:///etc/passwd', allow)).rejects.toMatchObject({ reason: 'scheme' });
    await expect(assertPublicUrl('http://no-such-host.invalid/', allow)).rejects.toMatchObject({
      reason: 'unresolvable',
    });
  });
});
