import { isPublicAddress } from '../../src/common/net/ssrf-guard';

// The address classification alone; test/robustness/ssrf.spec.ts checks the guard at definition and send time.
describe('SSRF address classification (pure)', () => {
  it.each([
    ['loopback', '127.0.0.1'],
    ['this network', '0.0.0.0'],
    ['private 10/8', '10.0.0.1'],
    ['private 172.16/12', '172.16.5.4'],
    ['private 192.168/16', '192.168.1.1'],
    ['CGNAT', '100.64.0.1'],
    ['link-local / cloud metadata', '169.254.169.254'],
    ['TEST-NET-3', '203.0.113.9'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
    ['IPv6 loopback', '::1'],
    ['IPv6 link-local with a zone', 'fe80::1%eth0'],
    ['IPv6 unique local', 'fd12:3456::1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['6to4 embedding loopback', '2002:7f00:1::'],
    ['NAT64 embedding private', '64:ff9b::10.1.2.3'],
    ['Teredo with a loopback client', '2001:0:4136:e378:8000:63bf:80ff:fffe'],
    ['not an address', 'example.com'],
    ['decimal spelling (not a literal here)', '2130706433'],
  ])('refuses %s (%s)', (_label, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    ['a public IPv4 address', '93.184.215.14'],
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['IPv4-mapped public', '::ffff:8.8.8.8'],
    ['NAT64 embedding a public address', '64:ff9b::808:808'],
  ])('accepts %s (%s)', (_label, address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});
