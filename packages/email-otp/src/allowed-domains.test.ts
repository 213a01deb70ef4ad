import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { addressDomain, createDomainAllowlist, domainMatches } from './allowed-domains.js';

describe('domainMatches: the domain itself or a subdomain, whole labels only', () => {
  it.each([
    ['mydomain.org', 'mydomain.org', true],
    ['eu.mydomain.org', 'mydomain.org', true],
    ['a.b.mydomain.org', 'mydomain.org', true],
    ['evil-mydomain.org', 'mydomain.org', false],
    ['mydomain.org.evil.io', 'mydomain.org', false],
    ['xmydomain.org', 'mydomain.org', false],
    ['example.com', 'com', true],
    ['example.comx', 'com', false],
    ['com', 'com', true],
  ])('%s vs %s → %s', (domain, entry, expected) => {
    expect(domainMatches(domain, entry)).toBe(expected);
  });

  it('property: prefixing a label with anything but a dot never matches', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(label, label, fc.stringMatching(/^[a-z0-9-]{1,8}$/), (a, b, junk) => {
        const entry = `${a}.${b}`;
        expect(domainMatches(`${junk}${entry}`, entry)).toBe(false);
        expect(domainMatches(`${junk}.${entry}`, entry)).toBe(true);
      }),
    );
  });
});

describe('addressDomain', () => {
  it('is the part after the last @, lower case, IDN as punycode, no trailing dot', () => {
    expect(addressDomain('Alice@EU.MyDomain.ORG')).toBe('eu.mydomain.org');
    expect(addressDomain('a@b@mydomain.org.')).toBe('mydomain.org');
    expect(addressDomain('ana@bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('is undefined without a local part or a domain', () => {
    expect(addressDomain('@mydomain.org')).toBeUndefined();
    expect(addressDomain('no-at-sign')).toBeUndefined();
    expect(addressDomain('a@')).toBeUndefined();
  });
});

describe('createDomainAllowlist', () => {
  // The manual's sample: ".com;.net;mydomain.org;mydomain.eu", as the config parses it.
  const list = createDomainAllowlist(['.com', '.net', 'mydomain.org', 'mydomain.eu']);

  it('normalises the entries (no leading dot, lower case)', () => {
    expect(list.entries).toEqual(['com', 'net', 'mydomain.org', 'mydomain.eu']);
    expect(createDomainAllowlist(['  .MyDomain.ORG. ']).entries).toEqual(['mydomain.org']);
  });

  it.each([
    ['ann@mydomain.org', true],
    ['ben@EU.MYDOMAIN.ORG', true],
    ['cid@mydomain.eu', true],
    ['dee@example.com', true],
    ['eli@mail.example.net', true],
    ['eve@evil-mydomain.org', false],
    ['fay@mydomain.org.evil.io', false],
    ['gus@example.org', false],
    ['hal@example.comx', false],
    ['ivy@notmydomain.eu', false],
    ['no-domain', false],
  ])('%s → %s', (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it('an IDN entry matches the same domain written either way', () => {
    const idn = createDomainAllowlist(['bücher.example']);
    expect(idn.allows('a@bücher.example')).toBe(true);
    expect(idn.allows('a@xn--bcher-kva.example')).toBe(true);
    expect(idn.allows('a@bucher.example')).toBe(false);
  });

  it('an empty list allows every address', () => {
    expect(createDomainAllowlist([]).allows('anyone@anywhere.example')).toBe(true);
  });

  it('refuses entries that are not domains, and non-arrays, with a TypeError naming them', () => {
    expect(() => createDomainAllowlist(['.'])).toThrow(TypeError);
    expect(() => createDomainAllowlist(['  '])).toThrow(/is not a domain/);
    expect(() => createDomainAllowlist('com' as unknown as string[])).toThrow(TypeError);
  });
});
