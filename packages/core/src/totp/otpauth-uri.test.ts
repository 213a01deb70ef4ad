import { describe, expect, it } from '@jest/globals';
import { accountLabel, totpUri } from './otpauth-uri.js';

const secret = 'JBSWY3DPEHPK3PXP';

describe('totpUri', () => {
  it('builds the Key Uri Format with issuer prefix and parameter', () => {
    expect(totpUri({ secret, issuer: 'ACME Co', account: 'alice@acme.example' }).uri).toBe(
      'otpauth://totp/ACME%20Co:alice%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30',
    );
  });

  it.each([
    ['Fa:ke Corp', 'bob', 'Fa%3Ake%20Corp:bob'],
    ['A&B #1', 'x+y@z', 'A%26B%20%231:x%2By%40z'],
    ['Société Générale', 'zoë', 'Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:zo%C3%AB'],
    ["O'Brien (IT)*", 'u', 'O%27Brien%20%28IT%29%2A:u'],
    ['株式会社', 'ユーザー', '%E6%A0%AA%E5%BC%8F%E4%BC%9A%E7%A4%BE:%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BC'],
  ])('escapes issuer %j and account %j', (issuer, account, label) => {
    const { uri } = totpUri({ secret, issuer, account });
    expect(uri.startsWith(`otpauth://totp/${label}?`)).toBe(true);
    const parsed = new URL(uri);
    expect(parsed.searchParams.get('issuer')).toBe(issuer);
    expect(decodeURIComponent(parsed.pathname.slice(1)).split(':').slice(-1)[0]).toBe(account);
  });

  it('applies the advanced parameters it knows and reports the rest', () => {
    const { uri, ignored } = totpUri({
      secret,
      issuer: 'X',
      account: 'y',
      advancedParams: '&algorithm=sha256&digits=8&period=60&foo=bar&digits=5&image=http://evil',
    });
    const q = new URL(uri).searchParams;
    expect([q.get('algorithm'), q.get('digits'), q.get('period')]).toEqual(['SHA256', '8', '60']);
    expect(q.get('foo')).toBeNull();
    expect(q.get('image')).toBeNull();
    expect(ignored).toEqual([
      'foo: not a supported otpauth parameter',
      'digits: "5" is not 6, 7 or 8',
      'image: only https URLs are accepted',
    ]);
  });

  it('rejects an empty issuer or account', () => {
    expect(() => totpUri({ secret, issuer: ' ', account: 'a' })).toThrow(/"issuer"/);
    expect(() => totpUri({ secret, issuer: 'a', account: '' })).toThrow(/"account"/);
  });
});

describe('accountLabel (totp_remove_user_prefix)', () => {
  it('shows the full UPN by default and only the domain when the prefix is removed', () => {
    expect(accountLabel('Test1.Test1@adatum.labnet', false)).toBe('Test1.Test1@adatum.labnet');
    expect(accountLabel('Test1.Test1@adatum.labnet', true)).toBe('adatum.labnet');
    expect(accountLabel('nodomain', true)).toBe('nodomain');
  });
});
