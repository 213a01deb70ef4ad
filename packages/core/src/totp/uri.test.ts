import { describe, expect, it } from '@jest/globals';
import { CryptoError } from '../errors.js';
import type { TotpAlgorithm, TotpDigits } from './totp.js';
import { labelFor, parseAdvancedParams, totpUri } from './uri.js';

const secret = 'JBSWY3DPEHPK3PXP';

describe('totpUri (Key Uri Format)', () => {
  it('builds issuer:account label, secret and issuer parameter; defaults are not repeated', () => {
    expect(totpUri({ secret, issuer: 'ACME Co', label: 'alice@acme.example' })).toBe(
      'otpauth://totp/ACME%20Co:alice%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co',
    );
  });

  it('writes the secret in canonical form (upper case, no spaces or padding)', () => {
    expect(totpUri({ secret: 'jbsw y3dp ehpk 3pxp', issuer: 'X', label: 'y' })).toBe(
      'otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X',
    );
    expect(
      totpUri({ secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====', issuer: 'X', label: 'y' }),
    ).toBe('otpauth://totp/X:y?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA&issuer=X');
  });

  it.each([
    // issuer, label, expected label part of the path
    ['ACME Co', 'bob', 'ACME%20Co:bob'],
    ['Fa:ke Corp', 'bob', 'Fa%3Ake%20Corp:bob'],
    ['Corp', 'dom:bob', 'Corp:dom%3Abob'],
    ['A&B #1?', 'x+y@z', 'A%26B%20%231%3F:x%2By%40z'],
    ['a/b%c', 'u=v', 'a%2Fb%25c:u%3Dv'],
    ["O'Brien (IT)*!", 'u', 'O%27Brien%20%28IT%29%2A%21:u'],
    ['Société Générale', 'zoë', 'Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB'],
    [
      '株式会社',
      'ユーザー',
      '%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE:%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC',
    ],
    ['Emoji 🔐', 'u', 'Emoji%20%F0%9F%94%90:u'],
    ['safe-._~', 'A-Z.a_z~0', 'safe-._~:A-Z.a_z~0'],
  ])('escapes issuer %j and label %j', (issuer, label, path) => {
    const uri = totpUri({ secret, issuer, label });
    expect(uri).toBe(`otpauth://totp/${path}?secret=${secret}&issuer=${path.split(':')[0]}`);
    // A standard parser gets the original text back, with exactly one unencoded ':'.
    const parsed = new URL(uri);
    expect(parsed.searchParams.get('issuer')).toBe(issuer);
    const rawLabel = parsed.pathname.replace(/^\/\//, '').replace(/^\//, '');
    expect(rawLabel.split(':')).toHaveLength(2);
    const [i, a] = rawLabel.split(':').map(decodeURIComponent);
    expect([i, a]).toEqual([issuer, label]);
    expect(uri).not.toMatch(/[ +]/);
  });

  it('trims issuer and label', () => {
    expect(totpUri({ secret, issuer: '  ACME ', label: ' bob\n' })).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME',
    );
  });

  it('states non-default verifier parameters so the app makes the codes the server accepts', () => {
    expect(
      totpUri({ secret, issuer: 'X', label: 'y', algorithm: 'SHA256', digits: 8, step: 60 }),
    ).toBe(
      'otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&issuer=X&algorithm=SHA256&digits=8&period=60',
    );
  });

  it('rejects an empty issuer or label with a TypeError', () => {
    expect(() => totpUri({ secret, issuer: ' ', label: 'a' })).toThrow(TypeError);
    expect(() => totpUri({ secret, issuer: ' ', label: 'a' })).toThrow(/"issuer"/);
    expect(() => totpUri({ secret, issuer: 'a', label: '' })).toThrow(/"label"/);
  });

  it('rejects bad parameters with a RangeError and a bad secret with ERR_CRYPTO_FORMAT', () => {
    expect(() => totpUri({ secret, issuer: 'a', label: 'b', digits: 5 as TotpDigits })).toThrow(
      RangeError,
    );
    expect(() =>
      totpUri({ secret, issuer: 'a', label: 'b', algorithm: 'SHA3' as TotpAlgorithm }),
    ).toThrow(/"algorithm"/);
    expect(() => totpUri({ secret, issuer: 'a', label: 'b', step: 0 })).toThrow(/"step"/);
    expect(() => totpUri({ secret: 'short', issuer: 'a', label: 'b' })).toThrow(CryptoError);
  });
});

describe('totpUri with totp_api_otpauth_advanced_params (seed 003)', () => {
  const base = { secret, issuer: 'ACME', label: 'bob' };

  it('restates the seed default "&algorithm=SHA1"', () => {
    expect(totpUri({ ...base, advancedParams: '&algorithm=SHA1' })).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA1',
    );
  });

  it('restates digits and period that agree with the verifier, and adds an https image', () => {
    expect(
      totpUri({
        ...base,
        advancedParams: 'digits=6&period=30&image=https://acme.example/logo.png?s=64',
      }),
    ).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME&digits=6&period=30' +
        '&image=https%3A%2F%2Facme.example%2Flogo.png%3Fs%3D64',
    );
  });

  it('drops advanced parameters that contradict the verifier (the app would make bad codes)', () => {
    expect(totpUri({ ...base, advancedParams: '&algorithm=SHA256&digits=8&period=60' })).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME',
    );
    expect(totpUri({ ...base, algorithm: 'SHA256', advancedParams: '&algorithm=SHA1' })).toBe(
      'otpauth://totp/ACME:bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME&algorithm=SHA256',
    );
  });

  it('cannot inject parameters or change secret/issuer through the advanced text', () => {
    const uri = totpUri({
      ...base,
      advancedParams: '&secret=AAAAAAAAAAAAAAAA&issuer=Evil&image=https://x.example/a%26secret%3DB',
    });
    const q = new URL(uri).searchParams;
    expect(q.getAll('secret')).toEqual(['JBSWY3DPEHPK3PXP']);
    expect(q.getAll('issuer')).toEqual(['ACME']);
    expect(q.get('image')).toBe('https://x.example/a&secret=B');
  });
});

describe('parseAdvancedParams', () => {
  it('reads the seed value', () => {
    expect(parseAdvancedParams('&algorithm=SHA1')).toEqual({
      params: { algorithm: 'SHA1' },
      warnings: [],
    });
  });

  it('accepts an empty or missing value', () => {
    expect(parseAdvancedParams('')).toEqual({ params: {}, warnings: [] });
    expect(parseAdvancedParams(undefined)).toEqual({ params: {}, warnings: [] });
    expect(parseAdvancedParams('&&')).toEqual({ params: {}, warnings: [] });
  });

  it('takes known keys in any case and reports every ignored part', () => {
    expect(
      parseAdvancedParams(
        '&Algorithm=sha512&DIGITS=8&period=45&foo=bar&digits=7&image=http://evil.example/x.png&%E0%A4%A',
      ),
    ).toEqual({
      params: { algorithm: 'SHA512', digits: 8, period: 45 },
      warnings: [
        '"foo" is not a supported otpauth parameter (use algorithm, digits, period or image); ignored',
        'digits is given more than once; the first value is used',
        'image: expected an https URL without credentials; ignored',
        '"%E0%A4%A" is not valid percent-encoding; ignored',
      ],
    });
  });

  it.each([
    ['algorithm=MD5', 'algorithm: got "MD5", expected SHA1, SHA256 or SHA512; ignored'],
    ['digits=5', 'digits: got "5", expected 6, 7 or 8; ignored'],
    ['digits=', 'digits: got "", expected 6, 7 or 8; ignored'],
    ['period=0', 'period: got "0", expected seconds 1–86400; ignored'],
    ['period=86401', 'period: got "86401", expected seconds 1–86400; ignored'],
    ['period=1e3', 'period: got "1e3", expected seconds 1–86400; ignored'],
    [
      'image=https://user:pw@x.example/',
      'image: expected an https URL without credentials; ignored',
    ],
    ['image=javascript:alert(1)', 'image: expected an https URL without credentials; ignored'],
    [
      'issuer=Evil',
      '"issuer" is not a supported otpauth parameter (use algorithm, digits, period or image); ignored',
    ],
    [
      'secret',
      '"secret" is not a supported otpauth parameter (use algorithm, digits, period or image); ignored',
    ],
  ])('ignores %j with a warning', (raw, warning) => {
    expect(parseAdvancedParams(raw)).toEqual({ params: {}, warnings: [warning] });
  });

  it('summarises a long unknown key instead of quoting it', () => {
    const key = 'k'.repeat(100);
    expect(parseAdvancedParams(`${key}=1`).warnings).toEqual([
      'a 100-character value is not a supported otpauth parameter (use algorithm, digits, period or image); ignored',
    ]);
  });
});

describe('labelFor (totp_remove_user_prefix, seed 003)', () => {
  it('shows the full UPN when the option is off', () => {
    expect(labelFor('Test1.Test1@adatum.labnet', false)).toBe('Test1.Test1@adatum.labnet');
  });

  it('hides the UPN prefix (the user part before @) when the option is on', () => {
    expect(labelFor('Test1.Test1@adatum.labnet', true)).toBe('adatum.labnet');
    expect(labelFor('first"last"@x@corp.example', true)).toBe('corp.example');
  });

  it('keeps a name without a usable @ as it is', () => {
    expect(labelFor('nodomain', true)).toBe('nodomain');
    expect(labelFor('trailing@', true)).toBe('trailing@');
    expect(labelFor(' spaced@corp ', false)).toBe('spaced@corp');
  });

  it('feeds totpUri', () => {
    expect(
      totpUri({ secret, issuer: 'Adatum', label: labelFor('Test1.Test1@adatum.labnet', true) }),
    ).toBe('otpauth://totp/Adatum:adatum.labnet?secret=JBSWY3DPEHPK3PXP&issuer=Adatum');
  });
});
