/**
 * Unique names for what a test run creates on a shared server (AD users and OUs, PostgreSQL
 * databases and roles): the servers are leased by every test process on the machine and may
 * outlive the run, so names never repeat.
 *
 * @module testkit/servers/unique-name
 */
import { randomUUID } from 'node:crypto';

/**
 * A short unique suffix (8 hex digits).
 *
 * @example
 * ```ts
 * const upn = `alice.${uniqueSuffix()}@adatum.labnet`;
 * ```
 */
export function uniqueSuffix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 8);
}

/**
 * A unique SQL identifier: `prefix` + `_` + 10 hex digits (so it needs no quoting when `prefix`
 * is a plain lower-case identifier).
 *
 * @param prefix - e.g. `smfa_core`, `reader`
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}
