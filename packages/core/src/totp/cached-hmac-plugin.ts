/**
 * An otplib CryptoPlugin on node:crypto that caches the HMAC key setup per secret.
 *
 * `createHmac(alg, Buffer)` re-imports the key on every call; a `KeyObject` made once per secret
 * skips that work on the hot path (a verify computes up to 3 HMACs with the same key). The cache
 * is a bounded LRU (insertion-ordered Map) keyed by the raw secret bytes, so secrets of users who
 * stopped logging in do not stay in memory forever.
 *
 * @module totp
 */
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { CryptoPlugin, HashAlgorithm } from '@otplib/core';

/** Largest number of secrets whose key objects are kept. */
export const HMAC_KEY_CACHE_SIZE = 10_000;

const NODE_ALGORITHM: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };

/**
 * Create the plugin.
 *
 * @param capacity - most cached keys (default {@link HMAC_KEY_CACHE_SIZE})
 * @returns an otplib CryptoPlugin
 */
export function createCachedHmacPlugin(capacity = HMAC_KEY_CACHE_SIZE): CryptoPlugin & { cacheSize(): number } {
  const keys = new Map<string, KeyObject>();
  const keyFor = (secret: Uint8Array): KeyObject => {
    const id = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength).toString('latin1');
    let key = keys.get(id);
    if (key === undefined) {
      key = createSecretKey(secret);
      if (keys.size >= capacity) {
        const oldest = keys.keys().next().value;
        if (oldest !== undefined) keys.delete(oldest);
      }
      keys.set(id, key);
    }
    return key;
  };
  return {
    name: 'node-cached',
    algorithms: ['sha1', 'sha256', 'sha512'] as readonly HashAlgorithm[],
    hmac(algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
      const alg = NODE_ALGORITHM[algorithm.toLowerCase().replace('-', '')];
      if (alg === undefined) throw new RangeError(`unsupported HMAC algorithm "${algorithm}"`);
      return createHmac(alg, keyFor(key)).update(data).digest();
    },
    randomBytes: (length: number): Uint8Array => randomBytes(length),
    constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
      const x = typeof a === 'string' ? Buffer.from(a) : Buffer.from(a);
      const y = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b);
      return x.length === y.length && timingSafeEqual(x, y);
    },
    cacheSize: () => keys.size,
  } as CryptoPlugin & { cacheSize(): number };
}
