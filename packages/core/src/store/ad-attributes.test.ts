import { describe, expect, it } from '@jest/globals';
import {
  AD_ATTRIBUTE_NAMES,
  AD_ATTRIBUTES,
  AD_AUX_CLASS,
  AD_CAS_FIELDS,
  AD_OID_ARC,
  casDefaults,
  fromAdBoolean,
  fromAdInteger,
  fromFiletime,
  toAdBoolean,
  toFiletime,
  valuesToRecord,
} from './ad-attributes.js';

describe('the sMFA-OTP-* attribute set (DESIGN "User record")', () => {
  it('has one attribute per record field, with unique names and OIDs under one arc', () => {
    expect(AD_ATTRIBUTE_NAMES).toEqual([
      'sMFA-OTP-secret',
      'sMFA-OTP-enabled',
      'sMFA-OTP-logon',
      'sMFA-OTP-lastlogon',
      'sMFA-OTP-logoncount',
      'sMFA-OTP-failedlogoncount',
      'sMFA-OTP-failedlastlogon',
      'sMFA-OTP-failedcode',
      'sMFA-OTP-logonip',
      'sMFA-OTP-useragent',
      'sMFA-OTP-laststep',
      'sMFA-OTP-email',
      'sMFA-OTP-mobile',
      'sMFA-OTP-created',
    ]);
    const oids = Object.values(AD_ATTRIBUTES).map((a) => a.oid);
    expect(new Set(oids).size).toBe(14);
    for (const oid of [...oids, AD_AUX_CLASS.oid])
      expect(oid.startsWith(`${AD_OID_ARC}.`)).toBe(true);
  });

  it('uses the Microsoft GUID-based OID arc made from GUID b3c5db98-2455-41d2-884c-7a2869d2e34f', () => {
    const hex = 'b3c5db98245541d2884c7a2869d2e34f';
    const parts = [
      hex.slice(0, 4),
      hex.slice(4, 8),
      hex.slice(8, 12),
      hex.slice(12, 16),
      hex.slice(16, 20),
      hex.slice(20, 26),
      hex.slice(26),
    ];
    expect(AD_OID_ARC).toBe(
      `1.2.840.113556.1.8000.2554.${parts.map((p) => parseInt(p, 16)).join('.')}`,
    );
  });

  it('stores laststep and times as Large Integers (a 1-second TOTP step exceeds 2^31)', () => {
    expect(AD_ATTRIBUTES.laststep.kind).toBe('largeInteger');
    expect(AD_ATTRIBUTES.lastlogon.kind).toBe('largeInteger');
    expect(AD_ATTRIBUTES.enabled.kind).toBe('boolean');
    expect(AD_ATTRIBUTES.secret.searchFlags & 0x80).toBe(0x80);
  });

  it('gives every compared field a default value', () => {
    expect(Object.keys(casDefaults()).sort()).toEqual([...AD_CAS_FIELDS].sort());
  });
});

describe('FILETIME conversion', () => {
  it('converts to 100-ns intervals since 1601 (the Unix epoch is 116444736000000000)', () => {
    expect(toFiletime(new Date(0))).toBe('116444736000000000');
    expect(toFiletime(new Date('2026-05-01T10:00:00.123Z'))).toBe(
      ((BigInt(Date.parse('2026-05-01T10:00:00.123Z')) + 11_644_473_600_000n) * 10_000n).toString(),
    );
    expect(toFiletime(null)).toBe('0');
    expect(() => toFiletime(new Date(Number.NaN))).toThrow(TypeError);
  });

  it('round-trips millisecond dates exactly', () => {
    for (const iso of [
      '1999-12-31T23:59:59.999Z',
      '2026-02-28T00:00:00.001Z',
      '2100-01-01T00:00:00.000Z',
    ]) {
      expect(fromFiletime(toFiletime(new Date(iso)))?.toISOString()).toBe(iso);
    }
  });

  it('reads 0, absent and garbage as null, and Generalized Time or ISO text from other tools', () => {
    expect(fromFiletime('0')).toBeNull();
    expect(fromFiletime(undefined)).toBeNull();
    expect(fromFiletime('')).toBeNull();
    expect(fromFiletime('not a time')).toBeNull();
    expect(fromFiletime('20261122120000.0Z')?.toISOString()).toBe('2026-11-22T12:00:00.000Z');
    expect(fromFiletime('20261122120000.5Z')?.toISOString()).toBe('2026-11-22T12:00:00.500Z');
    expect(fromFiletime('2026-11-22T12:00:00.250Z')?.toISOString()).toBe(
      '2026-11-22T12:00:00.250Z',
    );
  });
});

describe('value parsing', () => {
  it('parses LDAP booleans and integers leniently with fallbacks', () => {
    expect(toAdBoolean(true)).toBe('TRUE');
    expect(toAdBoolean(false)).toBe('FALSE');
    expect(fromAdBoolean('true', false)).toBe(true);
    expect(fromAdBoolean('FALSE', true)).toBe(false);
    expect(fromAdBoolean('0', true)).toBe(false);
    expect(fromAdBoolean(undefined, true)).toBe(true);
    expect(fromAdBoolean('maybe', true)).toBe(true);
    expect(fromAdInteger('-1', 0)).toBe(-1);
    expect(fromAdInteger(' 42 ', 0)).toBe(42);
    expect(fromAdInteger('4.2', 7)).toBe(7);
    expect(fromAdInteger('99999999999999999999', 7)).toBe(7);
    expect(fromAdInteger(undefined, 3)).toBe(3);
  });
});

describe('valuesToRecord', () => {
  const values = (o: Record<string, string>): Map<string, string[]> =>
    new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), [v]]));

  it('is undefined without a secret (the AD user exists but is not enrolled)', () => {
    expect(valuesToRecord('a@b', values({ 'sMFA-OTP-enabled': 'TRUE' }))).toBeUndefined();
  });

  it('maps every attribute, case-insensitively', () => {
    const created = new Date('2026-01-02T03:04:05.006Z');
    const rec = valuesToRecord(
      'Alice@adatum.labnet',
      values({
        'SMFA-OTP-SECRET': 'v2$x',
        'sMFA-OTP-enabled': 'FALSE',
        'sMFA-OTP-logon': '1',
        'sMFA-OTP-lastlogon': toFiletime(created),
        'sMFA-OTP-logoncount': '12',
        'sMFA-OTP-failedlogoncount': '2',
        'sMFA-OTP-failedlastlogon': '0',
        'sMFA-OTP-failedcode': '<non-numeric>',
        'sMFA-OTP-logonip': '::1',
        'sMFA-OTP-useragent': 'ua',
        'sMFA-OTP-laststep': '1780000000123',
        'sMFA-OTP-email': 'a@example.test',
        'sMFA-OTP-created': toFiletime(created),
      }),
    );
    expect(rec).toEqual({
      upn: 'Alice@adatum.labnet',
      secret: 'v2$x',
      enabled: false,
      logon: 1,
      lastlogon: created,
      logoncount: 12,
      failedlogoncount: 2,
      failedlastlogon: null,
      failedcode: '<non-numeric>',
      logonip: '::1',
      useragent: 'ua',
      laststep: 1780000000123,
      email: 'a@example.test',
      mobile: null,
      created,
    });
  });

  it('fills the defaults for a record another tool wrote with only a secret', () => {
    expect(valuesToRecord('u', values({ 'sMFA-OTP-secret': 's' }))).toMatchObject({
      enabled: true,
      logon: 0,
      laststep: -1,
      logoncount: 0,
      failedlogoncount: 0,
      lastlogon: null,
      created: new Date(0),
    });
  });
});
