/**
 * The originals' secret format ("legacy"), readable so that data carried over from the vendor's
 * products keeps working, and writable for tests and for support tools that re-encrypt it.
 *
 * As the vendor manuals document it (seeds 000–004 "Encryption"): AES-256-CBC, key from the
 * passphrase "salted with 16 bytes string, zero padding and 4 key iterations" — .NET
 * `Rfc2898DeriveBytes` (PBKDF2-HMAC-SHA1, 4 iterations), key = first 32 bytes and IV = next 16
 * bytes of that stream; the plaintext (the base32 secret) zero-padded to the block size; stored
 * as base64 of the ciphertext. See {@link deriveLegacyKeyIv}.
 *
 * The vendor's fixed 16-byte salt is not published, so it is a setting
 * (`data_encryption_legacy_salt`, default {@link DEFAULT_LEGACY_SALT}). **Operators migrating
 * real data must set the salt their original installation used**; with any other salt every
 * legacy value is reported as tampered.
 *
 * Weaknesses, and why v2 exists: 4 iterations make the passphrase cheap to guess offline; the IV
 * is fixed per passphrase (equal secrets encrypt equally); and there is no MAC. Without a MAC a
 * wrong key or altered ciphertext is only detected by checking that the result is an upper-case
 * base32 secret; anything else is `ERR_CRYPTO_TAMPERED`, never returned as garbage.
 *
 * @see tools/testkit/src/vectors/legacy-cipher.ts (vectors made with the openssl CLI)
 * @module crypto
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { deriveLegacyKeyIv, type LegacyKeyIv } from './kdf.js';
import { isBase32Secret, isLegacyShaped } from './secret-format.js';
import { tamperedError } from './tampered-error.js';

/**
 * Default `data_encryption_legacy_salt` (16 characters). It is NOT the originals' salt (which is
 * unknown); set the one your original installation used before migrating its data.
 */
export const DEFAULT_LEGACY_SALT = 'sMFA-legacy-salt';
/** Length of the legacy salt in bytes. */
export const LEGACY_SALT_BYTES = 16;

const BLOCK = 16;

/** Options of {@link createLegacyCipher}. */
export interface LegacyCipherOptions {
  /** data_encryption_passphrase (non-empty; UTF-8). */
  passphrase: string;
  /** data_encryption_legacy_salt: exactly 16 bytes (a 16-character ASCII string, or bytes). */
  salt?: string | Uint8Array | undefined;
}

/** Encrypts and decrypts the legacy format under one passphrase and salt. */
export interface LegacyCipher {
  /**
   * The legacy stored form (base64) of a base32 secret.
   *
   * @throws {TypeError} when `plainBase32` is not a base32 secret
   */
  encrypt(plainBase32: string): string;
  /**
   * The base32 secret of a legacy value.
   *
   * @throws {CryptoError} ERR_CRYPTO_TAMPERED when it is not base64 of whole blocks, or does not
   *   decrypt to an upper-case base32 secret (wrong passphrase or salt, or altered)
   */
  decrypt(stored: string): string;
}

/**
 * Normalise and check a legacy salt.
 *
 * @param salt - a 16-character string (UTF-8 bytes must be 16) or 16 bytes
 * @returns the 16 salt bytes
 * @throws {TypeError} when it is not exactly 16 bytes
 */
export function legacySaltBytes(salt: string | Uint8Array): Buffer {
  const bytes =
    typeof salt === 'string'
      ? Buffer.from(salt, 'utf8')
      : salt instanceof Uint8Array
        ? Buffer.from(salt)
        : undefined;
  if (bytes?.length !== LEGACY_SALT_BYTES) {
    throw new TypeError(
      `"legacySalt" (data_encryption_legacy_salt) must be exactly ${LEGACY_SALT_BYTES} bytes, got ${bytes === undefined ? typeof salt : `${bytes.length}`}`,
    );
  }
  return bytes;
}

/**
 * Create a legacy-format cipher. The key and IV are derived on first use and kept.
 *
 * @param options - passphrase and salt
 * @returns the cipher
 * @throws {TypeError} when the passphrase is empty or the salt is not 16 bytes
 * @example
 * ```ts
 * const legacy = createLegacyCipher({ passphrase: 'd9GhT=7=Ox8-+LaZ', salt: 'sMFA-legacy-salt' });
 * legacy.decrypt('mZsg31ZWM9qUX93DiJwVyA=='); // 'JBSWY3DPEHPK3PXP'
 * ```
 */
export function createLegacyCipher(options: LegacyCipherOptions): LegacyCipher {
  const { passphrase } = options;
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new TypeError('"passphrase" (data_encryption_passphrase) must be a non-empty string');
  }
  const salt = legacySaltBytes(options.salt ?? DEFAULT_LEGACY_SALT);
  let derived: LegacyKeyIv | undefined;
  const keyIv = (): LegacyKeyIv => (derived ??= deriveLegacyKeyIv(passphrase, salt));

  return {
    encrypt(plainBase32) {
      if (!isBase32Secret(plainBase32)) {
        throw new TypeError(
          '"plainBase32" must be an upper-case base32 secret of 16–128 characters',
        );
      }
      const data = Buffer.from(plainBase32, 'latin1');
      // Zero padding (.NET PaddingMode.Zeros): no extra block when already a whole number.
      const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
      data.copy(padded);
      const { key, iv } = keyIv();
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
    },

    decrypt(stored) {
      if (!isLegacyShaped(stored)) {
        throw tamperedError('legacy: not canonical base64 of whole AES blocks');
      }
      const { key, iv } = keyIv();
      const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      const padded = Buffer.concat([
        decipher.update(Buffer.from(stored, 'base64')),
        decipher.final(),
      ]);
      let end = padded.length;
      while (end > 0 && padded[end - 1] === 0) end -= 1;
      // latin1 maps every byte to one character, so the base32 check sees every byte.
      const plain = padded.toString('latin1', 0, end);
      padded.fill(0);
      if (!isBase32Secret(plain)) throw tamperedError('legacy: the result is not a base32 secret');
      return plain;
    },
  };
}
