/**
 * The export format of `users export` / `users import`: JSON lines, one user record per line,
 * fields in a fixed order, times in ISO 8601 UTC:
 *
 * ```
 * {"upn":"alice@contoso.com","secret":"v2$600000$…","enabled":true,"logon":1,"lastlogon":"2026-05-01T10:00:00.000Z",
 *  "logoncount":12,"failedlogoncount":0,"failedlastlogon":null,"failedcode":null,"logonip":"192.0.2.7",
 *  "useragent":"Mozilla/5.0 …","laststep":59333340,"email":null,"mobile":null,"created":"2026-01-02T08:00:00.000Z"}
 * ```
 *
 * `secret` is the stored value (encrypted when the store encrypts), or the plain base32 secret
 * when exported with `--decrypt`. {@link parseRecordLine} checks one line and names every
 * problem (never quoting a secret); only `upn` and `secret` are required.
 *
 * @module record-line
 */
import { detectFormat, type UserRecord } from '@securemfa/core';

/** The fields of a line, in the order they are written. */
export const RECORD_FIELDS = [
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

/** A record read from a line (times as Dates). */
export interface ImportRecord {
  upn: string;
  secret: string;
  /** The secret's format, from its text. */
  secretFormat: 'plain' | 'legacy' | 'v2';
  enabled: boolean;
  logon: 0 | 1;
  lastlogon: Date | null;
  logoncount: number;
  failedlogoncount: number;
  failedlastlogon: Date | null;
  failedcode: string | null;
  logonip: string | null;
  useragent: string | null;
  laststep: number;
  email: string | null;
  mobile: string | null;
  created: Date | null;
}

/** Longest UPN accepted (AD's userPrincipalName limit is 1024). */
const MAX_UPN = 1024;
/**
 * Longest secret, e-mail and mobile: the narrowest column of any store (MS SQL `NVARCHAR`, AD
 * `rangeUpper`; core's restore refuses longer values), so a line that passes here imports into
 * every backend.
 */
const MAX_SECRET = 2048;
const MAX_EMAIL = 320;
const MAX_MOBILE = 64;
/** Largest counter (`INT` in the SQL stores, Integer in AD). */
const MAX_COUNTER = 2_147_483_647;

/**
 * One record as a line (no newline).
 *
 * @param record - the record
 * @param secret - the value to write as `secret` (stored or decrypted)
 * @returns the JSON text
 */
export function recordLine(record: UserRecord, secret: string): string {
  const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());
  return JSON.stringify({
    upn: record.upn,
    secret,
    enabled: record.enabled,
    logon: record.logon,
    lastlogon: iso(record.lastlogon),
    logoncount: record.logoncount,
    failedlogoncount: record.failedlogoncount,
    failedlastlogon: iso(record.failedlastlogon),
    failedcode: record.failedcode,
    logonip: record.logonip,
    useragent: record.useragent,
    laststep: record.laststep,
    email: record.email,
    mobile: record.mobile,
    created: iso(record.created),
  });
}

/** Result of {@link parseRecordLine}. */
export type ParsedRecordLine =
  { ok: true; record: ImportRecord } | { ok: false; problems: string[] };

const describe = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

/**
 * Parse and check one line of an export.
 *
 * @param text - the line (without its newline)
 * @returns the record, or every problem found (messages never contain the secret)
 * @example
 * ```ts
 * parseRecordLine('{"upn":"a@x","secret":"JBSWY3DPEHPK3PXP"}'); // { ok: true, record: {…} }
 * parseRecordLine('{"upn":""}');  // { ok: false, problems: ['"upn" must be a non-empty string …', '"secret" is missing'] }
 * ```
 */
export function parseRecordLine(text: string): ParsedRecordLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      problems: [
        `not JSON (${err instanceof Error ? err.message.replace(/ in JSON.*$/, '') : 'syntax error'})`,
      ],
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: ['expected a JSON object (one user record)'] };
  }
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set<string>(RECORD_FIELDS);
  for (const key of Object.keys(o)) {
    if (!known.has(key))
      problems.push(`unknown field ${describe(key)} (expected ${RECORD_FIELDS.join(', ')})`);
  }

  const str = (key: string, required: boolean, max: number): string | null => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) problems.push(`"${key}" is missing`);
      return null;
    }
    if (typeof v !== 'string' || (required && v.trim() === '') || v.length > max) {
      problems.push(
        `"${key}" must be ${required ? 'a non-empty' : 'a'} string of at most ${max} characters${key === 'secret' ? '' : `, got ${describe(v)}`}`,
      );
      return null;
    }
    return v;
  };
  const int = (key: string, min: number, fallback: number, max?: number): number => {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (
      typeof v !== 'number' ||
      !Number.isSafeInteger(v) ||
      v < min ||
      (max !== undefined && v > max)
    ) {
      problems.push(
        `"${key}" must be an integer ${max === undefined ? `≥ ${min}` : `from ${min} to ${max}`}, got ${describe(v)}`,
      );
      return fallback;
    }
    return v;
  };
  const time = (key: string): Date | null => {
    const v = o[key];
    if (v === undefined || v === null) return null;
    const d = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? new Date(v) : undefined;
    if (d === undefined || Number.isNaN(d.getTime()) || d.getTime() < 0) {
      problems.push(`"${key}" must be an ISO 8601 time from 1970 on, or null, got ${describe(v)}`);
      return null;
    }
    return d;
  };

  const upn = str('upn', true, MAX_UPN);
  const secret = str('secret', true, MAX_SECRET);
  let secretFormat: ImportRecord['secretFormat'] = 'plain';
  if (secret !== null) {
    const f = detectFormat(secret);
    if (f === undefined) {
      problems.push(
        '"secret" is in no known format (expected base32, a v2$ envelope or legacy base64)',
      );
    } else secretFormat = f;
  }
  let enabled = true;
  if (o.enabled !== undefined && o.enabled !== null) {
    if (typeof o.enabled !== 'boolean')
      problems.push(`"enabled" must be true or false, got ${describe(o.enabled)}`);
    else enabled = o.enabled;
  }
  let logon: 0 | 1 = 0;
  if (o.logon !== undefined && o.logon !== null) {
    if (o.logon !== 0 && o.logon !== 1)
      problems.push(`"logon" must be 0 or 1, got ${describe(o.logon)}`);
    else logon = o.logon;
  }
  const record: ImportRecord = {
    upn: upn ?? '',
    secret: secret ?? '',
    secretFormat,
    enabled,
    logon,
    lastlogon: time('lastlogon'),
    logoncount: int('logoncount', 0, 0, MAX_COUNTER),
    failedlogoncount: int('failedlogoncount', 0, 0, MAX_COUNTER),
    failedlastlogon: time('failedlastlogon'),
    failedcode: str('failedcode', false, 16),
    logonip: str('logonip', false, 64),
    useragent: str('useragent', false, 512),
    laststep: int('laststep', -1, -1),
    email: str('email', false, MAX_EMAIL),
    mobile: str('mobile', false, MAX_MOBILE),
    created: time('created'),
  };
  return problems.length === 0 ? { ok: true, record } : { ok: false, problems };
}
