import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LEGACY_CIPHER_VECTORS } from '@securemfa/testkit';
import { CryptoError } from '../errors.js';
import { createSecretCipher, kdfStats, V2_MIN_ITERATIONS } from './secret-cipher.js';

const passphrase = 'correct horse battery staple';
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
// Low iterations keep the suite fast; the format and the bounds are what is tested here.
const cipher = createSecretCipher({ enabled: true, passphrase, iterations: V2_MIN_ITERATIONS });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as CryptoError).code;
  }
}

describe('legacy format (the originals: PBKDF2-SHA1 ×4, 16-byte salt, zero padding)', () => {
  it.each(LEGACY_CIPHER_VECTORS.map((v) => [v.plain, v.salt, v] as const))(
    'decrypts the openssl-made vector of %s (salt %s) and re-encrypts to the same bytes',
    (_plain, _salt, v) => {
      const c = createSecretCipher({ enabled: false, passphrase: v.passphrase, legacySalt: v.salt });
      expect(c.formatOf(v.stored)).toBe('legacy');
      expect(c.decrypt(v.stored)).toBe(v.plain);
      expect(c.encryptLegacy(v.plain)).toBe(v.stored);
      expect(c.needsReencrypt(v.stored)).toBe(true);
    },
  );

  it('reports a wrong passphrase as tampered instead of returning garbage', () => {
    const v = LEGACY_CIPHER_VECTORS[0]!;
    const c = createSecretCipher({ enabled: false, passphrase: 'wrong passphrase', legacySalt: v.salt });
    expect(codeOf(() => c.decrypt(v.stored))).toBe('ERR_CRYPTO_TAMPERED');
  });

  it('rejects a legacy salt that is not 16 bytes', () => {
    expect(() => createSecretCipher({ enabled: false, passphrase, legacySalt: 'short' })).toThrow(/16 bytes/);
  });
});

describe('v2 format', () => {
  it('round-trips and carries version, iterations and salt in the value', () => {
    const stored = cipher.encrypt(secret);
    expect(stored).toMatch(/^v2\$10000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(secret);
    expect(cipher.formatOf(stored)).toBe('v2');
    expect(cipher.decrypt(stored)).toBe(secret);
    expect(cipher.needsReencrypt(stored)).toBe(false);
  });

  it('uses a fresh salt and IV per value', () => {
    expect(cipher.encrypt(secret)).not.toBe(cipher.encrypt(secret));
  });

  it('is readable by another node (another cipher instance with the same passphrase)', () => {
    const other = createSecretCipher({ enabled: true, passphrase, iterations: V2_MIN_ITERATIONS });
    expect(other.decrypt(cipher.encrypt(secret))).toBe(secret);
  });

  it('derives the master key once per process, not per value', () => {
    const c = createSecretCipher({ enabled: true, passphrase: 'one derivation only', iterations: V2_MIN_ITERATIONS });
    const before = kdfStats.pbkdf2;
    const values = Array.from({ length: 50 }, () => c.encrypt(secret));
    const fresh = createSecretCipher({ enabled: true, passphrase: 'one derivation only', iterations: V2_MIN_ITERATIONS });
    for (const v of values) expect(fresh.decrypt(v)).toBe(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('reports a wrong passphrase as ERR_CRYPTO_TAMPERED', () => {
    const stored = cipher.encrypt(secret);
    const wrong = createSecretCipher({ enabled: true, passphrase: 'not the passphrase', iterations: V2_MIN_ITERATIONS });
    expect(codeOf(() => wrong.decrypt(stored))).toBe('ERR_CRYPTO_TAMPERED');
  });

  it('detects any flipped bit as tampering (never decrypts into garbage)', () => {
    const stored = cipher.encrypt(secret);
    const payload = stored.slice(stored.lastIndexOf('$') + 1);
    const head = stored.slice(0, stored.lastIndexOf('$') + 1);
    const bytes = Buffer.from(payload, 'base64url');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), (bit) => {
        const copy = Buffer.from(bytes);
        copy[bit >> 3]! ^= 1 << (bit & 7);
        const fresh = createSecretCipher({ enabled: true, passphrase, iterations: V2_MIN_ITERATIONS });
        return codeOf(() => fresh.decrypt(head + copy.toString('base64url'))) === 'ERR_CRYPTO_TAMPERED';
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['a truncated value', (s: string) => s.slice(0, -10)],
    ['a changed iteration count', (s: string) => s.replace('$10000$', '$10001$')],
    ['huge iterations (denial of service)', (s: string) => s.replace('$10000$', '$99999999$')],
    ['an extra part', (s: string) => `${s}$x`],
    ['non-base64url characters', (s: string) => `${s.slice(0, -2)}!!`],
  ])('rejects %s quickly as tampered', (_name, mutate) => {
    const started = Date.now();
    expect(codeOf(() => cipher.decrypt(mutate(cipher.encrypt(secret))))).toBe('ERR_CRYPTO_TAMPERED');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('needs re-encryption when the configured iterations change', () => {
    const stored = cipher.encrypt(secret);
    const stronger = createSecretCipher({ enabled: true, passphrase, iterations: 20_000 });
    expect(stronger.needsReencrypt(stored)).toBe(true);
    expect(stronger.decrypt(stored)).toBe(secret);
  });
});

describe('plain values and configuration', () => {
  it('stores plain base32 when data_encryption is off, but still reads encrypted values', () => {
    const off = createSecretCipher({ enabled: false, passphrase, iterations: V2_MIN_ITERATIONS });
    expect(off.encrypt(secret)).toBe(secret);
    expect(off.decrypt(secret)).toBe(secret);
    expect(off.decrypt(cipher.encrypt(secret))).toBe(secret);
    expect(cipher.needsReencrypt(secret)).toBe(true);
  });

  it('refuses to enable encryption without a passphrase', () => {
    expect(() => createSecretCipher({ enabled: true })).toThrow(/passphrase/);
  });

  it('says clearly when an encrypted value is read without a passphrase', () => {
    const none = createSecretCipher({ enabled: false });
    expect(codeOf(() => none.decrypt(cipher.encrypt(secret)))).toBe('ERR_CRYPTO_FORMAT');
  });

  it('rejects iterations outside the bounds', () => {
    expect(() => createSecretCipher({ enabled: true, passphrase, iterations: 1000 })).toThrow(RangeError);
  });

  it('never puts the passphrase or the secret in an error message', () => {
    const stored = cipher.encrypt(secret);
    const wrong = createSecretCipher({ enabled: true, passphrase: 'p@ss-in-message?', iterations: V2_MIN_ITERATIONS });
    try {
      wrong.decrypt(stored);
      throw new Error('expected a failure');
    } catch (err) {
      const e = err as CryptoError;
      const text = `${e.message} ${String((e.cause as Error | undefined)?.message)}`;
      expect(text).not.toContain('p@ss-in-message?');
      expect(text).not.toContain(passphrase);
      expect(text).not.toContain(secret);
    }
  });
});
