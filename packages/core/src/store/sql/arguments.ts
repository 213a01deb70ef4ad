/**
 * Argument checks at the store entry points (STYLE B.5: API misuse is a `TypeError` naming the
 * argument). Shared by the memory store and the SQL stores so both reject the same misuse.
 *
 * @module store
 */
import { upnKey } from '../user-store.js';

/**
 * The lookup key of a UPN argument.
 *
 * @param upn - the UPN as the caller gave it
 * @returns its canonical key ({@link upnKey}); may be empty (then nothing is found)
 * @throws {TypeError} when `upn` is not a string
 */
export function keyOf(upn: unknown): string {
  if (typeof upn !== 'string') throw new TypeError('"upn" must be a string');
  return upnKey(upn);
}

/**
 * Check a UPN that is about to be stored.
 *
 * @param upn - the UPN to enrol
 * @returns the UPN trimmed, as it will be stored
 * @throws {TypeError} when it is not a string or is empty
 */
export function upnToStore(upn: unknown): string {
  if (typeof upn !== 'string' || upn.trim() === '') {
    throw new TypeError('"upn" must be a non-empty string');
  }
  return upn.trim();
}

/**
 * Check a TOTP step (RFC 6238 §4 T).
 *
 * @param step - the step to accept
 * @throws {TypeError} when it is not a non-negative safe integer
 */
export function checkStep(step: unknown): asserts step is number {
  if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) {
    throw new TypeError(`"step" must be a non-negative integer, got ${String(step)}`);
  }
}

/**
 * Check a time argument.
 *
 * @param value - the argument
 * @param name - its name, for the message
 * @throws {TypeError} when it is not a valid Date
 */
export function checkDate(value: unknown, name: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new TypeError(`"${name}" must be a valid Date`);
  }
}

/**
 * Check a secret value (never quoted in the message).
 *
 * @param value - the secret as it will be stored
 * @param name - its name, for the message
 * @throws {TypeError} when it is not a non-empty string
 */
export function checkSecret(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`"${name}" must be a non-empty string`);
  }
}

/** Longest accepted nonce key. */
export const MAX_NONCE_KEY_LENGTH = 200;

/**
 * Check a nonce key.
 *
 * @param key - the one-time value
 * @throws {TypeError} when it is not a string of 1–200 characters
 */
export function checkNonceKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_NONCE_KEY_LENGTH) {
    throw new TypeError(`"key" must be a string of 1–${MAX_NONCE_KEY_LENGTH} characters`);
  }
}

/** Default page size of `list`. */
export const DEFAULT_LIST_LIMIT = 500;

/** Largest page size of `list`. */
export const MAX_LIST_LIMIT = 10_000;

/**
 * The page size of a `list` call: the default when absent, clamped to 1…{@link MAX_LIST_LIMIT}.
 *
 * @param limit - the requested page size
 * @returns the page size to use
 * @throws {TypeError} when it is given but not a finite number
 */
export function listLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (typeof limit !== 'number' || !Number.isFinite(limit)) {
    throw new TypeError(`"limit" must be a finite number, got ${String(limit)}`);
  }
  return Math.min(Math.max(1, Math.floor(limit)), MAX_LIST_LIMIT);
}
