/**
 * TOTP shared secrets: new random secrets, and the base32 text of stored secrets turned into key
 * bytes (RFC 4648 §6 alphabet, as authenticator apps and the originals store them).
 *
 * New secrets are 20 random bytes (160 bits, the length RFC 4226 §4 recommends). Stored secrets
 * may be as short as 10 bytes: the classic 16-character secrets carried over from the originals.
 * Decoding is as lenient as authenticator apps and `oathtool` are (case, spaces, hyphens and `=`
 * padding are ignored, trailing bits that do not fill a byte are dropped), so every secret a user's
 * app accepted keeps working; anything else is a `CryptoError` `ERR_CRYPTO_FORMAT` that never
 * quotes the secret.
 *
 * @see RFC 4226 §4 (R6: shared secret length), RFC 4648 §6 (base32)
 * @module totp
 */
import { randomBytes } from 'node:crypto';
import { base32 } from '@otplib/plugin-base32-scure';
import { CryptoError } from '../errors.js';

/** Bytes of a new secret: 160 bits (RFC 4226 §4 R6 recommends 160, requires at least 128). */
export const NEW_SECRET_BYTES = 20;
/** Shortest secret accepted: the 10-byte (16 base32 characters) secrets of the originals. */
export const MIN_SECRET_BYTES = 10;
/** Longest secret accepted: 64 bytes (the RFC 6238 Appendix B SHA-512 seed; otplib's limit). */
export const MAX_SECRET_BYTES = 64;
/** Most decoded secrets kept in memory (see {@link secretKeyBytes}). */
export const SECRET_CACHE_SIZE = 10_000;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** char code → 5-bit value, -1 for characters outside the alphabet (lower case maps too). */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i += 1) {
  VALUE[ALPHABET.charCodeAt(i)] = i;
  VALUE[ALPHABET.toLowerCase().charCodeAt(i)] = i;
}
/** Separators people type or apps print inside secrets ("JBSW Y3DP …", "JBSW-Y3DP-…"). */
const IGNORED = /[\s-]/g;

function formatError(got: string): CryptoError {
  return new CryptoError(
    'ERR_CRYPTO_FORMAT',
    `the TOTP secret is not base32 of ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes (${got})`,
    { hint: 're-enrol the user to give them a new secret' },
  );
}

/** Decode without caching; the caller owns the result. */
function decode(secret: string): Uint8Array {
  if (typeof secret !== 'string') throw new TypeError('"secret" must be a base32 string');
  const text = secret.replace(IGNORED, '').replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let length = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (VALUE[code] ?? -1) : -1;
    // Never name the character: it is part of a secret.
    if (value < 0) throw formatError(`character ${i + 1} is not in the base32 alphabet`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[length] = (buffer >> bits) & 0xff;
      length += 1;
    }
  }
  // Leftover bits (< 8) are padding bits; apps and oathtool ignore them, so do we (RFC 4648 §3.5
  // allows rejecting them; accepting them keeps carried-over secrets working).
  if (length < MIN_SECRET_BYTES || length > MAX_SECRET_BYTES) throw formatError(`${length} bytes`);
  return out;
}

/**
 * Decode a stored base32 secret into key bytes. Case, spaces, hyphens and `=` padding are ignored.
 *
 * @param secret - the plain (decrypted) base32 secret
 * @returns a new array with the key bytes (10–64 bytes)
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` when it is not base32 or decodes to fewer than 10 or
 *   more than 64 bytes (the message never contains the secret)
 * @throws {TypeError} when `secret` is not a string
 * @example
 * ```ts
 * decodeSecret('JBSW Y3DP EHPK 3PXP').length; // 10
 * ```
 */
export function decodeSecret(secret: string): Uint8Array {
  return decode(secret);
}

/**
 * Canonical form of a stored secret: upper case, no separators, no padding — what the
 * `secret=` parameter of an otpauth:// URI carries.
 *
 * @param secret - the plain base32 secret
 * @returns the canonical base32 text
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` as {@link decodeSecret}
 * @example
 * ```ts
 * canonicalSecret('jbsw-y3dp ehpk 3pxp'); // 'JBSWY3DPEHPK3PXP'
 * ```
 */
export function canonicalSecret(secret: string): string {
  decode(secret);
  return secret.replace(IGNORED, '').replace(/=+$/, '').toUpperCase();
}

/** base32 text → key bytes, least recently used first (Map iteration order is insertion order). */
const cache = new Map<string, Uint8Array>();
/** The most recently used key of {@link cache}. */
let lastKey: string | undefined;

/**
 * Key bytes of a secret, decoded once and kept in a bounded LRU map (at most
 * {@link SECRET_CACHE_SIZE} secrets), so the hot path does not decode base32 on every verify and
 * hands otplib the same array for the same secret (the HMAC plugin keys its cache on it).
 *
 * The array is shared: callers must not modify it. Not part of the public API.
 *
 * @param secret - the plain base32 secret
 * @returns the shared key bytes
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` as {@link decodeSecret}
 * @internal
 */
export function secretKeyBytes(secret: string): Uint8Array {
  const hit = cache.get(secret);
  if (hit !== undefined) {
    // Refresh recency only when it is not already the newest entry (cheap on repeated hits).
    if (lastKey !== secret) {
      cache.delete(secret);
      cache.set(secret, hit);
      lastKey = secret;
    }
    return hit;
  }
  const bytes = decode(secret);
  if (cache.size >= SECRET_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(secret, bytes);
  lastKey = secret;
  return bytes;
}

/**
 * How many decoded secrets are cached (for tests and diagnostics).
 *
 * @returns the number of entries, never more than {@link SECRET_CACHE_SIZE}
 * @internal
 */
export function secretCacheSize(): number {
  return cache.size;
}

/**
 * A new random secret for enrolment: `bytes` bytes from `node:crypto` `randomBytes`, base32
 * without padding (what authenticator apps expect in an otpauth:// URI).
 *
 * @param bytes - length in bytes, 10–64 (default {@link NEW_SECRET_BYTES} = 20, i.e. 32 characters)
 * @returns the base32 secret
 * @throws {RangeError} when `bytes` is not an integer 10–64
 * @example
 * ```ts
 * const secret = generateSecret(); // e.g. 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
 * ```
 */
export function generateSecret(bytes: number = NEW_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(
      `"bytes" must be an integer ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES}, got ${String(bytes)}`,
    );
  }
  return base32.encode(randomBytes(bytes), { padding: false });
}
