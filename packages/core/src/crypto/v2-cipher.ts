/**
 * The `v2` secret format, the default for new writes.
 *
 * ```
 * v2$<iterations>$<kdfSalt>$<data>        kdfSalt, data: base64url without padding
 * data = valueSalt(16) ‖ iv(16) ‖ ciphertext(AES-256-CBC, PKCS#7) ‖ mac(32)
 * master  = PBKDF2-HMAC-SHA256(passphrase, kdfSalt, iterations, 32)    once per process, cached
 * encKey ‖ macKey = HKDF-SHA256(master, valueSalt)                      per value, microseconds
 * mac     = HMAC-SHA256(macKey, "v2$<iterations>$<kdfSalt>$" ‖ valueSalt ‖ iv ‖ ciphertext)
 * ```
 *
 * Writes use one random kdfSalt per process (per passphrase and iteration count), so a process
 * runs PBKDF2 once however many values it writes; the salt travels in every value, so any node
 * of a farm can read what another wrote (one derivation per distinct salt, then cached). Each
 * value still gets its own random valueSalt (→ its own keys) and IV: equal secrets never encrypt
 * equally.
 *
 * Decryption follows jose's `cbcDecrypt`: parse the prefix → check every length and encoding
 * (canonical base64url only, so no two texts decode to the same bytes) → bound the iteration count
 * (a hostile value cannot make us spin) → verify the MAC in constant time → only then decrypt.
 * Every failure is the same `ERR_CRYPTO_TAMPERED`; the detail is only in `cause`.
 *
 * @see DESIGN.md "Secret encryption"; STYLE.md B.12 and example 2
 * @see jose src/lib/content_encryption.ts (cbcDecrypt)
 * @module crypto
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { deriveMasterKey, deriveMasterKeyAsync, deriveValueKeys } from './kdf.js';
import { cacheId, LruCache } from './key-cache.js';
import { isBase32Secret } from './secret-format.js';
import { tamperedError } from './tampered-error.js';

/** Version prefix of the v2 envelope. */
export const V2_PREFIX = 'v2';
/** Default PBKDF2-HMAC-SHA256 iterations for new values (OWASP Password Storage Cheat Sheet, 2023). */
export const V2_DEFAULT_ITERATIONS = 600_000;
/** Fewest iterations written or accepted. */
export const V2_MIN_ITERATIONS = 100_000;
/** Most iterations written or accepted: a stored value cannot ask for more work than this. */
export const V2_MAX_ITERATIONS = 10_000_000;
/** Longest stored value accepted (a v2 value of a 128-character secret is about 300). */
export const V2_MAX_LENGTH = 4096;

const SALT_BYTES = 16;
const IV_BYTES = 16;
const MAC_BYTES = 32;
const BLOCK = 16;
const B64URL = /^[A-Za-z0-9_-]+$/;
const ITERATIONS_TEXT = /^[1-9][0-9]{0,7}$/;

/** Options of {@link createV2Cipher}. */
export interface V2CipherOptions {
  /** data_encryption_passphrase (non-empty). */
  passphrase: string;
  /** PBKDF2 iterations for new values (default {@link V2_DEFAULT_ITERATIONS}). */
  iterations?: number | undefined;
  /**
   * The kdf salt of new values: 16 bytes, or their base64url text. Default: random, one per
   * process (per passphrase and iterations). A host that keeps one salt for the whole farm (e.g.
   * in its store registration) makes every node derive once in total, instead of once per
   * salt written by each process that ever ran.
   */
  kdfSalt?: Uint8Array | string | undefined;
}

/** Encrypts and decrypts the v2 format under one passphrase. */
export interface V2Cipher {
  /** Iterations written into new values. */
  readonly iterations: number;
  /**
   * A new v2 value for a base32 secret (fresh valueSalt and IV every time).
   *
   * @throws {TypeError} when `plainBase32` is not a base32 secret
   */
  encrypt(plainBase32: string): string;
  /**
   * The base32 secret of a v2 value, written by any node with the same passphrase.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED for any failure (format, lengths, iterations out of
   *   bounds, MAC, padding, wrong passphrase)
   */
  decrypt(stored: string): string;
  /**
   * The iteration count in a v2 value's header (not authenticated: use only to decide whether to
   * rewrite a value that decrypts).
   *
   * @returns the count, or undefined when the header is malformed
   */
  iterationsOf(stored: string): number | undefined;
  /**
   * Derive a master key on the libuv thread pool instead of on first use on the event loop: the
   * write key, or — given a stored value — the key that value needs (a value written by another
   * process carries another kdf salt). Malformed values are ignored (decrypt reports them).
   *
   * @param stored - optionally, a v2 value about to be decrypted
   */
  warmUp(stored?: string): Promise<void>;
}

/** This process's kdf salts for writing, per (passphrase, iterations). */
const writeSalts = new LruCache<Buffer>(64);

function header(iterationsText: string, saltText: string): string {
  return `${V2_PREFIX}$${iterationsText}$${saltText}$`;
}

function mac(
  macKey: Uint8Array,
  head: string,
  valueSalt: Uint8Array,
  iv: Uint8Array,
  ct: Uint8Array,
): Buffer {
  return createHmac('sha256', macKey)
    .update(head, 'utf8')
    .update(valueSalt)
    .update(iv)
    .update(ct)
    .digest();
}

function decodeCanonical(text: string): Buffer | undefined {
  if (!B64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Unused low bits of the last character would otherwise give two texts for the same bytes.
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/**
 * Check the iteration count for new v2 values.
 *
 * @param iterations - the candidate
 * @returns it, when an integer within {@link V2_MIN_ITERATIONS}–{@link V2_MAX_ITERATIONS}
 * @throws {RangeError} otherwise
 */
export function checkV2Iterations(iterations: number): number {
  if (
    !Number.isInteger(iterations) ||
    iterations < V2_MIN_ITERATIONS ||
    iterations > V2_MAX_ITERATIONS
  ) {
    throw new RangeError(
      `"iterations" must be an integer from ${V2_MIN_ITERATIONS} to ${V2_MAX_ITERATIONS}, got ${String(iterations)}`,
    );
  }
  return iterations;
}

/**
 * The iteration count of a v2 header, within bounds, or undefined.
 *
 * @param text - the decimal text between the first two `$`
 */
function parseIterations(text: string): number | undefined {
  if (!ITERATIONS_TEXT.test(text)) return undefined;
  const n = Number(text);
  return n >= V2_MIN_ITERATIONS && n <= V2_MAX_ITERATIONS ? n : undefined;
}

/** The authenticated header of a v2 value, parsed and bounded. */
interface V2Header {
  /** `v2$<iterations>$<kdfSalt>$`, exactly as stored (it is MAC input). */
  head: string;
  iterations: number;
  salt: Buffer;
  /** The part after the header. */
  dataText: string;
}

function parseHeader(stored: string): V2Header | string {
  if (typeof stored !== 'string' || stored.length > V2_MAX_LENGTH) {
    return 'v2: not a string or too long';
  }
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== V2_PREFIX) return 'v2: unknown version or layout';
  const [, iterText = '', saltText = '', dataText = ''] = parts;
  const iterations = parseIterations(iterText);
  if (iterations === undefined) return 'v2: iterations malformed or out of bounds';
  const salt = decodeCanonical(saltText);
  if (salt?.length !== SALT_BYTES) return 'v2: bad kdf salt';
  return { head: header(iterText, saltText), iterations, salt, dataText };
}

function writeSaltOf(option: Uint8Array | string): Buffer {
  const salt =
    typeof option === 'string'
      ? decodeCanonical(option)
      : option instanceof Uint8Array
        ? Buffer.from(option)
        : undefined;
  if (salt?.length !== SALT_BYTES) {
    throw new TypeError(`"kdfSalt" must be ${SALT_BYTES} bytes, or their unpadded base64url text`);
  }
  return salt;
}

/**
 * Create a v2 cipher.
 *
 * @param options - passphrase and iterations
 * @returns the cipher
 * @throws {TypeError} when the passphrase is empty or kdfSalt is not 16 bytes
 * @throws {RangeError} when iterations are outside 100,000–10,000,000
 * @example
 * ```ts
 * const v2 = createV2Cipher({ passphrase });
 * const stored = v2.encrypt('JBSWY3DPEHPK3PXP'); // 'v2$600000$…$…'
 * v2.decrypt(stored);                              // 'JBSWY3DPEHPK3PXP'
 * ```
 */
export function createV2Cipher(options: V2CipherOptions): V2Cipher {
  const { passphrase } = options;
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TypeError('"passphrase" (data_encryption_passphrase) must be a non-empty string');
  }
  const iterations = checkV2Iterations(options.iterations ?? V2_DEFAULT_ITERATIONS);
  let writeSalt: Buffer;
  if (options.kdfSalt !== undefined) {
    writeSalt = writeSaltOf(options.kdfSalt);
  } else {
    const writeId = cacheId('v2-write-salt', passphrase, iterations);
    writeSalt = writeSalts.get(writeId) ?? randomBytes(SALT_BYTES);
    writeSalts.set(writeId, writeSalt);
  }
  const writeHeader = header(String(iterations), writeSalt.toString('base64url'));
  // Master keys this instance has used, by header: a string lookup on the hot path instead of
  // the process cache's HMAC-keyed id.
  const masters = new LruCache<Buffer>(16);
  const masterFor = (head: string, salt: Buffer, iter: number): Buffer => {
    let master = masters.get(head);
    if (master === undefined) {
      master = deriveMasterKey(passphrase, salt, iter);
      masters.set(head, master);
    }
    return master;
  };

  return {
    iterations,

    encrypt(plainBase32) {
      if (!isBase32Secret(plainBase32)) {
        throw new TypeError(
          '"plainBase32" must be an upper-case base32 secret of 16–128 characters',
        );
      }
      const master = masterFor(writeHeader, writeSalt, iterations);
      const valueSalt = randomBytes(SALT_BYTES);
      const iv = randomBytes(IV_BYTES);
      const { encKey, macKey } = deriveValueKeys(master, valueSalt);
      const cipher = createCipheriv('aes-256-cbc', encKey, iv);
      const ct = Buffer.concat([cipher.update(plainBase32, 'latin1'), cipher.final()]);
      const tag = mac(macKey, writeHeader, valueSalt, iv, ct);
      return writeHeader + Buffer.concat([valueSalt, iv, ct, tag]).toString('base64url');
    },

    decrypt(stored) {
      const parsed = parseHeader(stored);
      if (typeof parsed === 'string') throw tamperedError(parsed);
      const { head, iterations: iter, salt, dataText } = parsed;
      const data = decodeCanonical(dataText);
      if (data === undefined) throw tamperedError('v2: bad encoding');
      const ctLength = data.length - SALT_BYTES - IV_BYTES - MAC_BYTES;
      if (ctLength < BLOCK || ctLength % BLOCK !== 0) throw tamperedError('v2: bad lengths');
      const valueSalt = data.subarray(0, SALT_BYTES);
      const iv = data.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
      const ct = data.subarray(SALT_BYTES + IV_BYTES, SALT_BYTES + IV_BYTES + ctLength);
      const tag = data.subarray(SALT_BYTES + IV_BYTES + ctLength);
      const { encKey, macKey } = deriveValueKeys(masterFor(head, salt, iter), valueSalt);
      if (!timingSafeEqual(mac(macKey, head, valueSalt, iv, ct), tag)) {
        throw tamperedError('v2: MAC mismatch (wrong passphrase or altered value)');
      }
      let plain: string;
      try {
        const decipher = createDecipheriv('aes-256-cbc', encKey, iv);
        plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('latin1');
      } catch {
        throw tamperedError('v2: padding');
      }
      // Only reachable if something holding the key encrypted junk: still never returned.
      if (!isBase32Secret(plain)) throw tamperedError('v2: the result is not a base32 secret');
      return plain;
    },

    iterationsOf(stored) {
      const parsed = parseHeader(stored);
      return typeof parsed === 'string' ? undefined : parsed.iterations;
    },

    async warmUp(stored) {
      if (stored === undefined) {
        masters.set(writeHeader, await deriveMasterKeyAsync(passphrase, writeSalt, iterations));
        return;
      }
      const parsed = parseHeader(stored);
      if (typeof parsed === 'string' || masters.get(parsed.head) !== undefined) return;
      masters.set(
        parsed.head,
        await deriveMasterKeyAsync(passphrase, parsed.salt, parsed.iterations),
      );
    },
  };
}
