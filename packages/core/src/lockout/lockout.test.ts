import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { atomicLockoutCondition, evaluateLockout, lockoutWindowStart } from './lockout.js';

const t0 = new Date('2026-01-01T10:00:00Z');
const minutes = (n: number): Date => new Date(t0.getTime() + n * 60_000);
const policy = { maxFailures: 3, lockoutMinutes: 5 };

describe('evaluateLockout', () => {
  it('allows a user with no failures and reports the attempts left', () => {
    expect(evaluateLockout({ failedlogoncount: 0, failedlastlogon: null }, policy, t0)).toEqual({
      locked: false,
      remaining: 3,
    });
  });

  it('locks once failures reach login_failures, until the last failure + lockout_minutes', () => {
    const d = evaluateLockout({ failedlogoncount: 3, failedlastlogon: t0 }, policy, minutes(1));
    expect(d).toEqual({ locked: true, until: minutes(5) });
  });

  it('counts down the remaining attempts before the limit', () => {
    const d = evaluateLockout({ failedlogoncount: 2, failedlastlogon: t0 }, policy, minutes(1));
    expect(d).toEqual({ locked: false, remaining: 1 });
  });

  it('unlocks exactly when the lockout period has passed, with a fresh set of attempts', () => {
    const rec = { failedlogoncount: 7, failedlastlogon: t0 };
    expect(evaluateLockout(rec, policy, new Date(minutes(5).getTime() - 1)).locked).toBe(true);
    expect(evaluateLockout(rec, policy, minutes(5))).toEqual({ locked: false, remaining: 3 });
  });

  it('is disabled by login_failures = 0 or lockout_minutes = 0 (as the manuals say)', () => {
    const rec = { failedlogoncount: 1000, failedlastlogon: t0 };
    expect(evaluateLockout(rec, { maxFailures: 0, lockoutMinutes: 5 }, t0)).toEqual({
      locked: false,
      remaining: Infinity,
    });
    expect(evaluateLockout(rec, { maxFailures: 3, lockoutMinutes: 0 }, t0).locked).toBe(false);
  });

  it('rejects a negative or non-finite policy with a RangeError naming the field', () => {
    const rec = { failedlogoncount: 0, failedlastlogon: null };
    expect(() => evaluateLockout(rec, { maxFailures: -1, lockoutMinutes: 5 }, t0)).toThrow(
      /"maxFailures" must be a non-negative number/,
    );
    expect(() => evaluateLockout(rec, { maxFailures: 1, lockoutMinutes: NaN }, t0)).toThrow(
      RangeError,
    );
  });

  it('never unlocks early: locked at any instant inside the window once the limit is hit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (maxFailures, lockoutMinutes, extra, fraction) => {
          const p = { maxFailures, lockoutMinutes };
          const rec = { failedlogoncount: maxFailures + extra, failedlastlogon: t0 };
          const now = new Date(t0.getTime() + Math.floor(fraction * lockoutMinutes * 60_000));
          const d = evaluateLockout(rec, p, now);
          return d.locked && d.until.getTime() === t0.getTime() + lockoutMinutes * 60_000;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('atomicLockoutCondition', () => {
  it('gives the store the limit and the window start', () => {
    expect(atomicLockoutCondition(policy, minutes(10))).toEqual({
      maxFailures: 3,
      lastFailureAfter: minutes(5),
    });
    expect(lockoutWindowStart(policy, minutes(10))).toEqual(minutes(5));
  });

  it('is undefined when lockout is disabled', () => {
    expect(atomicLockoutCondition({ maxFailures: 0, lockoutMinutes: 5 }, t0)).toBeUndefined();
  });
});
