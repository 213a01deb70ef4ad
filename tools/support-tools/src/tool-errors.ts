/**
 * The two errors the support tools add to core's model: a usage error (exit code 2, like a
 * configuration error) and "no OTP record" (exit code 1). Everything else is core's
 * `SecureMfaError` family, mapped to exit codes by core's `runProgram`.
 *
 * @module tool-errors
 */
import { SecureMfaError, StoreError } from '@securemfa/core';

/** A command was used wrongly (bad option value, a refusal that needs `--yes`): exit code 2. */
export class UsageError extends SecureMfaError {
  override readonly code = 'ERR_REQUEST_INVALID' as const;
  override readonly exitCode = 2 as const;
  override readonly status = 400;
}

/**
 * The error for a UPN that has no OTP record.
 *
 * @param upn - the user asked for
 * @param storeName - the store, as {@link storeLabel} names it
 * @returns a StoreError ERR_STORE_NOT_FOUND (exit code 1)
 */
export function noRecord(upn: string, storeName: string): StoreError {
  return new StoreError('ERR_STORE_NOT_FOUND', `${upn} has no OTP record in ${storeName}`, {
    hint: 'check the spelling (UPNs are case-insensitive); `securemfa-tools users list` shows who has one',
  });
}
