import { describe, expect, it } from '@jest/globals';
import { LEGACY_CIPHER_VECTORS } from '@securemfa/testkit';
import { detectFormat, isBase32Secret, isLegacyShaped } from './secret-format.js';

describe('isBase32Secret (RFC 4648 §6, 16–128 characters)', () => {
  it.each([
    'JBSWY3DPEHPK3PXP', // 10 bytes
    'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', // 20 bytes
    'MFRGGZDFMZTWQ2LKNNWG23TPOA', // 16 bytes, unpadded
    'MFRGGZDFMZTWQ2LKNNWG23TPOA======', // 16 bytes, padded
    'JBSWY3DPEFLW64TMMQ======', // 11 bytes, padded
    'A'.repeat(128),
  ])('accepts %s', (s) => {
    expect(isBase32Secret(s)).toBe(true);
  });

  it.each([
    ['too short', 'JBSWY3DPEHPK3PX'],
    ['too long', 'A'.repeat(129)],
    ['lower case', 'jbswy3dpehpk3pxp'],
    ['digit 1 is not base32', 'JBSWY3DPEHPK3PX1'],
    ['a length base32 cannot end on (17)', 'JBSWY3DPEHPK3PXPA'],
    ['padding with the wrong count', 'JBSWY3DPEFLW64TMMQ=='],
    ['padding on a whole group', 'JBSWY3DPEHPK3PXP========'],
    ['padding not to a multiple of 8', 'MFRGGZDFMZTWQ2LKNNWG23TPOA='],
    ['a space', 'JBSWY3DP EHPK3PXP'],
    ['empty', ''],
  ])('rejects %s', (_why, s) => {
    expect(isBase32Secret(s)).toBe(false);
  });
});

describe('isLegacyShaped (canonical base64 of whole AES blocks)', () => {
  it('accepts every openssl-made legacy vector', () => {
    for (const v of LEGACY_CIPHER_VECTORS) expect(isLegacyShaped(v.stored)).toBe(true);
  });

  it.each([
    ['15 bytes', Buffer.alloc(15).toString('base64')],
    ['17 bytes', Buffer.alloc(17).toString('base64')],
    ['65 blocks', Buffer.alloc(65 * 16).toString('base64')],
    ['unpadded', 'mZsg31ZWM9qUX93DiJwVyA'],
    ['non-canonical trailing bits', 'mZsg31ZWM9qUX93DiJwVyB=='],
    ['base64url alphabet', 'oS-gDtEsDJ3ry62gTQzUaQkqLfU8eKECA3tmL85eXYw='],
    ['empty', ''],
  ])('rejects %s', (_why, s) => {
    expect(isLegacyShaped(s)).toBe(false);
  });
});

describe('detectFormat', () => {
  it('tells the three formats apart and returns undefined for anything else', () => {
    expect(detectFormat('JBSWY3DPEHPK3PXP')).toBe('plain');
    expect(detectFormat('mZsg31ZWM9qUX93DiJwVyA==')).toBe('legacy');
    expect(detectFormat('v2$600000$AAECAwQFBgcICQoLDA0ODw$abc')).toBe('v2');
    expect(detectFormat('w2$damaged$envelope')).toBe('v2');
    expect(detectFormat('')).toBeUndefined();
    expect(detectFormat('hello world')).toBeUndefined();
    expect(detectFormat(Buffer.alloc(20).toString('base64'))).toBeUndefined();
    expect(detectFormat(42 as unknown as string)).toBeUndefined();
  });

  it('never takes a legacy vector for plain base32 (== and = endings are invalid base32 padding there)', () => {
    for (const v of LEGACY_CIPHER_VECTORS) expect(detectFormat(v.stored)).toBe('legacy');
  });
});
