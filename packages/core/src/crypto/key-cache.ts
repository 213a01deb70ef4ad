/**
 * Bounded least-recently-used caches for derived keys, and opaque cache ids.
 *
 * Keys are derived once per (passphrase, salt, parameters) and cached, never per request
 * (DESIGN "Secret encryption", STYLE B.12). The cache is bounded so that values carrying many
 * different salts cannot grow memory without limit, and entries are looked up by
 * {@link cacheId}: an HMAC under a random per-process key, so no passphrase (and no fast,
 * guessable hash of one) is kept as a map key.
 *
 * @module crypto
 */
import { createHmac, randomBytes } from 'node:crypto';

/**
 * A map that keeps at most `maxEntries` entries, dropping the least recently used first.
 *
 * @example
 * ```ts
 * const keys = new LruCache<Buffer>(64);
 * keys.set(id, key);
 * keys.get(id); // the key, now the most recently used
 * ```
 */
export class LruCache<V> {
  readonly maxEntries: number;
  readonly #entries = new Map<string, V>();

  /**
   * @param maxEntries - the bound; 0 makes a cache that keeps nothing
   * @throws {RangeError} when `maxEntries` is not a non-negative integer
   */
  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new RangeError(
        `"maxEntries" must be a non-negative integer, got ${String(maxEntries)}`,
      );
    }
    this.maxEntries = maxEntries;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The entry for `key`, marking it most recently used.
   *
   * @param key - the cache id
   * @returns the value, or undefined when absent
   */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /**
   * Store an entry, evicting the least recently used ones beyond the bound.
   *
   * @param key - the cache id
   * @param value - the value
   */
  set(key: string, value: V): void {
    if (this.maxEntries === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Drop every entry. */
  clear(): void {
    this.#entries.clear();
  }
}

const PROCESS_KEY = randomBytes(32);

/**
 * An opaque, collision-resistant id for a tuple of key-derivation inputs: HMAC-SHA256 under a
 * random per-process key over the length-prefixed parts (so `('ab','c')` ≠ `('a','bc')`).
 *
 * @param parts - the inputs (strings are taken as UTF-8, numbers as decimal text)
 * @returns a base64url id, stable within this process only
 * @example
 * ```ts
 * const id = cacheId('v2-master', passphrase, salt, iterations);
 * ```
 */
export function cacheId(...parts: ReadonlyArray<string | number | Uint8Array>): string {
  const mac = createHmac('sha256', PROCESS_KEY);
  const length = Buffer.alloc(4);
  for (const part of parts) {
    const bytes =
      typeof part === 'string' || typeof part === 'number'
        ? Buffer.from(String(part), 'utf8')
        : part;
    length.writeUInt32BE(bytes.length);
    mac.update(length).update(bytes);
  }
  return mac.digest('base64url');
}
