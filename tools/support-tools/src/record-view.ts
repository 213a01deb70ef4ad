/**
 * What the support tools show of a user record: everything but the secret, plus the lockout
 * state computed with core's policy (ui_login_failures / ui_lockout_minutes) at "now". Of the
 * secret only its format and whether it decrypts are shown, never its value.
 *
 * @module record-view
 */
import {
  detectFormat,
  decodeSecret,
  evaluateLockout,
  isSecureMfaError,
  type LockoutPolicy,
  type SecretCipher,
  type UserRecord,
} from '@securemfa/core';

/** One row of `users list` (`--json` prints these). */
export interface UserSummary {
  upn: string;
  enabled: boolean;
  /** logon = 1: the user has completed enrolment (scanned the QR and signed in once). */
  enrolled: boolean;
  lastlogon: string | null;
  logoncount: number;
  failedlogoncount: number;
  /** Locked out until this instant (ISO 8601), or null when not locked. */
  lockedUntil: string | null;
}

/** What `users show` prints (`--json` prints this). */
export interface UserDetails extends UserSummary {
  created: string;
  logonip: string | null;
  useragent: string | null;
  failedlastlogon: string | null;
  failedcode: string | null;
  laststep: number;
  email: string | null;
  mobile: string | null;
  /** Attempts left before a lockout (null when lockout is off or the user is locked). */
  attemptsLeft: number | null;
  secret: SecretState;
}

/** The state of a stored secret, without its value. */
export interface SecretState {
  /** plain, legacy, v2 — or unknown when in no known format. */
  format: 'plain' | 'legacy' | 'v2' | 'unknown';
  /** True when it decrypts (with the configured passphrase) to a usable TOTP key. */
  usable: boolean;
  /** Why not, when not usable (never contains the value). */
  problem?: string;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/**
 * Format an instant for a table: `2026-05-01 10:00:00Z`, or `-`.
 *
 * @param value - an ISO string, a Date, or null
 */
export function formatTime(value: string | Date | null): string {
  if (value === null) return '-';
  const text = typeof value === 'string' ? value : value.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)}Z`;
}

/**
 * When the user is locked out until, or undefined when not locked.
 *
 * @param record - the user's counters
 * @param policy - ui_login_failures / ui_lockout_minutes
 * @param now - the current time
 */
export function lockedUntil(
  record: Pick<UserRecord, 'failedlogoncount' | 'failedlastlogon'>,
  policy: LockoutPolicy,
  now: Date,
): Date | undefined {
  const d = evaluateLockout(record, policy, now);
  return d.locked ? d.until : undefined;
}

/**
 * A record as a row of `users list`.
 *
 * @param record - the record
 * @param policy - lockout settings
 * @param now - the current time
 */
export function userSummary(record: UserRecord, policy: LockoutPolicy, now: Date): UserSummary {
  const until = lockedUntil(record, policy, now);
  return {
    upn: record.upn,
    enabled: record.enabled,
    enrolled: record.logon === 1,
    lastlogon: iso(record.lastlogon),
    logoncount: record.logoncount,
    failedlogoncount: record.failedlogoncount,
    lockedUntil: until === undefined ? null : until.toISOString(),
  };
}

/**
 * Whether a stored secret is usable, without revealing it.
 *
 * @param stored - the stored value
 * @param cipher - the configuration's cipher
 */
export function secretState(stored: string, cipher: SecretCipher): SecretState {
  const format = detectFormat(stored) ?? 'unknown';
  if (format === 'unknown') {
    return {
      format,
      usable: false,
      problem: 'in no known format (expected base32, a v2$ envelope or legacy base64)',
    };
  }
  let plain: string;
  try {
    plain = cipher.decrypt(stored);
  } catch (err) {
    const code = isSecureMfaError(err) ? err.code : 'error';
    return {
      format,
      usable: false,
      problem:
        code === 'ERR_CRYPTO_TAMPERED'
          ? 'does not decrypt with the configured passphrase (another passphrase or legacy salt, or altered)'
          : code === 'ERR_CRYPTO_FORMAT'
            ? 'is encrypted but no data_encryption_passphrase is configured'
            : 'cannot be read',
    };
  }
  try {
    decodeSecret(plain);
  } catch {
    return { format, usable: false, problem: 'decrypts, but not to a TOTP key of 10–64 bytes' };
  }
  return { format, usable: true };
}

/**
 * A record as `users show` prints it.
 *
 * @param record - the record
 * @param policy - lockout settings
 * @param now - the current time
 * @param cipher - the configuration's cipher (to tell whether the secret decrypts)
 */
export function userDetails(
  record: UserRecord,
  policy: LockoutPolicy,
  now: Date,
  cipher: SecretCipher,
): UserDetails {
  const decision = evaluateLockout(record, policy, now);
  return {
    ...userSummary(record, policy, now),
    created: record.created.toISOString(),
    logonip: record.logonip,
    useragent: record.useragent,
    failedlastlogon: iso(record.failedlastlogon),
    failedcode: record.failedcode,
    laststep: record.laststep,
    email: record.email,
    mobile: record.mobile,
    attemptsLeft:
      decision.locked || !Number.isFinite(decision.remaining) ? null : decision.remaining,
    secret: secretState(record.secret, cipher),
  };
}
