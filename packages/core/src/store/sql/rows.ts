/**
 * Row ↔ record mapping shared by the SQL backends.
 *
 * Rows travel as arrays in a fixed column order (the statements select exactly these columns,
 * never `*`): better-sqlite3's `raw` mode, pg's `rowMode: 'array'` and tedious' column arrays all
 * produce them without building an object per row, and the order no longer depends on the
 * table's physical column order after an `ALTER TABLE … ADD COLUMN` migration.
 *
 * @module store
 */
import type { ProviderRegistration, UserRecord } from '../user-store.js';
import type { SqlDialect } from './dialect.js';

/** The `secrets` columns a record is read from, in row order. `upn_key` is the lookup key only. */
export const RECORD_COLUMNS = [
  'upn',
  'secret',
  'enabled',
  'logon',
  'lastlogon',
  'logoncount',
  'failedlogoncount',
  'failedlastlogon',
  'failedcode',
  'logonip',
  'useragent',
  'laststep',
  'email',
  'mobile',
  'created',
] as const;

/** The `providers` columns a registration is read from, in row order. */
export const REGISTRATION_COLUMNS = ['provider', 'version', 'fingerprint', 'updated'] as const;

/** A row as an executor returns it: column values in the order of the SELECT / RETURNING list. */
export type SqlRow = readonly unknown[];

/** A numeric column (SQLite number, pg BIGINT string, bigint) as a number. */
function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v ?? 0);
}

/** A nullable text column. */
function text(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A boolean column (0/1, true/false, '0'/'1') as a boolean. */
function bool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === '1' || v === 't' || v === 'true';
}

/**
 * Map a row of {@link RECORD_COLUMNS} to a record.
 *
 * @param row - column values in {@link RECORD_COLUMNS} order
 * @param dialect - converts the time columns
 * @returns the record (fresh objects: the caller may keep or change it)
 */
export function rowToRecord(row: SqlRow, dialect: SqlDialect): UserRecord {
  return {
    upn: String(row[0]),
    secret: String(row[1]),
    enabled: bool(row[2]),
    logon: bool(row[3]) ? 1 : 0,
    lastlogon: dialect.fromDbTime(row[4]),
    logoncount: num(row[5]),
    failedlogoncount: num(row[6]),
    failedlastlogon: dialect.fromDbTime(row[7]),
    failedcode: text(row[8]),
    logonip: text(row[9]),
    useragent: text(row[10]),
    laststep: num(row[11]),
    email: text(row[12]),
    mobile: text(row[13]),
    created: dialect.fromDbTime(row[14]) ?? new Date(0),
  };
}

/**
 * Map a row of {@link REGISTRATION_COLUMNS} to a registration.
 *
 * @param row - column values in {@link REGISTRATION_COLUMNS} order
 * @param dialect - converts the time column
 * @returns the registration
 */
export function rowToRegistration(row: SqlRow, dialect: SqlDialect): ProviderRegistration {
  return {
    provider: String(row[0]),
    version: String(row[1]),
    fingerprint: String(row[2]),
    updated: dialect.fromDbTime(row[3]) ?? new Date(0),
  };
}
