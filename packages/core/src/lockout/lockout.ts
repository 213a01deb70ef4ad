/**
 * Lockout policy: pure, no I/O. Given a user record, the settings and the current time, decides
 * whether the user may try a code.
 *
 * A user is locked when `failedlogoncount >= login_failures` and the last failure is less than
 * `lockout_minutes` ago. `login_failures = 0` disables lockout (as the manuals say); so does
 * `lockout_minutes = 0`. Once the lockout period has passed the user gets a fresh set of
 * attempts: the next failure restarts the count at 1 (see {@link lockoutWindowStart}).
 *
 * @see seed 002 "User Lockouts"
 * @module lockout
 */
import type { AtomicLockoutCondition, UserRecord } from '../store/user-store.js';

/** The lockout settings (config keys ui_login_failures / ui_lockout_minutes). */
export interface LockoutPolicy {
  /** Failures in a row that lock the account; 0 disables lockout. */
  maxFailures: number;
  /** How long a lockout lasts, in minutes; 0 disables lockout. */
  lockoutMinutes: number;
}

/** The decision for one user at one instant. */
export type LockoutDecision =
  | {
      locked: false;
      /** attempts left before a lockout; Infinity when disabled */ remaining: number;
    }
  | { locked: true; until: Date };

/** True when the policy can ever lock anyone. */
export function lockoutEnabled(policy: LockoutPolicy): boolean {
  return policy.maxFailures > 0 && policy.lockoutMinutes > 0;
}

function checkPolicy(policy: LockoutPolicy): void {
  for (const [name, value] of [
    ['maxFailures', policy.maxFailures],
    ['lockoutMinutes', policy.lockoutMinutes],
  ] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`"${name}" must be a non-negative number, got ${String(value)}`);
    }
  }
}

/**
 * The instant before which a failure no longer counts towards a lockout: now − lockout_minutes.
 *
 * @param policy - the lockout settings
 * @param now - the current time
 * @returns the window start
 */
export function lockoutWindowStart(policy: LockoutPolicy, now: Date): Date {
  return new Date(now.getTime() - policy.lockoutMinutes * 60_000);
}

/**
 * Decide whether a user is locked out.
 *
 * @param record - the user's failure counters
 * @param policy - the lockout settings
 * @param now - the current time (injected)
 * @returns `{ locked: true, until }` or `{ locked: false, remaining }`
 * @throws {RangeError} when the policy has negative or non-finite numbers
 * @example
 * ```ts
 * const d = evaluateLockout(user, { maxFailures: 5, lockoutMinutes: 15 }, new Date());
 * if (d.locked) show(`locked until ${d.until.toISOString()}`);
 * ```
 */
export function evaluateLockout(
  record: Pick<UserRecord, 'failedlogoncount' | 'failedlastlogon'>,
  policy: LockoutPolicy,
  now: Date,
): LockoutDecision {
  checkPolicy(policy);
  if (!lockoutEnabled(policy)) return { locked: false, remaining: Infinity };
  const last = record.failedlastlogon;
  // Failures older than the window no longer count: the next failure restarts at 1.
  const stale = last === null || last.getTime() <= lockoutWindowStart(policy, now).getTime();
  const failures = stale ? 0 : record.failedlogoncount;
  if (failures >= policy.maxFailures && last !== null) {
    return { locked: true, until: new Date(last.getTime() + policy.lockoutMinutes * 60_000) };
  }
  return { locked: false, remaining: policy.maxFailures - failures };
}

/**
 * The lockout condition the store evaluates inside its atomic accept, so that a lockout that
 * lands between the adapter's read and the store's write still wins. Undefined when disabled.
 *
 * @param policy - the lockout settings
 * @param now - the current time
 */
export function atomicLockoutCondition(
  policy: LockoutPolicy,
  now: Date,
): AtomicLockoutCondition | undefined {
  checkPolicy(policy);
  if (!lockoutEnabled(policy)) return undefined;
  return { maxFailures: policy.maxFailures, lastFailureAfter: lockoutWindowStart(policy, now) };
}
