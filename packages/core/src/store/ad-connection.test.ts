import { describe, expect, it } from '@jest/globals';
import { checkConnectionOptions, type AdConnectionOptions } from './ad-connection.js';

const ok: AdConnectionOptions = {
  url: 'ldaps://dc1.contoso.com',
  baseDn: 'DC=contoso,DC=com',
  bindDn: 'svc-mfa@contoso.com',
  bindPassword: 'pw',
  timeoutMs: 5000,
};

describe('checkConnectionOptions', () => {
  it('parses host, default ports and the scheme', () => {
    expect(checkConnectionOptions(ok)).toEqual({
      host: 'dc1.contoso.com',
      port: 636,
      secure: true,
    });
    expect(checkConnectionOptions({ ...ok, url: 'ldap://10.0.0.5' })).toEqual({
      host: '10.0.0.5',
      port: 389,
      secure: false,
    });
    expect(checkConnectionOptions({ ...ok, url: 'ldap://[::1]:3389', startTls: true })).toEqual({
      host: '::1',
      port: 3389,
      secure: false,
    });
  });

  it.each<[string, Partial<AdConnectionOptions>, RegExp]>([
    ['a non-LDAP URL', { url: 'https://dc1' }, /"url"/],
    ['a URL with a path', { url: 'ldap://dc1/DC=x' }, /base DN/],
    ['garbage', { url: 'not a url' }, /"url"/],
    ['StartTLS on ldaps://', { startTls: true }, /"startTls"/],
    ['a base DN that is no DN', { baseDn: 'contoso.com' }, /"baseDn"/],
    ['an empty bind DN', { bindDn: ' ' }, /"bindDn"/],
    [
      'an empty password (an unauthenticated bind, RFC 4513 §5.1.2)',
      { bindPassword: '' },
      /"bindPassword"/,
    ],
    ['a zero timeout', { timeoutMs: 0 }, /"timeoutMs"/],
    ['a fractional timeout', { timeoutMs: 1.5 }, /"timeoutMs"/],
    ['a pool of 0', { poolSize: 0 }, /"poolSize"/],
  ])('rejects %s with a TypeError naming the option', (_label, change, message) => {
    expect(() => checkConnectionOptions({ ...ok, ...change })).toThrow(TypeError);
    expect(() => checkConnectionOptions({ ...ok, ...change })).toThrow(message);
  });
});
