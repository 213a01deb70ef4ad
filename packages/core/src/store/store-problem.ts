/**
 * What an operator must do about a store failure, as a small closed set: `install` and `verify`
 * print one line per store check naming the problem with a fix hint (issue "stores": unreachable,
 * auth failed, database missing, schema version old, AD attributes missing, no write access).
 *
 * The error code stays the stable contract (`ERR_STORE_UNAVAILABLE`, `ERR_STORE_SCHEMA`…); the
 * problem is a finer, non-enumerable tag the backends put on the `StoreError` they throw, read
 * back with {@link storeProblemOf}. An error without a tag is `other`.
 *
 * @module store
 */
import { StoreError, type SecureMfaErrorOptions } from '../errors.js';

/** The problems a store check can report. */
export const STORE_PROBLEMS = [
  'unreachable',
  'timeout',
  'tls',
  'auth_failed',
  'database_missing',
  'schema_missing',
  'schema_old',
  'schema_newer',
  'ad_attributes_missing',
  'no_write_access',
  'conflict',
  'not_supported',
  'other',
] as const;

/** One of {@link STORE_PROBLEMS}. */
export type StoreProblem = (typeof STORE_PROBLEMS)[number];

/** Short words for a problem, as the check line shows them. */
export const STORE_PROBLEM_LABEL: Readonly<Record<StoreProblem, string>> = {
  unreachable: 'unreachable',
  timeout: 'timed out',
  tls: 'TLS failed',
  auth_failed: 'auth failed',
  database_missing: 'database missing',
  schema_missing: 'schema missing',
  schema_old: 'schema version old',
  schema_newer: 'schema version newer than this code',
  ad_attributes_missing: 'AD attributes missing',
  no_write_access: 'no write access',
  conflict: 'conflicting writers',
  not_supported: 'not supported',
  other: 'failed',
};

const TAG = 'problem';

/**
 * Tag an error with its problem (in place) and return it.
 *
 * @param err - the error to tag
 * @param problem - what went wrong
 * @returns `err`
 */
export function tagStoreProblem<E extends Error>(err: E, problem: StoreProblem): E {
  Object.defineProperty(err, TAG, { value: problem, enumerable: false, configurable: true });
  return err;
}

/**
 * A `StoreError` tagged with its problem.
 *
 * @param code - the stable error code
 * @param problem - the finer problem for the check line
 * @param message - what went wrong (never a secret)
 * @param options - cause and operator hint
 * @returns the error to throw
 * @example
 * ```ts
 * throw storeError('ERR_STORE_UNAVAILABLE', 'auth_failed', 'password authentication failed for user "otp"', { hint: 'check pg_connection_string' });
 * ```
 */
export function storeError(
  code: StoreError['code'],
  problem: StoreProblem,
  message: string,
  options: SecureMfaErrorOptions = {},
): StoreError {
  return tagStoreProblem(new StoreError(code, message, options), problem);
}

/**
 * The problem an error was tagged with.
 *
 * @param err - anything thrown
 * @returns the problem, or `other` (untagged) / undefined (not an error object)
 */
export function storeProblemOf(err: unknown): StoreProblem | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const value = (err as Record<string, unknown>)[TAG];
  return typeof value === 'string' && (STORE_PROBLEMS as readonly string[]).includes(value)
    ? (value as StoreProblem)
    : 'other';
}

/** A classified driver error (what the per-backend classifiers return). */
export interface ClassifiedStoreError {
  problem: StoreProblem;
  /** One line naming what failed and where; never a password or connection string. */
  message: string;
  /** How to fix it. */
  hint: string;
}

/**
 * The error code a problem is thrown with.
 *
 * @param problem - the problem
 * @returns `ERR_STORE_SCHEMA` for schema problems, `ERR_STORE_CONFLICT` for conflicts, else
 *   `ERR_STORE_UNAVAILABLE`
 */
export function storeErrorCode(problem: StoreProblem): StoreError['code'] {
  if (
    problem === 'schema_missing' ||
    problem === 'schema_old' ||
    problem === 'schema_newer' ||
    problem === 'ad_attributes_missing'
  ) {
    return 'ERR_STORE_SCHEMA';
  }
  if (problem === 'conflict') return 'ERR_STORE_CONFLICT';
  return 'ERR_STORE_UNAVAILABLE';
}

/**
 * The tagged `StoreError` of a classified driver error, with the driver error as `cause`.
 *
 * @param c - the classification
 * @param cause - the driver's error
 * @returns the error to throw
 */
export function classifiedStoreError(c: ClassifiedStoreError, cause: unknown): StoreError {
  return storeError(storeErrorCode(c.problem), c.problem, c.message, { hint: c.hint, cause });
}

/** The `code` property of a foreign error, if it is a string. */
export function errorCodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The first line of a foreign error's message. */
export function errorMessageOf(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return m.split('\n')[0] ?? '';
}

/** Socket-level error codes that mean "nothing answered". */
export const UNREACHABLE_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ESOCKET',
  'ETIMEOUT',
]);
