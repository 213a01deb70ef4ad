/**
 * Offline validation of one code against a synced secret: pure, no I/O. Its own lockout
 * (totp_offline_ui_login_failures / totp_offline_ui_lockout_minutes, evaluated by core's
 * lockout policy) and reuse guard (the last accepted step, also advanced by online logons), and
 * the expiry of the sync (totp_offline_secret_valid_days).
 *
 * @see seed 004 "User Lockouts", "Enable Offline TOTP validations"
 * @module offline
 */
import {
  evaluateLockout,
  lockoutWindowStart,
  verifyTotp,
  type LockoutPolicy,
} from '@securemfa/core';

/** One user's synced data. */
export interface OfflineEntry {
  /** The UPN as the portal knows it. */
  upn: string;
  /** Base32 TOTP secret. */
  secret: string;
  step: number;
  digits: 6 | 7 | 8;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  /** Last accepted step (online or offline): the reuse guard. */
  laststep: number;
  /** When the sync happened (Unix ms). */
  synced_at: number;
  /** When the sync stops validating codes (Unix ms). */
  expires_at: number;
  /** Offline failures in a row. */
  failed_count: number;
  /** Last offline failure (Unix ms), or null. */
  failed_last: number | null;
}

/** Offline policy from the agent config. */
export interface OfflinePolicy extends LockoutPolicy {
  /** totp_offline_secret_valid_days (0 = offline disabled). */
  validDays: number;
}

/** Why an offline code was refused. */
export type OfflineFailure = 'invalid_code' | 'reused_code' | 'locked' | 'offline_expired';

/** The decision and the entry to store. */
export type OfflineVerdict =
  | { ok: true; entry: OfflineEntry; expiresAt: Date }
  | {
      ok: false;
      reason: OfflineFailure;
      /** The entry after the attempt (a failure is counted). */
      entry: OfflineEntry;
      /** The entry changed and must be written back. */
      changed: boolean;
      lockedUntil?: Date | undefined;
      expiresAt: Date;
    };

/** A clock set back by more than this before the sync means the sync cannot be trusted. */
const CLOCK_BACK_TOLERANCE_MS = 5 * 60_000;

/**
 * When an entry stops validating under the current policy: its own expiry, or earlier when
 * valid days were lowered since the sync.
 *
 * @param entry - the synced entry
 * @param validDays - totp_offline_secret_valid_days
 * @returns the instant
 */
export function offlineExpiry(entry: OfflineEntry, validDays: number): Date {
  return new Date(Math.min(entry.expires_at, entry.synced_at + validDays * 86_400_000));
}

/**
 * Validate a code offline.
 *
 * @param entry - the user's synced entry
 * @param code - the code as typed
 * @param now - the current time (injected)
 * @param policy - lockout and expiry settings
 * @returns accepted (with the entry advanced to the matched step), or the reason and the
 *   entry with the failure counted
 * @example
 * ```ts
 * const v = verifyOffline(entry, '123456', new Date(), { maxFailures: 5, lockoutMinutes: 15, validDays: 7 });
 * if (v.ok || v.changed) await cache.save(v.entry);
 * ```
 */
export function verifyOffline(
  entry: OfflineEntry,
  code: string,
  now: Date,
  policy: OfflinePolicy,
): OfflineVerdict {
  const expiresAt = offlineExpiry(entry, policy.validDays);
  const t = now.getTime();
  const unchanged = { entry, changed: false, expiresAt } as const;
  if (
    policy.validDays <= 0 ||
    t >= expiresAt.getTime() ||
    t < entry.synced_at - CLOCK_BACK_TOLERANCE_MS
  ) {
    return { ok: false, reason: 'offline_expired', ...unchanged };
  }
  const counters = {
    failedlogoncount: entry.failed_count,
    failedlastlogon: entry.failed_last === null ? null : new Date(entry.failed_last),
  };
  const before = evaluateLockout(counters, policy, now);
  if (before.locked)
    return { ok: false, reason: 'locked', lockedUntil: before.until, ...unchanged };

  const input = code.trim().replace(/\s+/g, '').slice(0, 65);
  const verdict = verifyTotp({
    secret: entry.secret,
    token: input,
    epoch: Math.floor(t / 1000),
    step: entry.step,
    digits: entry.digits,
    algorithm: entry.algorithm,
    afterStep: entry.laststep,
  });
  if (verdict.valid) {
    return {
      ok: true,
      entry: { ...entry, laststep: verdict.step, failed_count: 0, failed_last: null },
      expiresAt,
    };
  }
  // A reused code is not a guess: refused without counting (as the portal does).
  if (verdict.reason === 'reused') return { ok: false, reason: 'reused_code', ...unchanged };

  const windowStart = lockoutWindowStart(policy, now).getTime();
  const restart = entry.failed_last === null || entry.failed_last <= windowStart;
  const failed: OfflineEntry = {
    ...entry,
    failed_count: restart ? 1 : entry.failed_count + 1,
    failed_last: t,
  };
  const after = evaluateLockout(
    { failedlogoncount: failed.failed_count, failedlastlogon: new Date(t) },
    policy,
    now,
  );
  return after.locked
    ? {
        ok: false,
        reason: 'locked',
        entry: failed,
        changed: true,
        lockedUntil: after.until,
        expiresAt,
      }
    : { ok: false, reason: 'invalid_code', entry: failed, changed: true, expiresAt };
}
