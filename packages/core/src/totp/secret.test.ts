import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { base32 } from '@otplib/plugin-base32-scure';
import { RFC6238_SECRETS, RFC6238_SECRETS_ASCII } from '@securemfa/testkit';
import { CryptoError } from '../errors.js';
import {
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  NEW_SECRET_BYTES,
  SECRET_CACHE_SIZE,
  canonicalSecret,
  decodeSecret,
  generateSecret,
  secretCacheSize,
  secretKeyBytes,
} from './secret.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('generateSecret', () => {
  it('makes 20 random bytes as 32 base32 characters without padding', () => {
    const a = generateSecret();
    expect(NEW_SECRET_BYTES).toBe(20);
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(decodeSecret(a)).toHaveLength(20);
    expect(generateSecret()).not.toBe(a);
  });

  it('makes other lengths on request and encodes them without padding', () => {
    expect(decodeSecret(generateSecret(10))).toHaveLength(10);
    expect(generateSecret(10)).toMatch(/^[A-Z2-7]{16}$/);
    expect(generateSecret(64)).toMatch(/^[A-Z2-7]{103}$/); // 512 bits → 103 chars, no '='
  });

  it.each([9, 65, 0, 20.5, Number.NaN])('rejects %p bytes with a RangeError', (bytes) => {
    expect(() => generateSecret(bytes)).toThrow(RangeError);
    expect(() => generateSecret(bytes)).toThrow(/"bytes" must be an integer 10–64/);
  });
});

describe('decodeSecret', () => {
  it('decodes the RFC 6238 seeds to their ASCII text (RFC 4648 §6 alphabet)', () => {
    for (const alg of ['SHA1', 'SHA256', 'SHA512'] as const) {
      expect(text(decodeSecret(RFC6238_SECRETS[alg]))).toBe(RFC6238_SECRETS_ASCII[alg]);
    }
  });

  it('decodes what an independent encoder (@scure/base via otplib) encoded', () => {
    for (let length = MIN_SECRET_BYTES; length <= MAX_SECRET_BYTES; length += 1) {
      const bytes = randomBytes(length);
      expect(Buffer.from(decodeSecret(base32.encode(bytes, { padding: true })))).toEqual(bytes);
      expect(Buffer.from(decodeSecret(base32.encode(bytes, { padding: false })))).toEqual(bytes);
    }
  });

  it('accepts the classic 10-byte secrets of the originals', () => {
    const bytes = decodeSecret('JBSWY3DPEHPK3PXP');
    expect(bytes).toHaveLength(10);
    expect(text(bytes)).toBe('Hello!\u00de\u00ad\u00be\u00ef');
  });

  it('ignores case, spaces, hyphens and trailing padding', () => {
    const want = decodeSecret('JBSWY3DPEHPK3PXP');
    for (const variant of [
      'jbswy3dpehpk3pxp',
      'JBSW Y3DP EHPK 3PXP',
      'jbsw-y3dp-ehpk-3pxp',
      ' JBSWY3DPEHPK3PXP\n',
    ]) {
      expect(decodeSecret(variant)).toEqual(want);
    }
    expect(decodeSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====')).toEqual(
      decodeSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA'),
    );
  });

  it('drops trailing bits that do not fill a byte, as authenticator apps and oathtool do', () => {
    // 26 characters = 130 bits = 16 bytes + 2 bits; non-zero padding bits are tolerated.
    expect(decodeSecret('A'.repeat(25) + 'B')).toEqual(new Uint8Array(16));
    expect(decodeSecret('A'.repeat(25) + 'D')).toEqual(new Uint8Array(16));
  });

  it.each([
    ['', '0 bytes'],
    ['JBSWY3DPEHPK3PX', '9 bytes'], // 75 bits
    ['A'.repeat(104), '65 bytes'],
    ['JBSWY3DPEHPK3PX0', 'character 16 is not in the base32 alphabet'],
    ['JBSWY3DP=EHPK3PXP', 'character 9 is not in the base32 alphabet'],
    ['JBSWY3DPEHPK3PXPé', 'character 17 is not in the base32 alphabet'],
  ])('rejects %j with ERR_CRYPTO_FORMAT (%s)', (bad, detail) => {
    let caught: unknown;
    try {
      decodeSecret(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CryptoError);
    expect(caught).toMatchObject({ code: 'ERR_CRYPTO_FORMAT' });
    expect((caught as Error).message).toBe(
      `the TOTP secret is not base32 of ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes (${detail})`,
    );
  });

  it('throws TypeError for a non-string secret', () => {
    expect(() => decodeSecret(undefined as unknown as string)).toThrow(TypeError);
  });

  it('returns a fresh array each time (callers may modify it)', () => {
    const a = decodeSecret('JBSWY3DPEHPK3PXP');
    a.fill(0);
    expect(text(decodeSecret('JBSWY3DPEHPK3PXP'))).toBe('Hello!\u00de\u00ad\u00be\u00ef');
  });
});

describe('canonicalSecret', () => {
  it('upper-cases and strips separators and padding', () => {
    expect(canonicalSecret('jbsw-y3dp ehpk 3pxp')).toBe('JBSWY3DPEHPK3PXP');
    expect(canonicalSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====')).toBe(
      'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA',
    );
  });

  it('rejects what decodeSecret rejects', () => {
    expect(() => canonicalSecret('short')).toThrow(CryptoError);
  });
});

describe('secretKeyBytes (decoded-secret cache)', () => {
  it('returns the same array for the same secret text', () => {
    const s = generateSecret();
    const a = secretKeyBytes(s);
    expect(secretKeyBytes(s)).toBe(a);
    expect(a).toEqual(decodeSecret(s));
  });

  it('never holds more than SECRET_CACHE_SIZE secrets and keeps the recently used one', () => {
    const keep = generateSecret();
    const kept = secretKeyBytes(keep);
    for (let i = 0; i < SECRET_CACHE_SIZE + 50; i += 1) {
      secretKeyBytes(generateSecret());
      if (i % 1000 === 0) secretKeyBytes(keep); // recently used: survives eviction
      expect(secretCacheSize()).toBeLessThanOrEqual(SECRET_CACHE_SIZE);
    }
    expect(secretCacheSize()).toBe(SECRET_CACHE_SIZE);
    expect(secretKeyBytes(keep)).toBe(kept);
  });

  it('does not cache a secret that fails to decode', () => {
    const before = secretCacheSize();
    expect(() => secretKeyBytes('bad!')).toThrow(CryptoError);
    expect(secretCacheSize()).toBe(before);
  });
});
