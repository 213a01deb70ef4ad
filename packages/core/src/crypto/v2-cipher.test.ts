import { describe, expect, it } from '@jest/globals';
import { createCipheriv, createHmac, hkdfSync, pbkdf2Sync, randomBytes } from 'node:crypto';
import { deriveMasterKey, deriveValueKeys, kdfStats } from './kdf.js';
import {
  createV2Cipher,
  V2_DEFAULT_ITERATIONS,
  V2_MAX_ITERATIONS,
  V2_MIN_ITERATIONS,
} from './v2-cipher.js';

const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const passphrase = 'correct horse battery staple';
// The lowest accepted count keeps the suite fast; the format and the bounds are what is tested.
const v2 = createV2Cipher({ passphrase, iterations: V2_MIN_ITERATIONS });

/**
 * A v2 value built with the openssl CLI alone (not our code), from fixed salts and IV:
 *   MASTER=$(openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt 'pass:correct horse battery staple' \
 *            -kdfopt hexsalt:000102030405060708090a0b0c0d0e0f -kdfopt iter:100000 PBKDF2 | tr -d ':\n')
 *   OKM=$(openssl kdf -keylen 64 -kdfopt digest:SHA256 -kdfopt hexkey:$MASTER \
 *         -kdfopt hexsalt:101112131415161718191a1b1c1d1e1f \
 *         -kdfopt 'info:securemfa stored secret v2: aes-256-cbc key | hmac-sha256 key' HKDF | tr -d ':\n')
 *   printf '%s' GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ \
 *     | openssl enc -aes-256-cbc -K ${OKM:0:64} -iv 202122232425262728292a2b2c2d2e2f > ct.bin
 *   HEAD='v2$100000$AAECAwQFBgcICQoLDA0ODw$'
 *   { printf '%s' "$HEAD"; echo -n 101112…1f202122…2f | xxd -r -p; cat ct.bin; } \
 *     | openssl dgst -sha256 -mac HMAC -macopt hexkey:${OKM:64:64} -binary > tag.bin
 *   { echo -n 101112…1f202122…2f | xxd -r -p; cat ct.bin tag.bin; } | basenc --base64url -w0 | tr -d '='
 */
const OPENSSL_V2 =
  'v2$100000$AAECAwQFBgcICQoLDA0ODw$EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi9fvBND2UIUjZBJO3kwCDcUwsnla_VcXjmMx-ZWOjr_KR7mk1Cb43K1vBu7f5Idte8sWwp-uaDs_BFlZ6BWKxXup6Zb2pMW2vCtOFXvR3FITw';

/** A v2 value as another process would write it (its own random kdf salt), built with node:crypto
 * directly so that this process's key cache has never seen its master key. */
function buildForeignV2(pass: string, plain: string): string {
  const kdfSalt = randomBytes(16);
  const valueSalt = randomBytes(16);
  const iv = randomBytes(16);
  const master = pbkdf2Sync(pass, kdfSalt, 100_000, 32, 'sha256');
  const okm = Buffer.from(
    hkdfSync(
      'sha256',
      master,
      valueSalt,
      'securemfa stored secret v2: aes-256-cbc key | hmac-sha256 key',
      64,
    ),
  );
  const c = createCipheriv('aes-256-cbc', okm.subarray(0, 32), iv);
  const ct = Buffer.concat([c.update(plain, 'latin1'), c.final()]);
  const head = `v2$100000$${kdfSalt.toString('base64url')}$`;
  const tag = createHmac('sha256', okm.subarray(32))
    .update(head)
    .update(valueSalt)
    .update(iv)
    .update(ct)
    .digest();
  return head + Buffer.concat([valueSalt, iv, ct, tag]).toString('base64url');
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).name;
  }
}

describe('v2 format', () => {
  it('decrypts a value built independently with the openssl CLI (KDF, HKDF, MAC layout pinned)', () => {
    expect(v2.decrypt(OPENSSL_V2)).toBe(secret);
  });

  it('writes v2$<iterations>$<kdfSalt>$<salt ‖ iv ‖ ct ‖ mac> and round-trips', () => {
    const stored = v2.encrypt(secret);
    expect(stored).toMatch(/^v2\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]+$/);
    const data = Buffer.from(stored.split('$')[3]!, 'base64url');
    expect(data.length).toBe(16 + 16 + 48 + 32); // 32 characters → 48 bytes with PKCS#7
    expect(stored).not.toContain(secret);
    expect(v2.decrypt(stored)).toBe(secret);
  });

  it('uses a fresh value salt and IV each time: equal secrets never encrypt equally', () => {
    const a = v2.encrypt(secret);
    const b = v2.encrypt(secret);
    expect(a).not.toBe(b);
    const da = Buffer.from(a.split('$')[3]!, 'base64url');
    const db = Buffer.from(b.split('$')[3]!, 'base64url');
    expect(da.subarray(0, 16).equals(db.subarray(0, 16))).toBe(false);
    expect(da.subarray(16, 32).equals(db.subarray(16, 32))).toBe(false);
  });

  it('writes 600,000 iterations by default', () => {
    const c = createV2Cipher({ passphrase: 'default iterations' });
    expect(c.iterations).toBe(V2_DEFAULT_ITERATIONS);
    expect(c.encrypt(secret)).toMatch(/^v2\$600000\$/);
  });

  it('costs one PBKDF2 per process for any number of values and cipher instances', () => {
    const pass = 'v2 test: one derivation';
    const before = kdfStats.pbkdf2;
    const writer = createV2Cipher({ passphrase: pass, iterations: V2_MIN_ITERATIONS });
    const values = Array.from({ length: 100 }, () => writer.encrypt(secret));
    expect(kdfStats.pbkdf2 - before).toBe(1);
    const reader = createV2Cipher({ passphrase: pass, iterations: V2_MIN_ITERATIONS });
    for (const value of values) expect(reader.decrypt(value)).toBe(secret);
    reader.encrypt(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('derives once more for a value written by another process (another kdf salt), then caches it', () => {
    const before = kdfStats.pbkdf2;
    const c = createV2Cipher({ passphrase, iterations: V2_MIN_ITERATIONS });
    const otherSalt = `v2$100000$AAECAwQFBgcICQoLDA0ODg$${OPENSSL_V2.split('$')[3]}`;
    for (let i = 0; i < 3; i += 1)
      expect(codeOf(() => c.decrypt(otherSalt))).toBe('ERR_CRYPTO_TAMPERED');
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('warmUp derives the write key off the event loop, so the first encrypt derives nothing', async () => {
    const c = createV2Cipher({ passphrase: 'v2 test: warm up', iterations: V2_MIN_ITERATIONS });
    const before = kdfStats.pbkdf2;
    await c.warmUp();
    expect(kdfStats.pbkdf2 - before).toBe(1);
    expect(c.decrypt(c.encrypt(secret))).toBe(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('warmUp(stored) derives the key a foreign value needs off the event loop; decrypt then derives nothing', async () => {
    const c = createV2Cipher({ passphrase, iterations: V2_MIN_ITERATIONS });
    const foreign = buildForeignV2(passphrase, secret);
    const before = kdfStats.pbkdf2;
    await c.warmUp(foreign);
    await c.warmUp(foreign);
    await c.warmUp('v2$garbage');
    expect(kdfStats.pbkdf2 - before).toBe(1);
    expect(c.decrypt(foreign)).toBe(secret);
    expect(kdfStats.pbkdf2 - before).toBe(1);
  });

  it('writes with a given kdf salt (one salt for a whole farm) and checks it is 16 bytes', () => {
    const salt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const c = createV2Cipher({ passphrase, iterations: V2_MIN_ITERATIONS, kdfSalt: salt });
    const stored = c.encrypt(secret);
    expect(stored.startsWith('v2$100000$AAECAwQFBgcICQoLDA0ODw$')).toBe(true);
    expect(v2.decrypt(stored)).toBe(secret);
    const byText = createV2Cipher({
      passphrase,
      iterations: V2_MIN_ITERATIONS,
      kdfSalt: 'AAECAwQFBgcICQoLDA0ODw',
    });
    expect(byText.encrypt(secret).split('$')[2]).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(() => createV2Cipher({ passphrase, kdfSalt: new Uint8Array(8) })).toThrow(
      /"kdfSalt" must be 16 bytes/,
    );
    expect(() => createV2Cipher({ passphrase, kdfSalt: 'AAECAwQFBgcICQoLDA0ODw==' })).toThrow(
      TypeError,
    );
  });

  it('reports a wrong passphrase as ERR_CRYPTO_TAMPERED', () => {
    const wrong = createV2Cipher({
      passphrase: 'not the passphrase',
      iterations: V2_MIN_ITERATIONS,
    });
    expect(codeOf(() => wrong.decrypt(OPENSSL_V2))).toBe('ERR_CRYPTO_TAMPERED');
    expect(codeOf(() => wrong.decrypt(v2.encrypt(secret)))).toBe('ERR_CRYPTO_TAMPERED');
  });

  it('reports every truncation as ERR_CRYPTO_TAMPERED', () => {
    const stored = v2.encrypt(secret);
    for (let n = 0; n < stored.length; n += 1) {
      expect(codeOf(() => v2.decrypt(stored.slice(0, n)))).toBe('ERR_CRYPTO_TAMPERED');
    }
  });

  it.each([
    ['another version', OPENSSL_V2.replace(/^v2/, 'v3')],
    ['an extra part', `${OPENSSL_V2}$x`],
    ['leading zeros in the iterations', OPENSSL_V2.replace('$100000$', '$0100000$')],
    ['iterations below the bound', OPENSSL_V2.replace('$100000$', '$99999$')],
    ['iterations above the bound', OPENSSL_V2.replace('$100000$', `$${V2_MAX_ITERATIONS + 1}$`)],
    ['absurd iterations', OPENSSL_V2.replace('$100000$', '$99999999999999999999$')],
    ['a short kdf salt', OPENSSL_V2.replace('AAECAwQFBgcICQoLDA0ODw', 'AAECAwQFBgcICQoLDA0O')],
    ['padding in base64url', `${OPENSSL_V2}==`],
    ['base64 instead of base64url', OPENSSL_V2.replace(/_/g, '/')],
    ['a non-canonical last character', OPENSSL_V2.replace(/Tw$/, 'Tx')],
    ['no ciphertext', `v2$100000$AAECAwQFBgcICQoLDA0ODw$${Buffer.alloc(64).toString('base64url')}`],
    [
      'a partial block',
      `v2$100000$AAECAwQFBgcICQoLDA0ODw$${Buffer.alloc(64 + 15).toString('base64url')}`,
    ],
    ['a huge value', `v2$100000$AAECAwQFBgcICQoLDA0ODw$${'A'.repeat(1_000_000)}`],
    ['garbage', 'v2$$$'],
  ])('reports %s as ERR_CRYPTO_TAMPERED without deriving a key', (_why, stored) => {
    const before = kdfStats.pbkdf2;
    expect(codeOf(() => v2.decrypt(stored))).toBe('ERR_CRYPTO_TAMPERED');
    expect(kdfStats.pbkdf2 - before).toBe(0);
  });

  describe('decrypt order: prefix → lengths → MAC → decrypt', () => {
    // Values built here with the documented construction, to reach the checks after the MAC.
    const kdfSalt = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
    const head = 'v2$100000$AAECAwQFBgcICQoLDA0ODw$';
    const build = (ct: Buffer, opts: { goodMac: boolean }): string => {
      const valueSalt = randomBytes(16);
      const iv = randomBytes(16);
      const { macKey } = deriveValueKeys(deriveMasterKey(passphrase, kdfSalt, 100_000), valueSalt);
      const tag = createHmac('sha256', opts.goodMac ? macKey : randomBytes(32))
        .update(head)
        .update(valueSalt)
        .update(iv)
        .update(ct)
        .digest();
      return head + Buffer.concat([valueSalt, iv, ct, tag]).toString('base64url');
    };
    const causeOf = (stored: string): string => {
      try {
        v2.decrypt(stored);
        return 'no error';
      } catch (err) {
        expect((err as { code?: string }).code).toBe('ERR_CRYPTO_TAMPERED');
        return String(((err as Error).cause as Error).message);
      }
    };

    it('checks the MAC before touching the ciphertext (bad MAC and bad padding → the MAC is what failed)', () => {
      expect(causeOf(build(randomBytes(32), { goodMac: false }))).toMatch(/MAC mismatch/);
    });

    it('reports bad padding under a valid MAC as the same ERR_CRYPTO_TAMPERED', () => {
      // Random blocks decrypt to invalid PKCS#7 padding with probability ≈ 1 − 2⁻⁸; try until one does.
      let cause = '';
      for (let i = 0; i < 20 && !cause.includes('padding'); i += 1)
        cause = causeOf(build(randomBytes(32), { goodMac: true }));
      expect(cause).toMatch(/padding/);
    });

    it('never returns a MAC-valid plaintext that is not a base32 secret', () => {
      const { encKey, macKey } = deriveValueKeys(
        deriveMasterKey(passphrase, kdfSalt, 100_000),
        Buffer.alloc(16),
      );
      const iv = Buffer.alloc(16);
      const c = createCipheriv('aes-256-cbc', encKey, iv);
      const ct = Buffer.concat([c.update('this is not base32 text', 'utf8'), c.final()]);
      const tag = createHmac('sha256', macKey)
        .update(head)
        .update(Buffer.alloc(16))
        .update(iv)
        .update(ct)
        .digest();
      const stored = head + Buffer.concat([Buffer.alloc(16), iv, ct, tag]).toString('base64url');
      expect(causeOf(stored)).toMatch(/not a base32 secret/);
    });
  });

  it('reads the iteration count of a header, or undefined when malformed', () => {
    expect(v2.iterationsOf(OPENSSL_V2)).toBe(100_000);
    expect(v2.iterationsOf('v2$5$x$y')).toBeUndefined();
    expect(v2.iterationsOf('v3$100000$x$y')).toBeUndefined();
    expect(v2.iterationsOf('JBSWY3DPEHPK3PXP')).toBeUndefined();
  });

  it.each([V2_MIN_ITERATIONS - 1, V2_MAX_ITERATIONS + 1, 1.5, Number.NaN])(
    'rejects %p iterations for writing with a RangeError',
    (iterations) => {
      expect(() => createV2Cipher({ passphrase, iterations })).toThrow(RangeError);
    },
  );

  it('rejects an empty passphrase with a TypeError', () => {
    expect(() => createV2Cipher({ passphrase: '' })).toThrow(TypeError);
  });
});
