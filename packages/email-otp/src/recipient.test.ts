import { describe, expect, it } from '@jest/globals';
import { isMailAddress, MAX_ADDRESS_LENGTH, resolveRecipient } from './recipient.js';

describe('resolveRecipient: directory mail, else the UPN', () => {
  it('takes the directory’s mail (AD mail or the store’s e-mail field)', () => {
    expect(resolveRecipient('alice@adatum.labnet', { mail: 'alice.smith@adatum.com' })).toBe(
      'alice.smith@adatum.com',
    );
    expect(resolveRecipient('alice@adatum.labnet', { email: 'a.s@adatum.com' })).toBe(
      'a.s@adatum.com',
    );
  });

  it('takes the first valid address of a multi-valued mail', () => {
    expect(
      resolveRecipient('u@x.test', { mail: 'not an address; second@x.test;third@x.test' }),
    ).toBe('second@x.test');
  });

  it('falls back to the UPN when the directory has no usable mail', () => {
    expect(resolveRecipient('alice@adatum.labnet', {})).toBe('alice@adatum.labnet');
    expect(resolveRecipient(' alice@adatum.labnet ', { mail: '' })).toBe('alice@adatum.labnet');
    expect(resolveRecipient('alice@adatum.labnet', { mail: 'bogus' })).toBe('alice@adatum.labnet');
  });

  it('is undefined when neither gives an address (a down-level logon name)', () => {
    expect(resolveRecipient('ADATUM\\alice', {})).toBeUndefined();
    expect(resolveRecipient('alice', { mobile: '+447700900123' })).toBeUndefined();
  });
});

describe('isMailAddress', () => {
  it.each([
    'alice@adatum.labnet',
    'alice.smith+otp@mail.adatum.com',
    "o'brien@example.ie",
    'ana@bücher.example',
    'x@localhost',
  ])('accepts %s', (a) => {
    expect(isMailAddress(a)).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['alice', 'no @'],
    ['@example.com', 'no local part'],
    ['alice@', 'no domain'],
    ['alice@@example.com', 'an @ in the local part'],
    ['alice smith@example.com', 'a space'],
    ['alice@example.com\r\nBcc: eve@evil.test', 'a header injection'],
    ['alice@example.com, eve@evil.test', 'a second recipient'],
    ['<alice@example.com>', 'brackets'],
    ['"alice"@example.com', 'quotes'],
    ['.alice@example.com', 'a leading dot'],
    ['al..ice@example.com', 'two dots'],
    ['alice@-example.com', 'a label starting with a hyphen'],
    ['alice@exa_mple.com', 'an underscore in the domain'],
    [`${'a'.repeat(65)}@example.com`, 'a local part over 64'],
    [`a@${'b'.repeat(MAX_ADDRESS_LENGTH)}.com`, 'too long'],
  ])('refuses %j (%s)', (a) => {
    expect(isMailAddress(a)).toBe(false);
  });
});
