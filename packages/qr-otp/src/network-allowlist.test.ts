import { describe, expect, it } from '@jest/globals';
import { createNetworkAllowlist } from './network-allowlist.js';

describe('createNetworkAllowlist', () => {
  const list = createNetworkAllowlist([
    '10.0.0.0/8',
    '192.168.1.0/24',
    '2001:db8::/32',
    '127.0.0.1',
  ]);

  it.each([
    ['10.1.2.3', true],
    ['10.255.255.255', true],
    ['11.0.0.1', false],
    ['192.168.1.77', true],
    ['192.168.2.1', false],
    ['127.0.0.1', true],
    ['127.0.0.2', false],
    ['::ffff:10.9.9.9', true],
    ['::ffff:172.16.0.1', false],
    ['2001:db8:1::5', true],
    ['2001:db9::1', false],
    ['::1', false],
    ['fe80::1%eth0', false],
    ['not-an-ip', false],
    ['', false],
  ])('%s → %s', (address, expected) => {
    expect(list.allows(address)).toBe(expected);
  });

  it('refuses an unknown client address when networks are configured', () => {
    expect(list.allows(undefined)).toBe(false);
  });

  it('allows everyone when no network is configured (the manuals default)', () => {
    const open = createNetworkAllowlist(['', ' ']);
    expect(open.networks).toEqual([]);
    expect(open.allows('203.0.113.9')).toBe(true);
    expect(open.allows(undefined)).toBe(true);
  });

  it.each(['10.0.0.0/33', '2001:db8::/129', '10.0.0/8', 'x/8', '10.0.0.0/8/1', '10.0.0.0/-1'])(
    'rejects the malformed network %s with a RangeError naming it',
    (cidr) => {
      expect(() => createNetworkAllowlist([cidr])).toThrow(
        new RegExp(cidr.replace(/[./]/g, '\\$&')),
      );
    },
  );
});
