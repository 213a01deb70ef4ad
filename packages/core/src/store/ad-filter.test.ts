import { describe, expect, it } from '@jest/globals';
import { BerWriter, FilterParser } from 'ldapts';
import {
  andFilter,
  equalityFilter,
  escapeDnValue,
  escapeFilterValue,
  isAttributeDescription,
  objectGuidFilter,
  prefixFilter,
  presenceFilter,
} from './ad-filter.js';

describe('escapeFilterValue (RFC 4515 §3)', () => {
  it.each([
    ['*', '\\2a'],
    ['(', '\\28'],
    [')', '\\29'],
    ['\\', '\\5c'],
    ['\u0000', '\\00'],
    ['*)(objectClass=*', '\\2a\\29\\28objectClass=\\2a'],
    ['a\nb\u007f', 'a\\0ab\\7f'],
  ])('escapes %j as %j', (raw, escaped) => {
    expect(escapeFilterValue(raw)).toBe(escaped);
  });

  it('leaves ordinary UPN characters and non-ASCII text alone', () => {
    expect(escapeFilterValue("o'brien.zoë+mfa@adatum.labnet")).toBe(
      "o'brien.zoë+mfa@adatum.labnet",
    );
  });

  it('round-trips through an RFC 4515 filter parser as one literal value', () => {
    const hostile = '*)(|(objectClass=*)(cn=\\';
    const parsed = FilterParser.parseString(
      equalityFilter('userPrincipalName', hostile),
    ) as unknown as {
      attribute: string;
      value: string;
    };
    expect(parsed.attribute).toBe('userPrincipalName');
    expect(parsed.value).toBe(hostile);
  });

  it('throws a TypeError for a non-string', () => {
    expect(() => escapeFilterValue(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('filter builders', () => {
  it('build equality, prefix, presence and AND filters', () => {
    expect(equalityFilter('userPrincipalName', 'a*b')).toBe('(userPrincipalName=a\\2ab)');
    expect(prefixFilter('userPrincipalName', 'ali(')).toBe('(userPrincipalName=ali\\28*)');
    expect(presenceFilter('sMFA-OTP-secret')).toBe('(sMFA-OTP-secret=*)');
    expect(andFilter('(a=1)')).toBe('(a=1)');
    expect(andFilter('(a=1)', '(b=2)')).toBe('(&(a=1)(b=2))');
  });

  it('objectGuidFilter: the base filter AND any of the GUIDs, each sent as its raw 16 bytes', () => {
    const a = Buffer.from('98c5b3a10f2e4d5c8b7a69584736251a', 'hex');
    const b = Buffer.from('00ff80c0e0f0f8fcfeff7f3f1f0f0703', 'hex');
    const f = objectGuidFilter('(&(objectClass=user)(sMFA-OTP-secret=*))', [a, b]);
    const writer = new BerWriter();
    f.write(writer);
    const ber = writer.buffer;
    expect(ber.includes(a)).toBe(true);
    expect(ber.includes(b)).toBe(true);
    expect(ber.includes(Buffer.from('sMFA-OTP-secret'))).toBe(true);
    // What a text filter would have sent instead: UTF-8 of the un-escaped characters.
    const text = FilterParser.parseString(
      `(objectGUID=${[...a].map((x) => `\\${x.toString(16).padStart(2, '0')}`).join('')})`,
    );
    const w2 = new BerWriter();
    text.write(w2);
    expect(w2.buffer.includes(a)).toBe(false);
    expect(() => objectGuidFilter('(objectClass=user)', [])).toThrow(TypeError);
    expect(() => objectGuidFilter('(objectClass=user)', [Buffer.alloc(15)])).toThrow(TypeError);
  });

  it('refuse attribute names that are not attribute descriptions', () => {
    expect(() => equalityFilter('mail)(cn=*', 'x')).toThrow(TypeError);
    expect(() => prefixFilter('', 'x')).toThrow(TypeError);
    expect(() => andFilter('a=1')).toThrow(TypeError);
  });
});

describe('isAttributeDescription (RFC 4512 §2.5)', () => {
  it.each([
    'mail',
    'msDS-cloudExtensionAttribute10',
    'sMFA-OTP-secret',
    'userCertificate;binary',
    '1.2.840.113556.1.4.656',
  ])('accepts %j', (name) => {
    expect(isAttributeDescription(name)).toBe(true);
  });

  it.each(['', '1mail', 'mail)', 'ma il', 'mail;', '1.', 'a'.repeat(257), '*'])(
    'rejects %j',
    (name) => {
      expect(isAttributeDescription(name)).toBe(false);
    },
  );
});

describe('escapeDnValue (RFC 4514 §2.4)', () => {
  it.each([
    ['qr-otp', 'qr-otp'],
    ['a,b=c', 'a\\,b\\=c'],
    ['+"\\<>;', '\\+\\"\\\\\\<\\>\\;'],
    ['#lead', '\\#lead'],
    [' both ', '\\ both\\ '],
    [' ', '\\ '],
    ['mid#dle', 'mid#dle'],
    ['x\\ ', 'x\\\\\\ '],
    ['nl\n', 'nl\\0a'],
  ])('escapes %j as %j', (raw, escaped) => {
    expect(escapeDnValue(raw)).toBe(escaped);
  });

  it('refuses an empty value', () => {
    expect(() => escapeDnValue('')).toThrow(TypeError);
  });
});
