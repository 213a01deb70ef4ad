/**
 * The win-otp message envelope: what the workstation agent and the validation portal (and the
 * agent's offline cache) seal their JSON in. AES-256-CBC, then HMAC-SHA256 over everything
 * (encrypt-then-MAC), keys from `data_encryption_passphrase`.
 *
 * ```
 * w1.<data>                                   data: base64url without padding
 * data    = msgSalt(16) ‖ iv(16) ‖ ciphertext(AES-256-CBC, PKCS#7) ‖ mac(32)
 * master  = PBKDF2-HMAC-SHA256(passphrase, WIN_ENVELOPE_KDF_SALT, iterations, 32)   once per process
 * encKey ‖ macKey = HKDF-SHA256(master, msgSalt, "securemfa win envelope v1 <purpose>")
 * mac     = HMAC-SHA256(macKey, "w1.<purpose>." ‖ msgSalt ‖ iv ‖ ciphertext)
 * ```
 *
 * The purpose (`request`, `response`, `offline-cache`) is bound into both the keys and the MAC:
 * a request cannot be reflected back as a response, and a captured message cannot be planted
 * as the offline cache. The kdf salt is a fixed, public domain constant rather than a value in
 * the message: the portal must never be made to run PBKDF2 for a salt an attacker chose (each
 * run costs ~100 ms); the per-message salt gives every message its own keys.
 *
 * Opening follows jose's `cbcDecrypt`: prefix → lengths → canonical encoding → MAC in constant
 * time → decrypt → JSON object. Every failure is the same `ERR_CRYPTO_TAMPERED` with the same
 * message; what failed is only in `cause`.
 *
 * @see DESIGN.md "win-otp"; seed 004 "Each API request has unique state value which is encrypted with data"
 * @see jose src/lib/content_encryption.ts (cbcDecrypt)
 * @module crypto
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { CryptoError } from '../errors.js';
import { deriveMasterKey, deriveMasterKeyAsync } from './kdf.js';
import { checkV2Iterations, V2_DEFAULT_ITERATIONS } from './v2-cipher.js';

/** Version prefix of the envelope. */
export const WIN_ENVELOPE_PREFIX = 'w1';
/** PBKDF2 iterations of the envelope master key (the v2 default). */
export const WIN_ENVELOPE_ITERATIONS = V2_DEFAULT_ITERATIONS;
/** Longest envelope text accepted (an offline cache of many users fits; a request is ~300). */
export const WIN_ENVELOPE_MAX_LENGTH = 256 * 1024;
/** The fixed kdf salt: SHA-256("securemfa win-otp envelope v1"), first 16 bytes. */
export const WIN_ENVELOPE_KDF_SALT: Buffer = createHash('sha256')
  .update('securemfa win-otp envelope v1')
  .digest()
  .subarray(0, 16);

/** What a sealed value is for; bound into its keys and MAC. */
export type WinEnvelopePurpose = 'request' | 'response' | 'offline-cache';

/** The message of every failure to open an envelope. */
export const WIN_ENVELOPE_REJECTED =
  'the message was rejected: altered, replayed, stale, or sealed with another data_encryption_passphrase';

const PURPOSES: ReadonlySet<string> = new Set(['request', 'response', 'offline-cache']);
const SALT_BYTES = 16;
const IV_BYTES = 16;
const MAC_BYTES = 32;
const BLOCK = 16;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The one, uninformative, failure of the win-otp envelope and messages.
 *
 * @param detail - what failed, for the debug log only (never a secret or plaintext)
 * @returns a CryptoError with code ERR_CRYPTO_TAMPERED
 * @example
 * ```ts
 * if (!fresh) throw winMessageRejected('timestamp outside the allowed skew');
 * ```
 */
export function winMessageRejected(detail: string): CryptoError {
  return new CryptoError('ERR_CRYPTO_TAMPERED', WIN_ENVELOPE_REJECTED, {
    cause: new Error(detail),
    hint: 'agent and portal must share the passphrase (agent data_encryption_passphrase = portal win_portal_passphrase) and have clocks within the allowed skew',
  });
}

/** Options of {@link createWinEnvelope}. */
export interface WinEnvelopeOptions {
  /** The shared passphrase (non-empty). */
  passphrase: string;
  /** PBKDF2 iterations (default {@link WIN_ENVELOPE_ITERATIONS}); both sides must agree. */
  iterations?: number | undefined;
}

/** Seals and opens JSON objects under one passphrase. */
export interface WinEnvelope {
  /**
   * Seal a JSON object (fresh salt and IV every time).
   *
   * @throws {TypeError} when `payload` is not a plain JSON object or the purpose is unknown
   */
  seal(purpose: WinEnvelopePurpose, payload: Record<string, unknown>): string;
  /**
   * Open a sealed JSON object.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED for any failure (format, lengths, MAC, padding,
   *   another purpose, another passphrase, not a JSON object)
   */
  open(purpose: WinEnvelopePurpose, text: string): Record<string, unknown>;
  /** Derive the master key on the thread pool (a host calls this at start-up). */
  warmUp(): Promise<void>;
}

function decodeCanonical(text: string): Buffer | undefined {
  if (!B64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

function keysFor(master: Buffer, purpose: string, salt: Uint8Array): [Buffer, Buffer] {
  const info = Buffer.from(`securemfa win envelope v1 ${purpose}`, 'utf8');
  const okm = Buffer.from(hkdfSync('sha256', master, salt, info, 64));
  return [okm.subarray(0, 32), okm.subarray(32, 64)];
}

function macOf(
  macKey: Buffer,
  purpose: string,
  salt: Uint8Array,
  iv: Uint8Array,
  ct: Uint8Array,
): Buffer {
  return createHmac('sha256', macKey)
    .update(`${WIN_ENVELOPE_PREFIX}.${purpose}.`, 'utf8')
    .update(salt)
    .update(iv)
    .update(ct)
    .digest();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Create the envelope for a passphrase. The master key is derived on first use (or by
 * `warmUp`) and cached for the process.
 *
 * @param options - passphrase, iterations
 * @returns the envelope
 * @throws {TypeError} when the passphrase is empty
 * @throws {RangeError} when iterations are outside 100,000–10,000,000
 * @example
 * ```ts
 * const envelope = createWinEnvelope({ passphrase: config.data_encryption_passphrase });
 * const text = envelope.seal('request', { op: 'validate', upn, code, state, ts });
 * envelope.open('request', text); // the object, or ERR_CRYPTO_TAMPERED
 * ```
 */
export function createWinEnvelope(options: WinEnvelopeOptions): WinEnvelope {
  const { passphrase } = options;
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TypeError('"passphrase" (data_encryption_passphrase) must be a non-empty string');
  }
  const iterations = checkV2Iterations(options.iterations ?? WIN_ENVELOPE_ITERATIONS);
  let master: Buffer | undefined;
  const masterKey = (): Buffer =>
    (master ??= deriveMasterKey(passphrase, WIN_ENVELOPE_KDF_SALT, iterations));
  const checkPurpose = (purpose: string): void => {
    if (!PURPOSES.has(purpose)) {
      throw new TypeError(`"purpose" must be request, response or offline-cache, got ${purpose}`);
    }
  };

  return {
    seal(purpose, payload) {
      checkPurpose(purpose);
      if (!isPlainObject(payload)) throw new TypeError('"payload" must be a JSON object');
      const salt = randomBytes(SALT_BYTES);
      const iv = randomBytes(IV_BYTES);
      const [encKey, macKey] = keysFor(masterKey(), purpose, salt);
      const cipher = createCipheriv('aes-256-cbc', encKey, iv);
      const plain = Buffer.from(JSON.stringify(payload), 'utf8');
      const ct = Buffer.concat([cipher.update(plain), cipher.final()]);
      const tag = macOf(macKey, purpose, salt, iv, ct);
      return `${WIN_ENVELOPE_PREFIX}.${Buffer.concat([salt, iv, ct, tag]).toString('base64url')}`;
    },

    open(purpose, text) {
      checkPurpose(purpose);
      if (typeof text !== 'string' || text.length > WIN_ENVELOPE_MAX_LENGTH) {
        throw winMessageRejected('not a string or too long');
      }
      const dot = text.indexOf('.');
      if (dot < 0 || text.slice(0, dot) !== WIN_ENVELOPE_PREFIX) {
        throw winMessageRejected('unknown version');
      }
      const data = decodeCanonical(text.slice(dot + 1));
      if (data === undefined) throw winMessageRejected('bad encoding');
      const ctLength = data.length - SALT_BYTES - IV_BYTES - MAC_BYTES;
      if (ctLength < BLOCK || ctLength % BLOCK !== 0) throw winMessageRejected('bad lengths');
      const salt = data.subarray(0, SALT_BYTES);
      const iv = data.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
      const ct = data.subarray(SALT_BYTES + IV_BYTES, SALT_BYTES + IV_BYTES + ctLength);
      const tag = data.subarray(SALT_BYTES + IV_BYTES + ctLength);
      const [encKey, macKey] = keysFor(masterKey(), purpose, salt);
      if (!timingSafeEqual(macOf(macKey, purpose, salt, iv, ct), tag)) {
        throw winMessageRejected('MAC mismatch (another passphrase or purpose, or altered)');
      }
      let value: unknown;
      try {
        const decipher = createDecipheriv('aes-256-cbc', encKey, iv);
        const plain = Buffer.concat([decipher.update(ct), decipher.final()]);
        value = JSON.parse(plain.toString('utf8'));
      } catch {
        // Only reachable if something holding the key sealed junk.
        throw winMessageRejected('padding or JSON');
      }
      if (!isPlainObject(value)) throw winMessageRejected('not a JSON object');
      return value;
    },

    async warmUp() {
      master ??= await deriveMasterKeyAsync(passphrase, WIN_ENVELOPE_KDF_SALT, iterations);
    },
  };
}
