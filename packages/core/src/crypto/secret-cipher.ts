/**
 * Encryption of stored TOTP secrets: config `data_encryption`, `data_encryption_passphrase`,
 * `data_encryption_legacy_salt`.
 *
 * Three stored forms, all readable, told apart by their text ({@link detectFormat}):
 * - `plain` — base32, what is written when `data_encryption` is off;
 * - `legacy` — the originals' AES-256-CBC / PBKDF2-SHA1 ×4 / zero padding / base64 format
 *   ({@link createLegacyCipher}); read, and rewritten by support tools, never written by default;
 * - `v2` — the default for new writes when `data_encryption` is on: PBKDF2-SHA256 master key
 *   (derived once per process and cached), HKDF per-value keys, random salt and IV per value,
 *   encrypt-then-MAC with HMAC-SHA256 ({@link createV2Cipher}).
 *
 * Errors, decided once for all formats:
 * - a value that was encrypted but does not decrypt (wrong passphrase or salt, altered, damaged
 *   v2 envelope, legacy result that is not base32) → `CryptoError('ERR_CRYPTO_TAMPERED')`, one
 *   message for every cause (the cause is in `cause`, for the debug log);
 * - a value in none of the three forms (empty, arbitrary text, base64 of a partial block), or an
 *   encrypted value while no passphrase is configured → `CryptoError('ERR_CRYPTO_FORMAT')`.
 *   Telling these apart needs no key, so it is no oracle.
 * Neither message ever contains the passphrase, a key, the stored value or a plaintext.
 *
 * Decrypted values are kept in a small per-instance LRU keyed by the exact stored text (which
 * was authenticated when it was first decrypted), so the accept path of a login pays a map lookup,
 * not HKDF + HMAC + AES, for a user seen recently. Set `decryptCacheSize: 0` to disable.
 *
 * @see DESIGN.md "Secret encryption"; seeds 000–004 "Encryption"; STYLE.md B.12
 * @module crypto
 */
import { CryptoError } from '../errors.js';
import { LruCache } from './key-cache.js';
import {
  createLegacyCipher,
  DEFAULT_LEGACY_SALT,
  legacySaltBytes,
  type LegacyCipher,
} from './legacy-cipher.js';
import { detectFormat, isBase32Secret, type SecretFormat } from './secret-format.js';
import {
  checkV2Iterations,
  createV2Cipher,
  V2_DEFAULT_ITERATIONS,
  type V2Cipher,
} from './v2-cipher.js';

/** Default size of the per-instance cache of decrypted values. */
export const DEFAULT_DECRYPT_CACHE_SIZE = 4096;

/** Options of {@link createSecretCipher}. */
export interface SecretCipherOptions {
  /** `data_encryption`: write v2 values when true, plain base32 when false. */
  enabled: boolean;
  /**
   * `data_encryption_passphrase`: required when `enabled`; when encryption is off it is still
   * used to read v2 and legacy values, so a store can be partly encrypted.
   */
  passphrase?: string | undefined;
  /**
   * `data_encryption_legacy_salt`: the 16-byte salt of legacy values (default
   * {@link DEFAULT_LEGACY_SALT}, which is NOT the originals' salt — operators migrating real
   * data must set the salt their original installation used).
   */
  legacySalt?: string | Uint8Array | undefined;
  /** PBKDF2 iterations of new v2 values (default 600,000; 100,000–10,000,000). */
  iterations?: number | undefined;
  /**
   * The kdf salt of new v2 values (16 bytes or base64url). Default: random per process; see
   * {@link V2CipherOptions.kdfSalt} for why a host may want one salt for the whole farm.
   */
  kdfSalt?: Uint8Array | string | undefined;
  /** Decrypted values kept per instance (default {@link DEFAULT_DECRYPT_CACHE_SIZE}; 0 = none). */
  decryptCacheSize?: number | undefined;
}

/** Encrypts and decrypts stored secrets in every format. */
export interface SecretCipher {
  /** Whether new values are encrypted (`data_encryption`). */
  readonly enabled: boolean;
  /**
   * The stored form of a base32 secret: a new v2 value when enabled, else the secret itself.
   *
   * @throws {TypeError} when `plainBase32` is not an upper-case base32 secret of 16–128 characters
   */
  encrypt(plainBase32: string): string;
  /**
   * The base32 secret of a stored value in any format.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED when an encrypted value does not decrypt;
   *   ERR_CRYPTO_FORMAT when it is in no known format, or encrypted and no passphrase is set
   */
  decrypt(stored: string): string;
  /**
   * True when the value is not what {@link SecretCipher.encrypt} would write now: legacy; plain
   * while enabled; v2 while disabled, or with another iteration count. Reads the text only (no
   * decryption, no MAC check).
   *
   * @throws {CryptoError} ERR_CRYPTO_FORMAT when it is in no known format
   */
  needsReencrypt(stored: string): boolean;
  /**
   * The format of a stored value, from its text alone.
   *
   * @throws {CryptoError} ERR_CRYPTO_FORMAT when it is in no known format
   */
  formatOf(stored: string): SecretFormat;
  /**
   * Encrypt in the legacy format. Tests and interoperability only: never for new data.
   *
   * @throws {TypeError} without a passphrase, or when `plainBase32` is not a base32 secret
   */
  encryptLegacy(plainBase32: string): string;
  /**
   * Derive a v2 master key off the event loop: the write key (e.g. while a host starts), or the
   * one a given stored value needs (call before `decrypt` on a path that must not block). No-op
   * without a passphrase, for non-v2 values and for keys already cached.
   *
   * @param stored - optionally, a value about to be decrypted
   */
  warmUp(stored?: string): Promise<void>;
}

function noFormat(): CryptoError {
  return new CryptoError(
    'ERR_CRYPTO_FORMAT',
    'the stored secret is in no known format (expected base32, a v2$ envelope or legacy base64 of whole AES blocks)',
    { hint: 'the value was not written by SecureMFA or was truncated; re-enrol the user' },
  );
}

function noPassphrase(): CryptoError {
  return new CryptoError(
    'ERR_CRYPTO_FORMAT',
    'the stored secret is encrypted but no data_encryption_passphrase is configured',
    { hint: 'set data_encryption_passphrase to the passphrase the value was written with' },
  );
}

/**
 * Create the cipher for stored secrets.
 *
 * @param options - `enabled`, `passphrase`, `legacySalt`, `iterations`, `decryptCacheSize`
 * @returns the cipher
 * @throws {TypeError} when encryption is enabled without a passphrase, an option has the wrong
 *   type, or the legacy salt is not 16 bytes
 * @throws {RangeError} when iterations are outside 100,000–10,000,000
 * @example
 * ```ts
 * const cipher = createSecretCipher({
 *   enabled: cfg.data_encryption,
 *   passphrase: cfg.data_encryption_passphrase,
 *   legacySalt: cfg.data_encryption_legacy_salt,
 * });
 * const stored = cipher.encrypt(generateSecret()); // 'v2$600000$…$…' when enabled
 * cipher.decrypt(stored);                          // the base32 secret
 * ```
 */
export function createSecretCipher(options: SecretCipherOptions): SecretCipher {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('"options" must be an object');
  }
  const { enabled } = options;
  if (typeof enabled !== 'boolean') {
    throw new TypeError('"enabled" (data_encryption) must be a boolean');
  }
  const passphrase = options.passphrase ?? '';
  if (typeof passphrase !== 'string') {
    throw new TypeError('"passphrase" (data_encryption_passphrase) must be a string');
  }
  if (enabled && passphrase.length === 0) {
    throw new TypeError(
      '"passphrase" (data_encryption_passphrase) is required when "enabled" (data_encryption) is true',
    );
  }
  const legacySalt = legacySaltBytes(options.legacySalt ?? DEFAULT_LEGACY_SALT);
  const cacheSize = options.decryptCacheSize ?? DEFAULT_DECRYPT_CACHE_SIZE;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) {
    throw new RangeError(
      `"decryptCacheSize" must be a non-negative integer, got ${String(cacheSize)}`,
    );
  }
  const iterations = checkV2Iterations(options.iterations ?? V2_DEFAULT_ITERATIONS);
  // Both derive their keys on first use, not here.
  const v2: V2Cipher | undefined =
    passphrase.length > 0
      ? createV2Cipher({ passphrase, iterations, kdfSalt: options.kdfSalt })
      : undefined;
  const legacy: LegacyCipher | undefined =
    passphrase.length > 0 ? createLegacyCipher({ passphrase, salt: legacySalt }) : undefined;
  const decrypted = new LruCache<string>(cacheSize);

  const formatOf = (stored: string): SecretFormat => {
    if (typeof stored !== 'string') throw new TypeError('"stored" must be a string');
    const format = detectFormat(stored);
    if (format === undefined) throw noFormat();
    return format;
  };

  const checkPlain = (plainBase32: string): void => {
    if (!isBase32Secret(plainBase32)) {
      throw new TypeError('"plainBase32" must be an upper-case base32 secret of 16–128 characters');
    }
  };

  return {
    enabled,

    encrypt(plainBase32) {
      checkPlain(plainBase32);
      return enabled && v2 !== undefined ? v2.encrypt(plainBase32) : plainBase32;
    },

    decrypt(stored) {
      const hit = decrypted.get(stored);
      if (hit !== undefined) return hit;
      const format = formatOf(stored);
      if (format === 'plain') return stored;
      if (v2 === undefined || legacy === undefined) throw noPassphrase();
      const plain = format === 'v2' ? v2.decrypt(stored) : legacy.decrypt(stored);
      decrypted.set(stored, plain);
      return plain;
    },

    needsReencrypt(stored) {
      switch (formatOf(stored)) {
        case 'legacy':
          return true;
        case 'plain':
          return enabled;
        case 'v2':
          return !enabled || v2?.iterationsOf(stored) !== iterations;
      }
    },

    formatOf,

    encryptLegacy(plainBase32) {
      checkPlain(plainBase32);
      if (legacy === undefined) {
        throw new TypeError('"passphrase" (data_encryption_passphrase) is required to encrypt');
      }
      return legacy.encrypt(plainBase32);
    },

    async warmUp(stored) {
      if (stored !== undefined && (typeof stored !== 'string' || detectFormat(stored) !== 'v2')) {
        return;
      }
      await v2?.warmUp(stored);
    },
  };
}
