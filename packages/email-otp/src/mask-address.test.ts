import { describe, expect, it } from '@jest/globals';
import { maskAddress, maskAddressesIn } from './mask-address.js';

describe('maskAddress', () => {
  it('keeps the first character of the local part and the whole domain', () => {
    expect(maskAddress('alice.smith@adatum.labnet')).toBe('a***@adatum.labnet');
    expect(maskAddress('a@x.example')).toBe('a***@x.example');
  });

  it('hides the length of the local part', () => {
    expect(maskAddress('b@x.example')).toBe(maskAddress('bartholomew@x.example'));
    expect(maskAddress('bartholomew@x.example')).toBe('b***@x.example');
  });

  it('takes a whole character, not half a surrogate pair', () => {
    expect(maskAddress('😀smile@x.example')).toBe('😀***@x.example');
  });

  it('masks to the last @ and says *** when there is none', () => {
    expect(maskAddress('"a@b"@x.example')).toBe('"***@x.example');
    expect(maskAddress('no-address')).toBe('***');
    expect(maskAddress('@x.example')).toBe('***');
  });
});

describe('maskAddressesIn', () => {
  it('masks every address in an SMTP reply', () => {
    expect(
      maskAddressesIn(
        '550 5.1.1 <bob.jones@example.com>: Recipient address rejected (bob.jones@example.com)',
      ),
    ).toBe('550 5.1.1 <b***@example.com>: Recipient address rejected (b***@example.com)');
  });

  it('leaves text without addresses alone', () => {
    expect(maskAddressesIn('535 Invalid username or password')).toBe(
      '535 Invalid username or password',
    );
  });
});
