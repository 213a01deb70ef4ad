import { describe, expect, it } from '@jest/globals';
import { generateTotp } from '@securemfa/core';
import {
  offlineExpiry,
  verifyOffline,
  type OfflineEntry,
  type OfflinePolicy,
} from './offline-verify.js';

const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const t0 = Date.UTC(2025, 2, 1, 10, 0, 5); // 5 s into a 30 s step
const DAY = 86_400_000;
const policy: OfflinePolicy = { maxFailures: 3, lockoutMinutes: 10, validDays: 7 };
const entry: OfflineEntry = {
  upn: 'alice@adatum.labnet',
  secret,
  step: 30,
  digits: 6,
  algorithm: 'SHA1',
  laststep: Math.floor(t0 / 30_000) - 1,
  synced_at: t0,
  expires_at: t0 + 7 * DAY,
  failed_count: 0,
  failed_last: null,
};
const codeAt = (ms: number, e: OfflineEntry = entry) =>
  generateTotp({
    secret: e.secret,
    epoch: Math.floor(ms / 1000),
    step: e.step,
    digits: e.digits,
    algorithm: e.algorithm,
  });
const wrong = (ms: number) => String((Number(codeAt(ms)) + 500_000) % 1_000_000).padStart(6, '0');

describe('verifyOffline', () => {
  it('accepts the current code, advances the reuse guard to its step and clears failures', () => {
    const v = verifyOffline(
      { ...entry, failed_count: 2, failed_last: t0 - 1000 },
      codeAt(t0),
      new Date(t0),
      policy,
    );
    expect(v).toEqual({
      ok: true,
      entry: { ...entry, laststep: Math.floor(t0 / 30_000), failed_count: 0, failed_last: null },
      expiresAt: new Date(t0 + 7 * DAY),
    });
  });

  it('refuses a code whose step is not after laststep (reused_code), without counting it', () => {
    const used = { ...entry, laststep: Math.floor(t0 / 30_000) };
    const v = verifyOffline(used, codeAt(t0), new Date(t0), policy);
    expect(v).toMatchObject({ ok: false, reason: 'reused_code', changed: false, entry: used });
  });

  it('counts wrong and malformed codes; the third locks for lockout_minutes; a good code is then refused', () => {
    let e = entry;
    const reasons: string[] = [];
    for (const [i, input] of [wrong(t0), 'abc', wrong(t0)].entries()) {
      const v = verifyOffline(e, input, new Date(t0 + i * 1000), policy);
      expect(v.ok).toBe(false);
      if (v.ok) return;
      reasons.push(v.reason);
      expect(v.changed).toBe(true);
      e = v.entry;
    }
    expect(reasons).toEqual(['invalid_code', 'invalid_code', 'locked']);
    expect(e).toMatchObject({ failed_count: 3, failed_last: t0 + 2000 });
    const locked = verifyOffline(e, codeAt(t0 + 60_000), new Date(t0 + 60_000), policy);
    expect(locked).toMatchObject({
      ok: false,
      reason: 'locked',
      changed: false,
      lockedUntil: new Date(t0 + 2000 + 600_000),
    });
    const after = t0 + 2000 + 600_000 + 1;
    expect(verifyOffline(e, codeAt(after), new Date(after), policy).ok).toBe(true);
  });

  it('failures older than the lockout window restart the count at 1', () => {
    const old = { ...entry, failed_count: 2, failed_last: t0 - 11 * 60_000 };
    const v = verifyOffline(old, wrong(t0), new Date(t0), policy);
    expect(v).toMatchObject({
      ok: false,
      reason: 'invalid_code',
      entry: { failed_count: 1, failed_last: t0 },
    });
  });

  it('0 failures or 0 minutes disables the offline lockout (seed 004)', () => {
    for (const p of [
      { ...policy, maxFailures: 0 },
      { ...policy, lockoutMinutes: 0 },
    ]) {
      let e = entry;
      for (let i = 0; i < 10; i += 1) {
        const v = verifyOffline(e, wrong(t0), new Date(t0 + i), p);
        expect(v).toMatchObject({ ok: false, reason: 'invalid_code' });
        e = v.entry;
      }
    }
  });

  it('expires at the sync’s end, earlier when valid days were lowered, never when 0 days', () => {
    const last = t0 + 7 * DAY - 1;
    expect(verifyOffline(entry, codeAt(last), new Date(last), policy).ok).toBe(true);
    const end = t0 + 7 * DAY;
    expect(verifyOffline(entry, codeAt(end), new Date(end), policy)).toMatchObject({
      ok: false,
      reason: 'offline_expired',
      changed: false,
    });
    const twoDays = { ...policy, validDays: 2 };
    expect(offlineExpiry(entry, 2)).toEqual(new Date(t0 + 2 * DAY));
    expect(
      verifyOffline(entry, codeAt(t0 + 3 * DAY), new Date(t0 + 3 * DAY), twoDays),
    ).toMatchObject({ reason: 'offline_expired' });
    expect(
      verifyOffline(entry, codeAt(t0), new Date(t0), { ...policy, validDays: 0 }),
    ).toMatchObject({ reason: 'offline_expired' });
  });

  it('a clock set back before the sync (more than 5 minutes) is not trusted', () => {
    const back = t0 - 6 * 60_000;
    expect(
      verifyOffline({ ...entry, laststep: 0 }, codeAt(back), new Date(back), policy),
    ).toMatchObject({ reason: 'offline_expired' });
  });

  it('honours the synced parameters (8 digits, SHA256, 60 s)', () => {
    const e: OfflineEntry = { ...entry, digits: 8, algorithm: 'SHA256', step: 60, laststep: 0 };
    const code = codeAt(t0, e);
    expect(code).toHaveLength(8);
    expect(verifyOffline(e, code, new Date(t0), policy)).toMatchObject({
      ok: true,
      entry: { laststep: Math.floor(t0 / 60_000) },
    });
  });
});
