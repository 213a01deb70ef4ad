/**
 * The one, deliberately uninformative, decryption failure of stored secrets.
 *
 * Whatever failed — version, lengths, encoding, MAC, padding, a plaintext that is not a base32
 * secret — the caller sees the same `ERR_CRYPTO_TAMPERED` with the same message, so the error is
 * no oracle; what failed is only in `cause` (for the debug log). Neither the message nor the
 * cause ever contains the passphrase, a key or a plaintext.
 *
 * @see jose src/lib/content_encryption.ts (cbcDecrypt → JWEDecryptionFailed)
 * @see STYLE.md B.5 "Crypto failures are uninformative on purpose"
 * @module crypto
 */
import { CryptoError } from '../errors.js';

/** The message of every {@link tamperedError}. */
export const TAMPERED_MESSAGE =
  'the stored secret could not be decrypted: wrong data_encryption_passphrase (or legacy salt), or the value was altered';

/**
 * Build the tampered error.
 *
 * @param detail - what failed, for the debug log only (never a secret or plaintext)
 * @returns a CryptoError with code ERR_CRYPTO_TAMPERED
 * @example
 * ```ts
 * if (!macOk) throw tamperedError('v2: MAC mismatch');
 * ```
 */
export function tamperedError(detail: string): CryptoError {
  return new CryptoError('ERR_CRYPTO_TAMPERED', TAMPERED_MESSAGE, {
    cause: new Error(detail),
    hint: 'check data_encryption_passphrase (and data_encryption_legacy_salt for legacy values); it must be the same on every node',
  });
}
