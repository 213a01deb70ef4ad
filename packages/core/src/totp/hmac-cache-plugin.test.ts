import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import {
  AlgorithmUnsupportedError,
  counterToBytes,
  dynamicTruncate,
  truncateDigits,
  type HashAlgorithm,
} from '@otplib/core';
import { generateSync as generateTotpSync, verifySync } from '@otplib/totp';
import { RFC4226_SECRET_ASCII, RFC4226_VECTORS } from '@securemfa/testkit';
import { createHmacCachePlugin, HMAC_KEY_CACHE_SIZE } from './hmac-cache-plugin.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('RFC 4226 Appendix D - intermediate values through the plugin', () => {
  const plugin = createHmacCachePlugin();
  const key = new Uint8Array(Buffer.from(RFC4226_SECRET_ASCII, 'ascii'));

  it.each(RFC4226_VECTORS.map((v) => [v.counter, v] as const))(
    'counter %i: HMAC-SHA-1, truncation and HOTP match the RFC',
    (counter, v) => {
      const mac = plugin.hmac('sha1', key, counterToBytes(counter)) as Uint8Array;
      expect(hex(mac)).toBe(v.hmac);
      const truncated = dynamicTruncate(mac);
      expect(truncated).toBe(v.truncatedDecimal);
      expect(truncated.toString(16)).toBe(v.truncatedHex);
      expect(truncateDigits(truncated, 6)).toBe(v.hotp);
    },
  );

  it('gives otplib the same HOTP values (TOTP at epoch C·30 is HOTP(K, C))', () => {
    for (const v of RFC4226_VECTORS) {
      expect(
        generateTotpSync({
          secret: key,
          epoch: v.counter * 30,
          crypto: plugin,
        }),
      ).toBe(v.hotp);
    }
  });
});

describe('createHmacCachePlugin hmac', () => {
  it.each(['sha1', 'sha256', 'sha512'] as const)(
    'matches node:crypto %s for keys of 10–200 bytes (including keys longer than a block)',
    (algorithm) => {
      const plugin = createHmacCachePlugin();
      for (const length of [10, 20, 32, 64, 65, 128, 129, 200]) {
        const key = new Uint8Array(randomBytes(length));
        const data = randomBytes(8);
        expect(hex(plugin.hmac(algorithm, key, data) as Uint8Array)).toBe(
          createHmac(algorithm, key).update(data).digest('hex'),
        );
      }
    },
  );

  it('accepts the spellings otplib documents (SHA1, SHA-256, sha_512)', () => {
    const plugin = createHmacCachePlugin();
    const key = new Uint8Array(20).fill(1);
    const data = new Uint8Array(8);
    expect(hex(plugin.hmac('SHA1' as HashAlgorithm, key, data) as Uint8Array)).toBe(
      createHmac('sha1', key).update(data).digest('hex'),
    );
    expect(hex(plugin.hmac('SHA-256' as HashAlgorithm, key, data) as Uint8Array)).toBe(
      createHmac('sha256', key).update(data).digest('hex'),
    );
    expect(hex(plugin.hmac('sha_512' as HashAlgorithm, key, data) as Uint8Array)).toBe(
      createHmac('sha512', key).update(data).digest('hex'),
    );
  });

  it.each(['md5', 'sha224', 'ripemd160', ''])(
    'refuses the digest %j with AlgorithmUnsupportedError',
    (algorithm) => {
      const plugin = createHmacCachePlugin();
      expect(() =>
        plugin.hmac(algorithm as HashAlgorithm, new Uint8Array(20), new Uint8Array(8)),
      ).toThrow(AlgorithmUnsupportedError);
    },
  );

  it('does not declare `algorithms` (all three are supported; otplib then skips a filter per HMAC)', () => {
    expect(createHmacCachePlugin().algorithms).toBeUndefined();
  });

  it('returns the right HMAC when a caller reuses one array for a different key', () => {
    const plugin = createHmacCachePlugin();
    const key = new Uint8Array(20).fill(1);
    const data = new Uint8Array(8);
    const first = hex(plugin.hmac('sha1', key, data) as Uint8Array);
    key.fill(2);
    expect(hex(plugin.hmac('sha1', key, data) as Uint8Array)).toBe(
      createHmac('sha1', Buffer.alloc(20, 2)).update(data).digest('hex'),
    );
    expect(hex(plugin.hmac('sha1', key, data) as Uint8Array)).not.toBe(first);
    expect(plugin.cachedKeys).toBe(1);
  });
});

describe('createHmacCachePlugin key cache', () => {
  it('caches one key per secret array and reuses it', () => {
    const plugin = createHmacCachePlugin();
    const a = new Uint8Array(randomBytes(20));
    const b = new Uint8Array(randomBytes(20));
    for (let i = 0; i < 3; i += 1) {
      plugin.hmac('sha1', a, counterToBytes(i));
      plugin.hmac('sha256', b, counterToBytes(i));
    }
    expect(plugin.cachedKeys).toBe(2);
    plugin.clearCache();
    expect(plugin.cachedKeys).toBe(0);
  });

  it('holds at most `capacity` keys and evicts the least recently used', () => {
    const plugin = createHmacCachePlugin({ capacity: 3 });
    const keys = Array.from({ length: 5 }, () => new Uint8Array(randomBytes(20)));
    const data = new Uint8Array(8);
    const [k0, k1, k2, k3, k4] = keys as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    plugin.hmac('sha1', k0, data);
    plugin.hmac('sha1', k1, data);
    plugin.hmac('sha1', k2, data);
    plugin.hmac('sha1', k0, data); // k0 is now the most recent; k1 the oldest
    plugin.hmac('sha1', k3, data); // evicts k1
    expect(plugin.cachedKeys).toBe(3);
    plugin.hmac('sha1', k4, data); // evicts k2
    expect(plugin.cachedKeys).toBe(3);
    // Results stay right whatever was evicted.
    for (const k of keys) {
      expect(hex(plugin.hmac('sha1', k, data) as Uint8Array)).toBe(
        createHmac('sha1', k).update(data).digest('hex'),
      );
      expect(plugin.cachedKeys).toBeLessThanOrEqual(3);
    }
  });

  it('stays bounded by the default capacity of 10,000 keys', () => {
    expect(HMAC_KEY_CACHE_SIZE).toBe(10_000);
    const plugin = createHmacCachePlugin();
    const data = new Uint8Array(8);
    for (let i = 0; i < HMAC_KEY_CACHE_SIZE + 100; i += 1) {
      plugin.hmac('sha1', new Uint8Array(randomBytes(16)), data);
    }
    expect(plugin.cachedKeys).toBe(HMAC_KEY_CACHE_SIZE);
  });

  it.each([0, -1, 1.5, 1_000_001, Number.NaN])(
    'rejects capacity %p with a RangeError',
    (capacity) => {
      expect(() => createHmacCachePlugin({ capacity })).toThrow(RangeError);
      expect(() => createHmacCachePlugin({ capacity })).toThrow(/"capacity" must be an integer/);
    },
  );
});

describe('createHmacCachePlugin constantTimeEqual and randomBytes', () => {
  const plugin = createHmacCachePlugin();

  it('compares strings and bytes by value', () => {
    expect(plugin.constantTimeEqual('123456', '123456')).toBe(true);
    expect(plugin.constantTimeEqual('123456', '123457')).toBe(false);
    expect(plugin.constantTimeEqual('023456', '123456')).toBe(false);
    expect(plugin.constantTimeEqual('123456', '1234567')).toBe(false);
    expect(plugin.constantTimeEqual('', '')).toBe(true);
    expect(plugin.constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(plugin.constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(plugin.constantTimeEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
    expect(plugin.constantTimeEqual('ab', new Uint8Array([0x61, 0x62]))).toBe(true);
  });

  it('returns random bytes of the requested length', () => {
    const a = plugin.randomBytes(20);
    expect(a).toHaveLength(20);
    expect(hex(plugin.randomBytes(20))).not.toBe(hex(a));
  });

  it('makes otplib verifySync accept and reject exactly as with correct HMACs', () => {
    const key = new Uint8Array(randomBytes(20));
    const epoch = 1_700_000_000;
    const token = generateTotpSync({ secret: key, epoch, crypto: plugin });
    expect(token).toBe(
      truncateDigits(
        dynamicTruncate(
          createHmac('sha1', key)
            .update(counterToBytes(Math.floor(epoch / 30)))
            .digest(),
        ),
        6,
      ),
    );
    expect(
      verifySync({ secret: key, token, epoch, epochTolerance: 30, crypto: plugin }),
    ).toMatchObject({ valid: true, delta: 0 });
    const wrong = String((Number(token) + 1) % 1_000_000).padStart(6, '0');
    expect(verifySync({ secret: key, token: wrong, epoch, crypto: plugin }).valid).toBe(false);
  });
});
