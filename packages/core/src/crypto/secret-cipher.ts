/**
 * Encryption of stored TOTP secrets (config `data_encryption`, `data_encryption_passphrase`).
 *
 * Two formats, both readable:
 *
 * - **legacy** — as the vendor manuals document it: AES-256-CBC, key and IV from PBKDF2-HMAC-SHA1
 *   (.NET Rfc2898DeriveBytes) over the passphrase with a 16-byte salt and 4 iterations, zero
 *   padding, stored as base64. The originals' salt is not published, so it is a setting
 *   (`data_encryption_legacy_salt`): operators migrating data must set the salt their original
 *   installation used. Legacy has no MAC; a result that is not a base32 secret is reported as
 *   tampered, never returned.
 * - **v2** — default for new writes: `v2$<iterations>$<kdfSalt>$<payload>` (base64url parts).
 *   A master key is derived with PBKDF2-HMAC-SHA256 (600,000 iterations by default) over the
 *   passphrase and a random 16-byte kdfSalt, ONCE per (passphrase, kdfSalt, iterations) and
 *   cached; each value gets its own random 16-byte salt, from which HKDF-SHA256 derives an AES
 *   key and an HMAC key, and a random IV. Encrypt-then-MAC: HMAC-SHA256 over the header, salt,
 *   IV and ciphertext. Decrypt: parse → check lengths → verify MAC in constant time → decrypt;
 *   every failure is the same `ERR_CRYPTO_TAMPERED`.
 *
 * @see DESIGN.md "Secret encryption"; seed 002 "Encryption"
 * @see jose src/lib/content_encryption.ts (cbcDecrypt: MAC first, one error for all failures)
 * @module crypto
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  pbkdf2Sync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { CryptoError } from '../errors.js';

/** Default PBKDF2 iterations for v2 master keys (OWASP 2023 figure for PBKDF2-HMAC-SHA256). */
export const V2_DEFAULT_ITERATIONS = 600_000;
/** Iteration bounds accepted in a stored value (a hostile value cannot make us spin). */
export const V2_MIN_ITERATIONS = 10_000;
export const V2_MAX_ITERATIONS = 10_000_000;
/** Default legacy salt (16 characters). Set `data_encryption_legacy_salt` to your originals'. */
export const DEFAULT_LEGACY_SALT = 'sMFA-legacy-salt';

const V2_PREFIX = 'v2';
const SALT_BYTES = 16;
const IV_BYTES = 16;
const MAC_BYTES = 32;
const HKDF_INFO = Buffer.from('securemfa secret v2', 'utf8');
const BASE32_SECRET = /^[A-Z2-7]{16,128}=*$/;
const LEGACY_ITERATIONS = 4;

/** Which format a stored value is in. */
export type SecretFormat = 'plain' | 'legacy' | 'v2';

/** Options of {@link createSecretCipher}. */
export interface SecretCipherOptions {
  /** data_encryption: write encrypted values (v2). When false, writes plain base32. */
  enabled: boolean;
  /** data_encryption_passphrase (required when enabled, or to read encrypted values). */
  passphrase?: string | undefined;
  /** data_encryption_legacy_salt: the originals' 16-character salt (default {@link DEFAULT_LEGACY_SALT}). */
  legacySalt?: string | undefined;
  /** PBKDF2 iterations for new v2 values (default {@link V2_DEFAULT_ITERATIONS}). */
  iterations?: number | undefined;
}

/** Encrypts and decrypts stored secrets. */
export interface SecretCipher {
  /** The stored form of a plain base32 secret (v2 when enabled, else the secret itself). */
  encrypt(plainBase32: string): string;
  /**
   * The plain base32 secret of a stored value in any format.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED when it cannot be decrypted to a base32 secret
   */
  decrypt(stored: string): string;
  /** True when the value should be rewritten (legacy, plain while enabled, older v2 iterations). */
  needsReencrypt(stored: string): boolean;
  /** The format of a stored value. */
  formatOf(stored: string): SecretFormat;
  /** Encrypt with the legacy format (tests and interoperability only; never for new data). */
  encryptLegacy(plainBase32: string): string;
}

/** Counts key derivations (tests assert that a process derives once, not per value). */
export const kdfStats = { pbkdf2: 0 };

/** Bounded LRU of derived master keys. */
const masterKeys = new Map<string, Buffer>();
const MASTER_KEY_CACHE = 64;

function masterKey(passphrase: string, salt: Buffer, iterations: number): Buffer {
  const id = createHash('sha256')
    .update(passphrase, 'utf8')
    .update('\0')
    .update(salt)
    .update(`\0${iterations}`)
    .digest('base64');
  const hit = masterKeys.get(id);
  if (hit !== undefined) {
    masterKeys.delete(id);
    masterKeys.set(id, hit);
    return hit;
  }
  kdfStats.pbkdf2 += 1;
  const key = pbkdf2Sync(passphrase, salt, iterations, 32, 'sha256');
  if (masterKeys.size >= MASTER_KEY_CACHE) {
    const oldest = masterKeys.keys().next().value;
    if (oldest !== undefined) masterKeys.delete(oldest);
  }
  masterKeys.set(id, key);
  return key;
}

function subKeys(master: Buffer, valueSalt: Buffer): { enc: Buffer; mac: Buffer } {
  const okm = Buffer.from(hkdfSync('sha256', master, valueSalt, HKDF_INFO, 64));
  return { enc: okm.subarray(0, 32), mac: okm.subarray(32, 64) };
}

const tampered = (detail: string): CryptoError =>
  new CryptoError('ERR_CRYPTO_TAMPERED', 'the stored secret could not be decrypted (wrong passphrase or tampered data)', {
    cause: new Error(detail),
  });

function isPlainSecret(value: string): boolean {
  return BASE32_SECRET.test(value);
}

function legacyKeyIv(passphrase: string, salt: string): { key: Buffer; iv: Buffer } {
  // Rfc2898DeriveBytes(passphrase, salt, 4).GetBytes(32) then .GetBytes(16) is one 48-byte stream.
  const out = pbkdf2Sync(passphrase, Buffer.from(salt, 'utf8'), LEGACY_ITERATIONS, 48, 'sha1');
  return { key: out.subarray(0, 32), iv: out.subarray(32, 48) };
}

/**
 * Create a cipher for stored secrets.
 *
 * @param options - enabled, passphrase, legacy salt, iterations
 * @returns the cipher
 * @throws {TypeError} when encryption is enabled without a passphrase, or the legacy salt is not 16 characters
 * @throws {RangeError} for iterations outside 10,000–10,000,000
 * @example
 * ```ts
 * const cipher = createSecretCipher({ enabled: true, passphrase: cfg.data_encryption_passphrase });
 * const stored = cipher.encrypt(generateSecret());   // 'v2$600000$…$…'
 * cipher.decrypt(stored);                             // the base32 secret
 * ```
 */
export function createSecretCipher(options: SecretCipherOptions): SecretCipher {
  const passphrase = options.passphrase ?? '';
  const legacySalt = options.legacySalt ?? DEFAULT_LEGACY_SALT;
  const iterations = options.iterations ?? V2_DEFAULT_ITERATIONS;
  if (options.enabled && passphrase.length === 0) {
    throw new TypeError('"passphrase" is required when encryption is enabled (data_encryption_passphrase)');
  }
  if (Buffer.byteLength(legacySalt, 'utf8') !== SALT_BYTES) {
    throw new TypeError('"legacySalt" must be exactly 16 bytes (data_encryption_legacy_salt)');
  }
  if (!Number.isInteger(iterations) || iterations < V2_MIN_ITERATIONS || iterations > V2_MAX_ITERATIONS) {
    throw new RangeError(`"iterations" must be an integer ${V2_MIN_ITERATIONS}–${V2_MAX_ITERATIONS}, got ${String(iterations)}`);
  }
  // One kdfSalt per cipher instance: every value this process writes shares one master key.
  const kdfSalt = randomBytes(SALT_BYTES);
  const kdfSaltText = kdfSalt.toString('base64url');
  // Decrypted values, keyed by the stored text (bounded). The HMAC plugin caches the same
  // secrets as key objects, so this keeps nothing in memory that was not there already.
  const plainCache = new Map<string, string>();
  const PLAIN_CACHE = 10_000;
  const remember = (stored: string, plain: string): string => {
    if (plainCache.size >= PLAIN_CACHE) {
      const oldest = plainCache.keys().next().value;
      if (oldest !== undefined) plainCache.delete(oldest);
    }
    plainCache.set(stored, plain);
    return plain;
  };

  const requirePassphrase = (): string => {
    if (passphrase.length === 0) {
      throw new CryptoError('ERR_CRYPTO_FORMAT', 'the stored secret is encrypted but no data_encryption_passphrase is configured');
    }
    return passphrase;
  };

  const formatOf = (stored: string): SecretFormat => {
    if (stored.startsWith(`${V2_PREFIX}$`)) return 'v2';
    if (isPlainSecret(stored)) return 'plain';
    return 'legacy';
  };

  const encryptV2 = (plain: string): string => {
    const master = masterKey(requirePassphrase(), kdfSalt, iterations);
    const valueSalt = randomBytes(SALT_BYTES);
    const iv = randomBytes(IV_BYTES);
    const { enc, mac } = subKeys(master, valueSalt);
    const cipher = createCipheriv('aes-256-cbc', enc, iv);
    const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const header = `${V2_PREFIX}$${iterations}$${kdfSaltText}$`;
    const tag = createHmac('sha256', mac).update(header).update(valueSalt).update(iv).update(ct).digest();
    return header + Buffer.concat([valueSalt, iv, ct, tag]).toString('base64url');
  };

  const decryptV2 = (stored: string): string => {
    const parts = stored.split('$');
    if (parts.length !== 4) throw tampered('v2: wrong number of parts');
    const [, iterText = '', saltText = '', payloadText = ''] = parts;
    if (!/^[0-9]{5,8}$/.test(iterText)) throw tampered('v2: bad iterations');
    const iter = Number(iterText);
    if (iter < V2_MIN_ITERATIONS || iter > V2_MAX_ITERATIONS) throw tampered('v2: iterations out of range');
    if (!/^[A-Za-z0-9_-]+$/.test(saltText) || !/^[A-Za-z0-9_-]+$/.test(payloadText)) {
      throw tampered('v2: not base64url');
    }
    const salt = Buffer.from(saltText, 'base64url');
    const payload = Buffer.from(payloadText, 'base64url');
    const ctLength = payload.length - SALT_BYTES - IV_BYTES - MAC_BYTES;
    if (salt.length !== SALT_BYTES || ctLength < 16 || ctLength % 16 !== 0) throw tampered('v2: bad lengths');
    const valueSalt = payload.subarray(0, SALT_BYTES);
    const iv = payload.subarray(SALT_BYTES, SALT_BYTES + IV_BYTES);
    const ct = payload.subarray(SALT_BYTES + IV_BYTES, SALT_BYTES + IV_BYTES + ctLength);
    const tag = payload.subarray(payload.length - MAC_BYTES);
    const { enc, mac } = subKeys(masterKey(requirePassphrase(), salt, iter), valueSalt);
    const header = `${V2_PREFIX}$${iterText}$${saltText}$`;
    const expected = createHmac('sha256', mac).update(header).update(valueSalt).update(iv).update(ct).digest();
    if (!timingSafeEqual(expected, tag)) throw tampered('v2: MAC mismatch');
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-cbc', enc, iv);
      plain = Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
    } catch (err) {
      throw tampered(`v2: decrypt failed: ${(err as Error).message}`);
    }
    if (!isPlainSecret(plain)) throw tampered('v2: plaintext is not a base32 secret');
    return plain;
  };

  const encryptLegacy = (plain: string): string => {
    const { key, iv } = legacyKeyIv(requirePassphrase(), legacySalt);
    const data = Buffer.from(plain, 'utf8');
    const padded = Buffer.alloc(Math.ceil(Math.max(data.length, 1) / 16) * 16);
    data.copy(padded);
    const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
  };

  const decryptLegacy = (stored: string): string => {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(stored)) throw tampered('legacy: not base64');
    const ct = Buffer.from(stored, 'base64');
    if (ct.length === 0 || ct.length % 16 !== 0 || ct.length > 1024) throw tampered('legacy: bad length');
    const { key, iv } = legacyKeyIv(requirePassphrase(), legacySalt);
    const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const padded = Buffer.concat([decipher.update(ct), decipher.final()]);
    let end = padded.length;
    while (end > 0 && padded[end - 1] === 0) end -= 1;
    const plain = padded.subarray(0, end).toString('latin1');
    if (!isPlainSecret(plain)) throw tampered('legacy: plaintext is not a base32 secret');
    return plain;
  };

  return {
    formatOf,
    encrypt(plain) {
      if (!isPlainSecret(plain)) throw new TypeError('"plainBase32" must be a base32 TOTP secret');
      return options.enabled ? encryptV2(plain) : plain;
    },
    decrypt(stored) {
      const hit = plainCache.get(stored);
      if (hit !== undefined) return hit;
      switch (formatOf(stored)) {
        case 'plain':
          return stored;
        case 'v2':
          return remember(stored, decryptV2(stored));
        case 'legacy':
          return remember(stored, decryptLegacy(stored));
      }
    },
    needsReencrypt(stored) {
      const format = formatOf(stored);
      if (format === 'legacy') return true;
      if (format === 'plain') return options.enabled;
      return !options.enabled || stored.split('$')[1] !== String(iterations);
    },
    encryptLegacy(plain) {
      if (!isPlainSecret(plain)) throw new TypeError('"plainBase32" must be a base32 TOTP secret');
      return encryptLegacy(plain);
    },
  };
}
