/**
 * The AD attributes of the OTP record (`sMFA-OTP-*`, DESIGN "User record"): their schema
 * definitions (the single source for `ad-schema/securemfa-otp-schema.ldif` and for
 * `applyAdSchema`) and the conversions between LDAP values and {@link UserRecord} fields.
 *
 * Value encodings (chosen so that every value compares exactly and sorts in LDAP filters):
 * - times (`lastlogon`, `failedlastlogon`, `created`) are Large Integers (2.5.5.16) holding a
 *   Windows FILETIME in UTC — 100-ns intervals since 1601-01-01, the encoding of AD's own
 *   `lastLogonTimestamp`/`pwdLastSet` — with `0` meaning "never" (as AD does). Millisecond
 *   precision survives a round trip, `>=`/`<=` filters work, and PowerShell reads them with
 *   `[DateTime]::FromFileTimeUtc()`;
 * - `laststep` is a Large Integer (a 1-second TOTP step exceeds 2^31), `-1` = none yet;
 * - `enabled` is a Boolean (`TRUE`/`FALSE`), counters and `logon` are Integers (2.5.5.9);
 * - text is Unicode String (2.5.5.12), bounded by `rangeUpper`.
 * The counters, `laststep`, `enabled` and `failedlastlogon` always hold a value once a user is
 * enrolled (initialised at enrolment), because the store's atomic updates are "delete the old
 * value + add the new one" in one modify, and a delete needs a value to name.
 *
 * Integer attributes come back from the server as decimal strings; parsing is lenient about
 * values written by other tools (a missing value reads as the field's default).
 *
 * @module store
 */
import type { UserRecord } from './user-store.js';

/**
 * The OID arc of the SecureMFA schema: a Microsoft-style GUID-based OID under
 * 1.2.840.113556.1.8000.2554 (the arc Microsoft reserves for customers who have no IANA private
 * enterprise number), made from GUID b3c5db98-2455-41d2-884c-7a2869d2e34f as Microsoft documents
 * (the GUID split into 4,4,4,4,4,6,6 hex digits, each written in decimal). Attributes are
 * `<arc>.1.n`, classes `<arc>.2.n`. See ad-schema/README.md.
 */
export const AD_OID_ARC =
  '1.2.840.113556.1.8000.2554.46021.56216.9301.16850.34892.8005737.13820751';

/** LDAP syntaxes used by the schema (attributeSyntax / oMSyntax pairs of MS-ADTS §3.1.1.2.2.2). */
export const AD_SYNTAX = {
  unicode: { attributeSyntax: '2.5.5.12', oMSyntax: 64 },
  integer: { attributeSyntax: '2.5.5.9', oMSyntax: 2 },
  largeInteger: { attributeSyntax: '2.5.5.16', oMSyntax: 65 },
  boolean: { attributeSyntax: '2.5.5.8', oMSyntax: 1 },
} as const;

/** Kind of value an attribute holds. */
export type AdValueKind = keyof typeof AD_SYNTAX;

/** `searchFlags` bit 0x80 (fCONFIDENTIAL): reading needs the control-access right. */
export const SEARCH_FLAG_CONFIDENTIAL = 0x80;

/** Schema definition of one `sMFA-OTP-*` attribute. */
export interface AdAttributeDefinition {
  /** lDAPDisplayName (and cn). */
  name: string;
  /** attributeID. */
  oid: string;
  /** The kind of value (syntax). */
  kind: AdValueKind;
  /** Upper bound (characters for text), when bounded. */
  rangeUpper?: number;
  /** searchFlags (0, or {@link SEARCH_FLAG_CONFIDENTIAL}). */
  searchFlags: number;
  /** adminDescription. */
  description: string;
}

/** Record fields stored as `sMFA-OTP-*` attributes (everything but the UPN). */
export type AdField = Exclude<keyof UserRecord, 'upn'>;

const attr = (
  n: number,
  name: string,
  kind: AdValueKind,
  description: string,
  extra: { rangeUpper?: number; searchFlags?: number } = {},
): AdAttributeDefinition => ({
  name,
  oid: `${AD_OID_ARC}.1.${n}`,
  kind,
  ...(extra.rangeUpper === undefined ? {} : { rangeUpper: extra.rangeUpper }),
  searchFlags: extra.searchFlags ?? 0,
  description,
});

/** The attribute of each record field. Order = OID order = LDIF order. */
export const AD_ATTRIBUTES: Readonly<Record<AdField, AdAttributeDefinition>> = {
  secret: attr(
    1,
    'sMFA-OTP-secret',
    'unicode',
    'SecureMFA OTP: TOTP secret, encrypted (v2 envelope or legacy)',
    {
      rangeUpper: 2048,
      searchFlags: SEARCH_FLAG_CONFIDENTIAL,
    },
  ),
  enabled: attr(
    2,
    'sMFA-OTP-enabled',
    'boolean',
    'SecureMFA OTP: FALSE = OTP account disabled by support',
  ),
  logon: attr(
    3,
    'sMFA-OTP-logon',
    'integer',
    'SecureMFA OTP: 0 until the first successful logon, then 1',
  ),
  lastlogon: attr(
    4,
    'sMFA-OTP-lastlogon',
    'largeInteger',
    'SecureMFA OTP: last successful logon (FILETIME UTC, 0 = never)',
  ),
  logoncount: attr(5, 'sMFA-OTP-logoncount', 'integer', 'SecureMFA OTP: total successful logons'),
  failedlogoncount: attr(
    6,
    'sMFA-OTP-failedlogoncount',
    'integer',
    'SecureMFA OTP: failed logons in a row',
  ),
  failedlastlogon: attr(
    7,
    'sMFA-OTP-failedlastlogon',
    'largeInteger',
    'SecureMFA OTP: last failed logon (FILETIME UTC, 0 = never)',
  ),
  failedcode: attr(
    8,
    'sMFA-OTP-failedcode',
    'unicode',
    'SecureMFA OTP: last failed input (digits, or a marker)',
    {
      rangeUpper: 16,
    },
  ),
  logonip: attr(
    9,
    'sMFA-OTP-logonip',
    'unicode',
    'SecureMFA OTP: client address of the last logon',
    { rangeUpper: 64 },
  ),
  useragent: attr(
    10,
    'sMFA-OTP-useragent',
    'unicode',
    'SecureMFA OTP: user agent of the last logon',
    {
      rangeUpper: 512,
    },
  ),
  laststep: attr(
    11,
    'sMFA-OTP-laststep',
    'largeInteger',
    'SecureMFA OTP: last accepted TOTP step (reuse guard), -1 = none',
  ),
  email: attr(
    12,
    'sMFA-OTP-email',
    'unicode',
    'SecureMFA OTP: e-mail address kept with the OTP record',
    {
      rangeUpper: 320,
    },
  ),
  mobile: attr(
    13,
    'sMFA-OTP-mobile',
    'unicode',
    'SecureMFA OTP: mobile number kept with the OTP record',
    {
      rangeUpper: 64,
    },
  ),
  created: attr(
    14,
    'sMFA-OTP-created',
    'largeInteger',
    'SecureMFA OTP: when the OTP record was created (FILETIME UTC)',
  ),
};

/** The auxiliary class that carries the attributes, attached to `user` as an auxiliaryClass. */
export const AD_AUX_CLASS = {
  name: 'sMFA-OTP-User',
  oid: `${AD_OID_ARC}.2.1`,
  description: 'SecureMFA OTP: auxiliary class of the sMFA-OTP-* user attributes',
} as const;

/** Every `sMFA-OTP-*` attribute name, in OID order. */
export const AD_ATTRIBUTE_NAMES: readonly string[] = Object.values(AD_ATTRIBUTES).map(
  (a) => a.name,
);

/** Fields whose value the atomic operations delete-and-add, so they must always hold a value. */
export const AD_CAS_FIELDS = [
  'enabled',
  'logoncount',
  'failedlogoncount',
  'failedlastlogon',
  'laststep',
] as const;

/** Milliseconds between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF_MS = 11_644_473_600_000n;

/**
 * A date as a FILETIME string (100-ns intervals since 1601-01-01 UTC); `null` → `'0'` (never).
 *
 * @param date - the instant, or null
 * @returns the decimal FILETIME
 * @throws {TypeError} for an invalid Date
 */
export function toFiletime(date: Date | null): string {
  if (date === null) return '0';
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new TypeError('invalid Date');
  return ((BigInt(ms) + EPOCH_DIFF_MS) * 10_000n).toString();
}

/**
 * A FILETIME string as a Date; `'0'`, absent or unparsable → null. Also accepts a Generalized
 * Time (`20261122120000.0Z`) or an ISO 8601 text, which tools other than SecureMFA may have
 * written.
 *
 * @param value - the stored value
 * @returns the date, or null
 */
export function fromFiletime(value: string | undefined): Date | null {
  if (value === undefined || value === '') return null;
  if (/^-?[0-9]+$/.test(value)) {
    const ft = BigInt(value);
    if (ft <= 0n) return null;
    return new Date(Number(ft / 10_000n - EPOCH_DIFF_MS));
  }
  const gt =
    /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})(?:[.,]([0-9]+))?Z$/.exec(value);
  if (gt !== null) {
    const [, y, mo, d, h, mi, s, frac] = gt;
    const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
    return new Date(
      Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms),
    );
  }
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** An LDAP Boolean value. */
export function toAdBoolean(value: boolean): 'TRUE' | 'FALSE' {
  return value ? 'TRUE' : 'FALSE';
}

/** Parse an LDAP Boolean (`TRUE`/`FALSE`, case-insensitive; `1`/`0` from other tools). */
export function fromAdBoolean(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  const v = value.trim().toUpperCase();
  if (v === 'TRUE' || v === '1') return true;
  if (v === 'FALSE' || v === '0') return false;
  return fallback;
}

/** Parse an integer value; absent or not an integer → fallback. */
export function fromAdInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || !/^-?[0-9]+$/.test(value.trim())) return fallback;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : fallback;
}

/** Attribute values of one entry as read: lower-cased attribute name → values. */
export type AdValues = ReadonlyMap<string, readonly string[]>;

/** The first value of an attribute in {@link AdValues}, by name (case-insensitive). */
export function firstValue(values: AdValues, name: string): string | undefined {
  return values.get(name.toLowerCase())?.[0];
}

/**
 * The record of an entry, or undefined when it has no `sMFA-OTP-secret` (the user exists in AD
 * but is not enrolled).
 *
 * @param upn - the entry's userPrincipalName
 * @param values - its attribute values
 * @returns the record
 */
export function valuesToRecord(upn: string, values: AdValues): UserRecord | undefined {
  const v = (field: AdField): string | undefined => firstValue(values, AD_ATTRIBUTES[field].name);
  const secret = v('secret');
  if (secret === undefined || secret === '') return undefined;
  const text = (field: AdField): string | null => {
    const s = v(field);
    return s === undefined || s === '' ? null : s;
  };
  return {
    upn,
    secret,
    enabled: fromAdBoolean(v('enabled'), true),
    logon: fromAdInteger(v('logon'), 0) === 0 ? 0 : 1,
    lastlogon: fromFiletime(v('lastlogon')),
    logoncount: fromAdInteger(v('logoncount'), 0),
    failedlogoncount: fromAdInteger(v('failedlogoncount'), 0),
    failedlastlogon: fromFiletime(v('failedlastlogon')),
    failedcode: text('failedcode'),
    logonip: text('logonip'),
    useragent: text('useragent'),
    laststep: fromAdInteger(v('laststep'), -1),
    email: text('email'),
    mobile: text('mobile'),
    created: fromFiletime(v('created')) ?? new Date(0),
  };
}

/** The values the atomic operations need present, for a record with none of them yet. */
export function casDefaults(): Record<(typeof AD_CAS_FIELDS)[number], string> {
  return {
    enabled: 'TRUE',
    logoncount: '0',
    failedlogoncount: '0',
    failedlastlogon: '0',
    laststep: '-1',
  };
}
