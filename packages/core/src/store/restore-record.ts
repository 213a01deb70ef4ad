/**
 * Checks and normalisation of a record handed to {@link UserStore.restore}, shared by every
 * backend so that all of them accept, refuse and store the same values (STYLE B.5: API misuse is
 * a `TypeError` naming the field; a secret is never quoted).
 *
 * The bounds are the narrowest column or attribute of any backend (MS SQL `NVARCHAR(n)`, AD
 * `rangeUpper`, `INT` counters), so a record one backend takes is taken by all of them — a
 * migration from SQLite to MS SQL or AD cannot fail half-way on a value SQLite allowed.
 *
 * @module store
 */
import {
  sanitiseMeta,
  sanitiseStoredFailedCode,
  type RestoreOptions,
  type UserRecord,
} from './user-store.js';

/** Longest stored secret (MS SQL `NVARCHAR(2048)`, AD `rangeUpper` 2048). */
export const MAX_SECRET_LENGTH = 2048;
/** Longest e-mail address (MS SQL `NVARCHAR(320)`, AD `rangeUpper` 320). */
export const MAX_EMAIL_LENGTH = 320;
/** Longest mobile number (MS SQL `NVARCHAR(64)`, AD `rangeUpper` 64). */
export const MAX_MOBILE_LENGTH = 64;
/** Largest counter (`INT` in MS SQL and PostgreSQL, Integer in AD). */
export const MAX_COUNTER = 2_147_483_647;
/** Earliest time accepted (the epoch: `created` of records whose creation is unknown). */
const MIN_TIME = 0;
/** Latest time accepted (MS SQL DATETIME2 ends with 9999). */
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function fail(field: string, expected: string): never {
  throw new TypeError(`"record.${field}" must be ${expected}`);
}

function time(value: unknown, field: string, nullable: boolean): Date | null {
  if (value === null && nullable) return null;
  if (
    !(value instanceof Date) ||
    Number.isNaN(value.getTime()) ||
    value.getTime() < MIN_TIME ||
    value.getTime() > MAX_TIME
  ) {
    fail(field, `a valid Date from 1970 to 9999${nullable ? ' or null' : ''}`);
  }
  return new Date(value.getTime());
}

function counter(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_COUNTER)
    fail(field, `an integer from 0 to ${MAX_COUNTER}, got ${String(value)}`);
  return value;
}

function text(value: unknown, field: string, max: number): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > max)
    fail(field, `null or a string of at most ${max} characters`);
  return value;
}

/**
 * Check a record to restore and return what every backend stores for it.
 *
 * @param record - the record as the caller gave it
 * @returns a fresh, normalised record: UPN trimmed, `failedcode` sanitised (digits or a
 *   marker), `logonip`/`useragent` bounded and without control characters, empty profile
 *   strings as null
 * @throws {TypeError} naming the first malformed field
 * @example
 * ```ts
 * const r = checkRestoreRecord({ ...exported, failedcode: 'hunter2' }); // r.failedcode === '<non-numeric>'
 * ```
 */
export function checkRestoreRecord(record: unknown): UserRecord {
  if (record === null || typeof record !== 'object')
    throw new TypeError('"record" must be an object');
  const r = record as Record<keyof UserRecord, unknown>;
  if (typeof r.upn !== 'string' || r.upn.trim() === '') fail('upn', 'a non-empty string');
  if (typeof r.secret !== 'string' || r.secret === '' || r.secret.length > MAX_SECRET_LENGTH)
    fail('secret', `a non-empty string of at most ${MAX_SECRET_LENGTH} characters`);
  if (typeof r.enabled !== 'boolean') fail('enabled', 'a boolean');
  if (r.logon !== 0 && r.logon !== 1) fail('logon', `0 or 1, got ${String(r.logon)}`);
  if (typeof r.laststep !== 'number' || !Number.isSafeInteger(r.laststep) || r.laststep < -1)
    fail('laststep', `-1 or a non-negative integer, got ${String(r.laststep)}`);
  if (r.failedcode !== null && typeof r.failedcode !== 'string')
    fail('failedcode', 'null or a string');
  for (const field of ['logonip', 'useragent'] as const) {
    if (r[field] !== null && typeof r[field] !== 'string') fail(field, 'null or a string');
  }
  const meta = sanitiseMeta({
    ip: (r.logonip as string | null) ?? undefined,
    userAgent: (r.useragent as string | null) ?? undefined,
  });
  return {
    upn: r.upn.trim(),
    secret: r.secret,
    enabled: r.enabled,
    logon: r.logon,
    lastlogon: time(r.lastlogon, 'lastlogon', true),
    logoncount: counter(r.logoncount, 'logoncount'),
    failedlogoncount: counter(r.failedlogoncount, 'failedlogoncount'),
    failedlastlogon: time(r.failedlastlogon, 'failedlastlogon', true),
    failedcode: r.failedcode === null ? null : sanitiseStoredFailedCode(r.failedcode),
    logonip: meta.ip,
    useragent: meta.userAgent,
    laststep: r.laststep,
    email: text(r.email, 'email', MAX_EMAIL_LENGTH),
    mobile: text(r.mobile, 'mobile', MAX_MOBILE_LENGTH),
    created: time(r.created, 'created', false)!,
  };
}

/**
 * Check the options of a restore.
 *
 * @param options - the options as the caller gave them
 * @returns them, checked
 * @throws {TypeError} when `overwrite` is not a boolean
 */
export function checkRestoreOptions(options: unknown): RestoreOptions {
  const overwrite = (options as { overwrite?: unknown } | null | undefined)?.overwrite;
  if (typeof overwrite !== 'boolean') {
    throw new TypeError('"options.overwrite" must be a boolean (true replaces an existing record)');
  }
  return { overwrite };
}

/**
 * The `laststep` a replace writes: the restored one, unless the stored record has the same
 * secret and a higher step (the reuse guard never goes back for the same secret).
 *
 * @param stored - the record as it is in the store
 * @param restored - the record being restored
 * @returns the step to write
 */
export function guardedLaststep(
  stored: Pick<UserRecord, 'secret' | 'laststep'>,
  restored: Pick<UserRecord, 'secret' | 'laststep'>,
): number {
  return stored.secret === restored.secret && stored.laststep > restored.laststep
    ? stored.laststep
    : restored.laststep;
}
