/**
 * `--secret B32`: a secret the operator supplies (e.g. carried over from another system) instead
 * of a fresh random one.
 *
 * @module secret-option
 */
import { canonicalSecret, generateSecret } from '@securemfa/core';
import { UsageError } from './tool-errors.js';

/**
 * The plain secret to enrol: `--secret` in canonical form, or a new random 160-bit secret.
 *
 * @param given - the `--secret` value, if any
 * @returns canonical base32 (upper case, no separators or padding)
 * @throws {UsageError} when the value is not base32 of 10–64 bytes (the message never quotes it)
 */
export function secretToEnrol(given: string | undefined): string {
  if (given === undefined) return generateSecret();
  try {
    return canonicalSecret(given);
  } catch (err) {
    throw new UsageError(
      '--secret: expected a base32 TOTP secret of 10–64 bytes (16–103 characters A–Z, 2–7)',
      { hint: 'leave --secret out to generate a new random secret', cause: err },
    );
  }
}
