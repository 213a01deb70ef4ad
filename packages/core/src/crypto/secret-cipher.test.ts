import { describe, expect, it } from '@jest/globals';
import { inspect } from 'node:util';
import { LEGACY_CIPHER_VECTORS } from '@securemfa/testkit';
import { CryptoError } from '../errors.js';
import { kdfStats } from './kdf.js';
import { DEFAULT_LEGACY_SALT } from './legacy-cipher.js';
import { createSecretCipher } from './secret-cipher.js';
import { V2_MIN_ITERATIONS } from './v2-cipher.js';

const passphrase = 'correct horse battery staple';
const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const fast = { iterations: V2_MIN_ITERATIONS };
const on = createSecretCipher({ enabled: true, passphrase, ...fast });
const legacyVector = LEGACY_CIPHER_VECTORS.find(
  (v) => v.isSecret && v.salt === DEFAULT_LEGACY_SALT,
)!;

function errorOf(fn: () => unknown): CryptoError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CryptoError);
    return err as CryptoError;
  }
  throw new Error('expected a CryptoError');
}

describe('createSecretCipher with data_encryption on', () => {
  it('writes v2 and reads it back', () => {
    const stored = on.encrypt(secret);
    expect(on.formatOf(stored)).toBe('v2');
    expect(on.decrypt(stored)).toBe(secret);
    expect(on.enabled).toBe(true);
  });

  it('reads legacy values of the originals (openssl vectors) with the configured salt', () => {
    for (const v of LEGACY_CIPHER_VECTORS.filter((x) => x.isSecret)) {
      const c = createSecretCipher({
        enabled: true,
        passphrase: v.passphrase,
        legacySalt: v.salt,
        ...fast,
      });
      expect(c.formatOf(v.stored)).toBe('legacy');
      expect(c.decrypt(v.stored)).toBe(v.plain);
      expect(c.encryptLegacy(v.plain)).toBe(v.stored);
    }
  });

  it('re-encrypts legacy → v2 (the support tools path)', () => {
    const c = createSecretCipher({ enabled: true, passphrase: legacyVector.passphrase, ...fast });
    expect(c.needsReencrypt(legacyVector.stored)).toBe(true);
    const rewritten = c.encrypt(c.decrypt(legacyVector.stored));
    expect(c.formatOf(rewritten)).toBe('v2');
    expect(c.needsReencrypt(rewritten)).toBe(false);
    expect(c.decrypt(rewritten)).toBe(legacyVector.plain);
  });

  it('still reads plain values (a store being migrated) and marks them for re-encryption', () => {
    expect(on.formatOf(secret)).toBe('plain');
    expect(on.decrypt(secret)).toBe(secret);
    expect(on.needsReencrypt(secret)).toBe(true);
  });

  it('needsReencrypt: v2 with the current iterations → false, other iterations → true', () => {
    const stronger = createSecretCipher({ enabled: true, passphrase, iterations: 200_000 });
    const current = on.encrypt(secret);
    expect(on.needsReencrypt(current)).toBe(false);
    expect(stronger.needsReencrypt(current)).toBe(true);
    expect(stronger.decrypt(current)).toBe(secret);
  });

  it('reports a wrong passphrase as ERR_CRYPTO_TAMPERED for v2 and legacy alike, with one message', () => {
    const wrong = createSecretCipher({ enabled: true, passphrase: 'wrong passphrase', ...fast });
    const a = errorOf(() => wrong.decrypt(on.encrypt(secret)));
    const b = errorOf(() => wrong.decrypt(legacyVector.stored));
    expect(a.code).toBe('ERR_CRYPTO_TAMPERED');
    expect(b.code).toBe('ERR_CRYPTO_TAMPERED');
    expect(a.message).toBe(b.message);
    expect(a.hint).toMatch(/data_encryption_passphrase/);
  });

  it('costs one PBKDF2 for the first value of the process and none for the next thousand', () => {
    const pass = 'secret-cipher test: one derivation';
    const before = kdfStats.pbkdf2;
    const c = createSecretCipher({ enabled: true, passphrase: pass, ...fast, decryptCacheSize: 0 });
    const first = c.encrypt(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
    const values = Array.from({ length: 1000 }, () => c.encrypt(secret));
    const other = createSecretCipher({
      enabled: true,
      passphrase: pass,
      ...fast,
      decryptCacheSize: 0,
    });
    for (const v of [first, ...values]) expect(other.decrypt(v)).toBe(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('warmUp derives the write key once, and ignores plain, legacy and unknown values', async () => {
    const c = createSecretCipher({
      enabled: true,
      passphrase: 'secret-cipher test: warm up',
      ...fast,
    });
    const before = kdfStats.pbkdf2;
    await c.warmUp(secret);
    await c.warmUp(legacyVector.stored);
    await c.warmUp('hello');
    expect(kdfStats.pbkdf2 - before).toBe(0);
    await c.warmUp();
    expect(kdfStats.pbkdf2 - before).toBe(1);
    expect(c.decrypt(c.encrypt(secret))).toBe(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
    await expect(createSecretCipher({ enabled: false }).warmUp()).resolves.toBeUndefined();
  });

  it('gives the same answer from its decrypt cache and never caches a failure', () => {
    const c = createSecretCipher({ enabled: true, passphrase, ...fast, decryptCacheSize: 2 });
    const stored = c.encrypt(secret);
    expect(c.decrypt(stored)).toBe(secret);
    expect(c.decrypt(stored)).toBe(secret);
    // Change the last two characters to something they are not (a fixed "AA" is sometimes
    // what they already were, and the value then decrypts).
    const tail = stored.slice(-2) === 'AA' ? 'BB' : 'AA';
    const bad = `${stored.slice(0, -2)}${tail}`;
    expect(bad).not.toBe(stored);
    expect(errorOf(() => c.decrypt(bad)).code).toBe('ERR_CRYPTO_TAMPERED');
    expect(errorOf(() => c.decrypt(bad)).code).toBe('ERR_CRYPTO_TAMPERED');
  });
});

describe('createSecretCipher with data_encryption off', () => {
  const off = createSecretCipher({ enabled: false, passphrase, ...fast });

  it('writes the plain base32 secret and reads it back', () => {
    expect(off.encrypt(secret)).toBe(secret);
    expect(off.decrypt(secret)).toBe(secret);
    expect(off.needsReencrypt(secret)).toBe(false);
    expect(off.enabled).toBe(false);
  });

  it('still decrypts v2 and legacy values when a passphrase is set (a partly encrypted store)', () => {
    const stored = on.encrypt(secret);
    expect(off.decrypt(stored)).toBe(secret);
    expect(off.needsReencrypt(stored)).toBe(true);
    const legacy = createSecretCipher({ enabled: false, passphrase: legacyVector.passphrase });
    expect(legacy.decrypt(legacyVector.stored)).toBe(legacyVector.plain);
  });

  it('without a passphrase, reports an encrypted value as ERR_CRYPTO_FORMAT with a hint', () => {
    const bare = createSecretCipher({ enabled: false });
    for (const stored of [on.encrypt(secret), legacyVector.stored]) {
      const err = errorOf(() => bare.decrypt(stored));
      expect(err.code).toBe('ERR_CRYPTO_FORMAT');
      expect(err.message).toMatch(/no data_encryption_passphrase/);
      expect(err.hint).toMatch(/set data_encryption_passphrase/);
    }
    expect(() => bare.encryptLegacy(secret)).toThrow(TypeError);
  });
});

describe('values in no known format', () => {
  it.each([
    ['empty', ''],
    ['text', 'hello world'],
    ['lower-case base32', 'jbswy3dpehpk3pxp'],
    ['base64 of a partial block', Buffer.alloc(20, 7).toString('base64')],
    ['a huge string', 'A'.repeat(1_000_000)],
  ])('report %s as ERR_CRYPTO_FORMAT from decrypt, formatOf and needsReencrypt', (_why, stored) => {
    expect(errorOf(() => on.decrypt(stored)).code).toBe('ERR_CRYPTO_FORMAT');
    expect(errorOf(() => on.formatOf(stored)).code).toBe('ERR_CRYPTO_FORMAT');
    expect(errorOf(() => on.needsReencrypt(stored)).code).toBe('ERR_CRYPTO_FORMAT');
  });

  it('a damaged v2 envelope is tampered, not unknown (anything with a $ is an envelope)', () => {
    expect(errorOf(() => on.decrypt('w2$1$2$3')).code).toBe('ERR_CRYPTO_TAMPERED');
    expect(errorOf(() => on.decrypt('$')).code).toBe('ERR_CRYPTO_TAMPERED');
  });

  it('a non-string is a TypeError', () => {
    expect(() => on.decrypt(undefined as unknown as string)).toThrow(TypeError);
    expect(() => on.formatOf(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('options', () => {
  it('requires a passphrase when encryption is on', () => {
    expect(() => createSecretCipher({ enabled: true })).toThrow(/passphrase.*required/);
    expect(() => createSecretCipher({ enabled: true, passphrase: '' })).toThrow(TypeError);
  });

  it.each([
    [{ enabled: 'true' }, TypeError],
    [{ enabled: true, passphrase: 42 }, TypeError],
    [{ enabled: false, legacySalt: 'short' }, TypeError],
    [{ enabled: false, iterations: 1000 }, RangeError],
    [{ enabled: true, passphrase, iterations: 20_000_000 }, RangeError],
    [{ enabled: false, decryptCacheSize: -1 }, RangeError],
  ])('rejects %j', (options, type) => {
    expect(() => createSecretCipher(options as never)).toThrow(type);
  });

  it('refuses to encrypt what is not a base32 secret, without echoing it', () => {
    expect(() => on.encrypt('hunter2-my-password')).toThrow(TypeError);
    expect(() => on.encrypt('hunter2-my-password')).not.toThrow(/hunter2/);
  });
});

describe('no secret in any error', () => {
  it('never puts the passphrase, the plaintext or the stored value into a message, hint or cause', () => {
    const pass = 'p@ss-that-must-not-leak';
    const writer = createSecretCipher({ enabled: true, passphrase: pass, ...fast });
    const wrong = createSecretCipher({ enabled: true, passphrase: `${pass}!`, ...fast });
    const bare = createSecretCipher({ enabled: false });
    const stored = writer.encrypt(secret);
    const legacy = writer.encryptLegacy(secret);
    const failures: unknown[] = [];
    const collect = (fn: () => unknown): void => {
      try {
        fn();
        failures.push(new Error('did not fail'));
      } catch (err) {
        failures.push(err);
      }
    };
    collect(() => wrong.decrypt(stored));
    collect(() => wrong.decrypt(legacy));
    collect(() => writer.decrypt(`${stored}x`));
    collect(() => writer.decrypt(stored.replace('v2$', 'v9$')));
    collect(() => bare.decrypt(stored));
    collect(() => writer.decrypt('not-a-secret value'));
    collect(() => writer.encrypt('not-a-secret value'));
    collect(() => createSecretCipher({ enabled: true, passphrase: pass, legacySalt: 'nope' }));
    expect(failures).toHaveLength(8);
    for (const err of failures) {
      expect((err as Error).message).not.toBe('did not fail');
      const text = `${inspect(err, { depth: 5 })} ${JSON.stringify(err)} ${String((err as CryptoError).hint)}`;
      expect(text).not.toContain(pass);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(stored.split('$')[3]!);
      expect(text).not.toContain(legacy);
      expect(text).not.toContain('not-a-secret value');
    }
  });
});
