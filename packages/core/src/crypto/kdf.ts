/**
 * Key derivation for stored-secret encryption.
 *
 * - legacy: PBKDF2-HMAC-SHA1, 4 iterations, 48 bytes = AES key (32) ‖ CBC IV (16) — what .NET
 *   `new Rfc2898DeriveBytes(passphrase, salt, 4)` then `GetBytes(32)`, `GetBytes(16)` yields
 *   (one continuous PBKDF2 stream; the password string is taken as UTF-8);
 * - v2 master key: PBKDF2-HMAC-SHA256 with many iterations over the passphrase and a 16-byte
 *   salt, derived ONCE per (passphrase, salt, iterations) per process and kept in a bounded LRU;
 * - v2 per-value keys: HKDF-SHA256 (RFC 5869) of the master key with the value's random 16-byte
 *   salt → AES-256 key ‖ HMAC-SHA256 key. Cheap (microseconds), so the hot path never runs PBKDF2.
 *
 * @see RFC 8018 §5.2 (PBKDF2); RFC 5869 (HKDF); seeds 000–004 "Encryption" ("4 key iterations")
 * @see DESIGN.md "Secret encryption" ("derive once and cache, not per request")
 * @module crypto
 */
import { hkdfSync, pbkdf2, pbkdf2Sync, createSecretKey, type KeyObject } from 'node:crypto';
import { cacheId, LruCache } from './key-cache.js';

/** PBKDF2 iterations of the legacy format (seeds: "4 key iterations"). */
export const LEGACY_KDF_ITERATIONS = 4;
/** Master keys kept per process (one per distinct kdf salt in use; 32 bytes each). */
export const MASTER_KEY_CACHE_SIZE = 1024;

const HKDF_INFO = Buffer.from(
  'securemfa stored secret v2: aes-256-cbc key | hmac-sha256 key',
  'utf8',
);

/** How many derivations this process has run (tests assert "once, not per value"). */
export interface KdfStats {
  /** v2 master-key PBKDF2 runs (the expensive ones). */
  readonly pbkdf2: number;
  /** legacy PBKDF2-SHA1 ×4 runs. */
  readonly legacy: number;
}

let pbkdf2Runs = 0;
let legacyRuns = 0;

/**
 * Live counters of key derivations in this process (read-only).
 *
 * @example
 * ```ts
 * const before = kdfStats.pbkdf2;
 * cipher.decrypt(stored);
 * kdfStats.pbkdf2 - before; // 0 once the master key is cached
 * ```
 */
export const kdfStats: KdfStats = {
  get pbkdf2() {
    return pbkdf2Runs;
  },
  get legacy() {
    return legacyRuns;
  },
};

const masterKeys = new LruCache<Buffer>(MASTER_KEY_CACHE_SIZE);
const pending = new Map<string, Promise<Buffer>>();

/** AES key and IV of the legacy format. */
export interface LegacyKeyIv {
  key: Buffer;
  iv: Buffer;
}

/**
 * Derive the legacy AES-256 key and CBC IV (PBKDF2-HMAC-SHA1, 4 iterations, 48 bytes).
 *
 * @param passphrase - data_encryption_passphrase (UTF-8)
 * @param salt - the 16-byte salt (data_encryption_legacy_salt)
 * @returns key = bytes 0–31, iv = bytes 32–47
 * @example
 * ```ts
 * const { key, iv } = deriveLegacyKeyIv('d9GhT=7=Ox8-+LaZ', Buffer.from('sMFA-legacy-salt'));
 * ```
 */
export function deriveLegacyKeyIv(passphrase: string, salt: Uint8Array): LegacyKeyIv {
  legacyRuns += 1;
  const out = pbkdf2Sync(passphrase, salt, LEGACY_KDF_ITERATIONS, 48, 'sha1');
  return { key: out.subarray(0, 32), iv: out.subarray(32, 48) };
}

function masterId(passphrase: string, salt: Uint8Array, iterations: number): string {
  return cacheId('v2-master', passphrase, salt, iterations);
}

/**
 * The v2 master key for (passphrase, salt, iterations): PBKDF2-HMAC-SHA256, 32 bytes, from the
 * process cache when it was derived before. The caller bounds `iterations`.
 *
 * @param passphrase - data_encryption_passphrase
 * @param salt - the 16-byte kdf salt carried in the envelope
 * @param iterations - PBKDF2 iterations carried in the envelope
 * @returns the 32-byte master key (shared; do not modify)
 * @example
 * ```ts
 * const master = deriveMasterKey(passphrase, kdfSalt, 600_000); // ~100 ms the first time, then cached
 * ```
 */
export function deriveMasterKey(passphrase: string, salt: Uint8Array, iterations: number): Buffer {
  const id = masterId(passphrase, salt, iterations);
  const hit = masterKeys.get(id);
  if (hit !== undefined) return hit;
  pbkdf2Runs += 1;
  const key = pbkdf2Sync(passphrase, salt, iterations, 32, 'sha256');
  masterKeys.set(id, key);
  return key;
}

/**
 * {@link deriveMasterKey} on the libuv thread pool, so a host can warm the cache at start-up
 * without blocking the event loop. Concurrent calls for the same inputs share one derivation.
 *
 * @param passphrase - data_encryption_passphrase
 * @param salt - the 16-byte kdf salt
 * @param iterations - PBKDF2 iterations
 * @returns the 32-byte master key
 * @example
 * ```ts
 * await deriveMasterKeyAsync(passphrase, kdfSalt, 600_000);
 * ```
 */
export async function deriveMasterKeyAsync(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<Buffer> {
  const id = masterId(passphrase, salt, iterations);
  const hit = masterKeys.get(id);
  if (hit !== undefined) return hit;
  const running = pending.get(id);
  if (running !== undefined) return running;
  const job = new Promise<Buffer>((resolve, reject) => {
    pbkdf2Runs += 1;
    pbkdf2(passphrase, salt, iterations, 32, 'sha256', (err, key) => {
      if (err !== null) reject(err);
      else {
        masterKeys.set(id, key);
        resolve(key);
      }
    });
  }).finally(() => pending.delete(id));
  pending.set(id, job);
  return job;
}

/**
 * The master key as a KeyObject, made once per (cached) master Buffer: handing hkdfSync a
 * Buffer makes it build a KeyObject on every call, about a third of the per-value cost.
 */
const masterObjects = new WeakMap<Uint8Array, KeyObject>();

function masterObject(master: Uint8Array): KeyObject {
  let key = masterObjects.get(master);
  if (key === undefined) {
    key = createSecretKey(master);
    masterObjects.set(master, key);
  }
  return key;
}

/** Per-value keys of the v2 format. */
export interface ValueKeys {
  /** AES-256-CBC key. */
  encKey: Buffer;
  /** HMAC-SHA256 key. */
  macKey: Buffer;
}

/**
 * Per-value keys: HKDF-SHA256(master, salt = the value's 16 random bytes) → encKey ‖ macKey.
 *
 * @param master - the v2 master key
 * @param valueSalt - the value's random salt
 * @returns independent encryption and MAC keys
 * @example
 * ```ts
 * const { encKey, macKey } = deriveValueKeys(master, randomBytes(16));
 * ```
 */
export function deriveValueKeys(master: Uint8Array, valueSalt: Uint8Array): ValueKeys {
  const okm = Buffer.from(hkdfSync('sha256', masterObject(master), valueSalt, HKDF_INFO, 64));
  return { encKey: okm.subarray(0, 32), macKey: okm.subarray(32, 64) };
}
