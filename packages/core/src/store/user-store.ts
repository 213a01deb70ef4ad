/**
 * The `UserStore` contract: what every backend (memory, sqlite, postgres, mssql, ad) must do.
 *
 * Correctness across a farm (several provider nodes on one store) is a store duty: accepting a
 * code and recording a failure are each ONE atomic operation (a conditional UPDATE in SQL, a
 * delete-old/add-new modify in LDAP). Two nodes handed the same code at the same moment: exactly
 * one succeeds. `MemoryStore` is the in-tree reference; `describeUserStoreContract` in
 * `@securemfa/testkit` is the executable form of this document.
 *
 * UPNs are case-insensitive everywhere: backends compare and key them lower-cased and return the
 * UPN as it was first enrolled.
 *
 * @module store
 */

/** The OTP record of one user: SQL table `secrets`, AD attributes `sMFA-OTP-*`. */
export interface UserRecord {
  /** userPrincipalName, as enrolled (compare case-insensitively). */
  upn: string;
  /**
   * The TOTP secret as stored: base32, or an encrypted envelope (`v2:…` or legacy base64) when
   * `data_encryption` is on (always in AD mode). Decrypt with the secret cipher, never log it.
   */
  secret: string;
  /** false = OTP account disabled by support ("Disable User"). */
  enabled: boolean;
  /** 0 until the first successful logon; the QR is shown again when support resets it to 0. */
  logon: 0 | 1;
  /** Time of the last successful logon. */
  lastlogon: Date | null;
  /** Total successful logons. */
  logoncount: number;
  /** Failed logons in a row (reset by a success or by support's unlock). */
  failedlogoncount: number;
  /** Time of the last failure. */
  failedlastlogon: Date | null;
  /**
   * Last failed input: digits only, at most 10 (at sign-in: exactly the configured code length);
   * anything else is stored as a marker (see {@link FAILED_CODE_MARKERS}), never raw.
   */
  failedcode: string | null;
  /** Client address of the last logon. */
  logonip: string | null;
  /** User agent of the last logon (truncated to 512 characters). */
  useragent: string | null;
  /** Last accepted TOTP step (RFC 6238 T): the reuse guard. -1 when none yet. */
  laststep: number;
  /** E-mail address kept in the store (used when no directory is configured). */
  email: string | null;
  /** Mobile number kept in the store (used when no directory is configured). */
  mobile: string | null;
  /** When the record was created. */
  created: Date;
}

/** Where a logon came from: recorded with successes and failures. */
export interface LogonMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** Lockout condition evaluated inside the atomic accept, so a lockout that lands between the
 * read and the write still wins. */
export interface AtomicLockoutCondition {
  /** Locked when `failedlogoncount >= maxFailures` … */
  maxFailures: number;
  /** … and `failedlastlogon > lastFailureAfter` (i.e. now − lockout_minutes). */
  lastFailureAfter: Date;
}

/** Options of {@link UserStore.acceptCode}. */
export interface AcceptCodeOptions {
  /** totp_allow_reuse: accept `step >= laststep` instead of `step > laststep`. */
  allowReuse: boolean;
  /** When set, the accept also fails (reason `locked`) while the user is locked out. */
  lockout?: AtomicLockoutCondition | undefined;
}

/** Result of {@link UserStore.acceptCode}. */
export type AcceptResult =
  | { ok: true; record: UserRecord }
  | { ok: false; reason: 'reused' | 'locked' | 'disabled' | 'not_found'; record?: UserRecord };

/** Options of {@link UserStore.recordFailure}. */
export interface RecordFailureOptions {
  /**
   * When the previous failure is older than this instant, the count restarts at 1 instead of
   * adding to it (the lockout window has passed: a fresh set of attempts).
   */
  restartIfLastFailureBefore?: Date | undefined;
  /**
   * The configured code length (totp digits, 6–8). When given, an all-digit input of any other
   * length is not a code at all and is stored as `'<wrong-length>'` instead of raw; an input of
   * exactly this many digits is stored as typed. The adapter always passes it; without it any
   * 1–10 digits are stored as typed. See {@link sanitiseFailedCode}.
   */
  codeDigits?: number | undefined;
}

/** Filters for {@link UserStore.list}. */
export interface ListUsersOptions {
  /** Only users whose UPN starts with this (case-insensitive). */
  prefix?: string;
  /** Page size (default 500). */
  limit?: number;
  /** Continue after this UPN (keyset pagination, lower-cased order). */
  after?: string;
}

/** One provider node registration (the farm record `install` writes on the main node). */
export interface ProviderRegistration {
  /** Provider id, e.g. `qr-otp`. */
  provider: string;
  /** Package version that registered. */
  version: string;
  /** SHA-256 fingerprint of the normalised config (secrets included, so nodes must match). */
  fingerprint: string;
  /** When it was registered or last re-registered. */
  updated: Date;
}

/** Options of {@link UserStore.restore}. */
export interface RestoreOptions {
  /**
   * What to do when the user already has a record: `true` replaces it (`'replaced'`), `false`
   * leaves it exactly as it is (`'exists'`). Callers ask the operator before passing `true`.
   */
  overwrite: boolean;
}

/**
 * Result of {@link UserStore.restore}: the record was written as a new one, it replaced an
 * existing one, or it was not written because one exists and `overwrite` was false.
 */
export type RestoreOutcome = 'created' | 'replaced' | 'exists';

/** Profile fields kept in the store when no directory is configured. */
export interface UserProfile {
  email?: string | null;
  mobile?: string | null;
}

/**
 * A store of OTP user records. Every method may throw `StoreError` (`ERR_STORE_UNAVAILABLE` when
 * the backend cannot be reached within its timeout); expected outcomes are return values.
 */
export interface UserStore {
  readonly kind: 'sqlite' | 'postgres' | 'mssql' | 'ad' | 'memory';

  /** The record, or undefined when the user has none. */
  get(upn: string, signal?: AbortSignal): Promise<UserRecord | undefined>;

  /**
   * Create the record with this (already encrypted, if configured) secret, enabled, logon 0 —
   * or, when one exists, replace its secret and reset logon to 0, laststep to -1 and the
   * failure counters (re-enrolment). Profile fields are kept unless given.
   */
  enrol(upn: string, secret: string, now: Date, profile?: UserProfile): Promise<UserRecord>;

  /**
   * ONE atomic operation: succeeds only if the user exists, is enabled, is not locked (when
   * `options.lockout` is given) and `step > laststep` (or `>=` with `allowReuse`). On success:
   * laststep = step, logon = 1, lastlogon = now, logoncount + 1, failedlogoncount = 0,
   * logonip/useragent from meta. On failure nothing changes, and the reason says why.
   */
  acceptCode(
    upn: string,
    step: number,
    meta: LogonMeta,
    now: Date,
    options: AcceptCodeOptions,
  ): Promise<AcceptResult>;

  /**
   * ONE atomic operation: failedlogoncount + 1 (or 1, see options), failedlastlogon = now,
   * failedcode = `sanitiseFailedCode(input, options.codeDigits)`. Returns the record after the
   * update, or undefined when the user has no record. N concurrent calls count exactly N.
   */
  recordFailure(
    upn: string,
    input: string,
    meta: LogonMeta,
    now: Date,
    options?: RecordFailureOptions,
  ): Promise<UserRecord | undefined>;

  /**
   * Write a whole record as given: the restore of `securemfa-tools users import`, and moving
   * records between stores (SQLite → PostgreSQL or AD) with nothing lost. Every field is
   * written exactly — `secret` as stored (never re-encrypted: pass what `get` returned),
   * `enabled`, `logon`, `lastlogon`, `logoncount`, `failedlogoncount`, `failedlastlogon`,
   * `failedcode` (sanitised as always: digits, or one of the markers), `logonip` and `useragent`
   * (bounded as always), `laststep`, `email`, `mobile` (an empty string is stored as null) and
   * `created` — with two exceptions:
   * - the UPN of an existing record keeps its stored spelling (in AD the directory's
   *   userPrincipalName, which a restore never changes);
   * - the reuse guard never goes back for the same secret: when the stored record has the same
   *   secret and a higher `laststep`, that `laststep` is kept, so restoring an older export over
   *   a live record cannot re-open codes that were already accepted.
   *
   * No record yet → it is created (`'created'`). A record exists → with `overwrite: false`
   * nothing changes (`'exists'`); with `overwrite: true` it is replaced (`'replaced'`).
   *
   * Atomicity: each write is ONE operation — in SQL one `INSERT … ON CONFLICT DO NOTHING`
   * (T-SQL `INSERT … SELECT … WHERE NOT EXISTS (… WITH (UPDLOCK, HOLDLOCK))`) for a new record,
   * one `UPDATE` for a replace; in AD one modify of the `sMFA-OTP-*` attributes (adding the
   * secret for a new record, compare-and-swap of secret and laststep for a replace). A
   * concurrent `acceptCode`/`recordFailure` therefore sees the record wholly before or wholly
   * after the restore, never a mix, and concurrent accepts of one step racing restores of the
   * same secret succeed at most once. A replace that finds the record deleted meanwhile creates
   * it (and the reverse); a write that keeps losing such races fails with ERR_STORE_CONFLICT.
   *
   * AD: the record lives on the existing user object, so a UPN with no AD user fails with
   * `StoreError` ERR_STORE_NOT_FOUND (a restore never creates directory users); the secret must
   * be encrypted as in {@link UserStore.enrol}.
   *
   * @throws {TypeError} when the record or a field is malformed (the message names the field)
   * @throws {StoreError} ERR_STORE_NOT_FOUND (AD, no such directory user), ERR_STORE_CONFLICT
   */
  restore(record: UserRecord, options: RestoreOptions): Promise<RestoreOutcome>;

  /** Enable or disable the OTP account. Returns false when the user has no record. */
  setEnabled(upn: string, enabled: boolean): Promise<boolean>;

  /** Set logon = 0 and laststep = -1 so the enrolment QR is shown again. False when no record. */
  resetLogon(upn: string): Promise<boolean>;

  /** Clear failedlogoncount (support "unlock"). False when no record. */
  unlock(upn: string): Promise<boolean>;

  /** Update the e-mail/mobile kept in the store. False when no record. */
  setProfile(upn: string, profile: UserProfile): Promise<boolean>;

  /**
   * Compare-and-swap the stored secret (re-encryption): replaces it only if it still equals
   * `expected`. Returns false when it did not (changed meanwhile, or no record).
   */
  replaceSecret(upn: string, expected: string, next: string): Promise<boolean>;

  /** Delete the record. False when there was none. */
  delete(upn: string): Promise<boolean>;

  /** A page of records in lower-cased UPN order. */
  list(options?: ListUsersOptions): Promise<UserRecord[]>;

  /** Number of records. */
  count(): Promise<number>;

  /**
   * Remember a one-time value (e.g. a win-otp request state) until `expiresAt`. Returns true the
   * first time it is seen, false when it was already seen and has not expired — shared by every
   * node of the farm, so a replay to another node is rejected too.
   */
  rememberNonce(key: string, expiresAt: Date, now: Date): Promise<boolean>;

  /** Register (upsert) a provider node configuration. */
  register(registration: ProviderRegistration): Promise<void>;

  /** The registration of a provider, if any. */
  getRegistration(provider: string): Promise<ProviderRegistration | undefined>;

  /** Remove a provider registration. False when there was none. */
  unregister(provider: string): Promise<boolean>;

  /** Cheap reachability check for /readyz and `verify`; throws StoreError when unreachable. */
  ping(signal?: AbortSignal): Promise<void>;

  /** Release connections. Idempotent. */
  close(): Promise<void>;
}

/** Maximum stored length of `useragent`. */
export const MAX_USERAGENT_LENGTH = 512;

/** Maximum stored length of `logonip`. */
export const MAX_LOGONIP_LENGTH = 64;

/**
 * What may be stored as `failedcode`: the input itself when it is a likely code, otherwise a
 * marker that says what kind of input it was without storing it (it could be a password typed
 * into the wrong box):
 * - `'<empty>'` — nothing was typed;
 * - `'<non-numeric>'` — anything but the ASCII digits 0–9;
 * - `'<wrong-length>'` — digits, but not `codeDigits` of them (only when `codeDigits` is given:
 *   the sign-in path passes the configured totp digits, so only a real wrong code is kept);
 * - `'<too-long>'` — more than 10 digits (without `codeDigits`).
 *
 * @param codeDigits the configured code length, 6–8; omitted = any 1–10 digits are kept
 * @throws {TypeError} when `codeDigits` is given and is not an integer from 6 to 8
 * @example
 * sanitiseFailedCode('123450', 6); // '123450' — a wrong code, useful to support staff
 * sanitiseFailedCode('12345', 6); // '<wrong-length>'
 * sanitiseFailedCode('hunter2', 6); // '<non-numeric>'
 */
export function sanitiseFailedCode(input: string, codeDigits?: number): string {
  if (
    codeDigits !== undefined &&
    !(Number.isInteger(codeDigits) && codeDigits >= 6 && codeDigits <= 8)
  )
    throw new TypeError('"codeDigits" must be an integer from 6 to 8');
  if (input.length === 0) return '<empty>';
  if (!/^[0-9]+$/.test(input)) return '<non-numeric>';
  if (codeDigits !== undefined && input.length !== codeDigits) return '<wrong-length>';
  return input.length > 10 ? '<too-long>' : input;
}

/** The markers {@link sanitiseFailedCode} stores instead of an input that is not a likely code. */
export const FAILED_CODE_MARKERS: readonly string[] = [
  '<empty>',
  '<too-long>',
  '<wrong-length>',
  '<non-numeric>',
];

/**
 * A stored `failedcode` being written back (restore): kept when it is 1–10 digits or one of
 * the {@link FAILED_CODE_MARKERS}; anything else is sanitised like an input.
 */
export function sanitiseStoredFailedCode(value: string): string {
  return FAILED_CODE_MARKERS.includes(value) ? value : sanitiseFailedCode(value);
}

/** Normalise an IP / user agent for storage: trimmed, bounded, control characters removed. */
export function sanitiseMeta(meta: LogonMeta): { ip: string | null; userAgent: string | null } {
  const clean = (v: string | undefined, max: number): string | null => {
    if (v === undefined) return null;
    // eslint-disable-next-line no-control-regex
    const s = v.replace(/[\u0000-\u001f\u007f]/g, '').trim();
    return s.length === 0 ? null : s.slice(0, max);
  };
  return {
    ip: clean(meta.ip, MAX_LOGONIP_LENGTH),
    userAgent: clean(meta.userAgent, MAX_USERAGENT_LENGTH),
  };
}

/** The canonical key of a UPN: trimmed and lower-cased. */
export function upnKey(upn: string): string {
  return upn.trim().toLowerCase();
}
