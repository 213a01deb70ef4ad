/**
 * Which format a stored TOTP secret is in, decided from its text alone (no key needed).
 *
 * - `plain`: RFC 4648 base32 (A–Z, 2–7, optional correct `=` padding) of 16–128 characters —
 *   what is stored when `data_encryption` is off;
 * - `v2`: any value containing `$`, the v2 envelope separator (`v2$<iterations>$<salt>$<data>`).
 *   Neither base32 nor base64 uses `$`, so a damaged envelope is still recognised as one and
 *   reported as tampered rather than as an unknown format;
 * - `legacy`: canonical base64 of 1–64 whole AES blocks (the originals' stored form).
 *
 * Anything else is in no known format. The alphabets make the classes disjoint except for a
 * 64-character base64 legacy value that happens to use only base32 letters (probability 2⁻⁶⁴);
 * 24- and 44-character legacy values end in `==`/`=`, which is never valid base32 padding at
 * those lengths.
 *
 * @module crypto
 */

/** The format of a stored secret. */
export type SecretFormat = 'plain' | 'legacy' | 'v2';

/** Shortest plain secret: 16 characters = the originals' 10-byte secrets. */
export const MIN_SECRET_CHARS = 16;
/** Longest plain secret (data characters): 128 (80 bytes; TOTP accepts up to 64). */
export const MAX_SECRET_CHARS = 128;
/** Largest legacy ciphertext accepted, in bytes (64 AES blocks). */
export const MAX_LEGACY_BYTES = 1024;

const BASE32 = /^[A-Z2-7]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Data characters modulo 8 that a base32 encoding can end on (RFC 4648 §6). */
const VALID_TAIL = new Set([0, 2, 4, 5, 7]);

/**
 * True when `value` is an upper-case RFC 4648 base32 TOTP secret of 16–128 data characters,
 * unpadded or with exactly the padding RFC 4648 §6 prescribes.
 *
 * @param value - the candidate
 * @returns whether it is a base32 secret
 * @example
 * ```ts
 * isBase32Secret('JBSWY3DPEHPK3PXP');          // true
 * isBase32Secret('JBSWY3DPEFLW64TMMQ======');  // true (11 bytes, padded)
 * isBase32Secret('jbswy3dpehpk3pxp');          // false: lower case
 * ```
 */
export function isBase32Secret(value: string): boolean {
  if (typeof value !== 'string' || value.length > 2 * MAX_SECRET_CHARS) return false;
  const pad = value.length - value.replace(/=+$/, '').length;
  const data = value.length - pad;
  if (data < MIN_SECRET_CHARS || data > MAX_SECRET_CHARS || !VALID_TAIL.has(data % 8)) return false;
  if (pad !== 0 && (value.length % 8 !== 0 || data % 8 === 0)) return false;
  return BASE32.test(value.slice(0, data));
}

/**
 * True when `value` is canonical base64 (RFC 4648 §4, with padding) of 1–64 whole 16-byte blocks:
 * the shape of the originals' stored ciphertexts.
 *
 * @param value - the candidate
 * @returns whether it has the legacy shape (says nothing about the key)
 */
export function isLegacyShaped(value: string): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length % 4 !== 0) return false;
  if (value.length > (MAX_LEGACY_BYTES / 3 + 1) * 4 || !BASE64.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  return (
    bytes.length > 0 &&
    bytes.length % 16 === 0 &&
    bytes.length <= MAX_LEGACY_BYTES &&
    bytes.toString('base64') === value
  );
}

/**
 * The format of a stored secret, from its text alone.
 *
 * @param stored - the stored value
 * @returns its format, or undefined when it is in none of them
 * @example
 * ```ts
 * detectFormat('v2$600000$…$…');               // 'v2'
 * detectFormat('mZsg31ZWM9qUX93DiJwVyA==');     // 'legacy'
 * detectFormat('JBSWY3DPEHPK3PXP');             // 'plain'
 * detectFormat('hello');                        // undefined
 * ```
 */
export function detectFormat(stored: string): SecretFormat | undefined {
  if (typeof stored !== 'string') return undefined;
  if (stored.includes('$')) return 'v2';
  if (isBase32Secret(stored)) return 'plain';
  if (isLegacyShaped(stored)) return 'legacy';
  return undefined;
}
