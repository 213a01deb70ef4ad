/**
 * Row ↔ record mapping shared by the SQL backends.
 *
 * @module store
 */
import type { UserRecord } from '../user-store.js';
import type { SqlDialect } from './dialect.js';

/** Columns of `secrets`, in a fixed order. */
export const SECRET_COLUMNS = [
  'upn_key',
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

/** A row as the drivers return it. */
export type SecretRow = Record<(typeof SECRET_COLUMNS)[number], unknown>;

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Map a `secrets` row to a record. */
export function rowToRecord(row: SecretRow, dialect: SqlDialect): UserRecord {
  return {
    upn: String(row.upn),
    secret: String(row.secret),
    enabled: num(row.enabled) === 1 || row.enabled === true,
    logon: num(row.logon) === 1 || row.logon === true ? 1 : 0,
    lastlogon: dialect.fromDbTime(row.lastlogon),
    logoncount: num(row.logoncount),
    failedlogoncount: num(row.failedlogoncount),
    failedlastlogon: dialect.fromDbTime(row.failedlastlogon),
    failedcode: str(row.failedcode),
    logonip: str(row.logonip),
    useragent: str(row.useragent),
    laststep: num(row.laststep),
    email: str(row.email),
    mobile: str(row.mobile),
    created: dialect.fromDbTime(row.created) ?? new Date(0),
  };
}
