/**
 * The UserStore contract as a suite factory (otplib's createTOTPTests(ctx) style): every backend
 * — memory, sqlite, postgres, mssql, ad — runs the same tests, including the farm race.
 *
 * ```ts
 * describeUserStoreContract('sqlite', async () => ({ store, cleanup, openSecond }));
 * ```
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { UserStore } from '@securemfa/core';

/** What a backend's test hands the suite. */
export interface StoreUnderTest {
  store: UserStore;
  /** Drop everything the suite created (called once at the end). */
  cleanup(): Promise<void>;
  /** A second, independent connection to the same data (a second farm node). */
  openSecond?: () => Promise<UserStore>;
  /**
   * Make `upn` enrollable (AD: create the directory user first). The suite calls it before each
   * enrol of a new UPN. Default: nothing to do.
   */
  prepareUser?: (upn: string) => Promise<void>;
}

/** Options of the suite. */
export interface ContractOptions {
  /** Concurrent calls in the race tests (default 20). */
  raceSize?: number;
  /** Secrets the backend accepts (AD wants encrypted values; any opaque string works). */
  secret?: (n: number) => string;
}

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const meta = { ip: '127.0.0.1', userAgent: 'contract-suite/1.0' };

/**
 * Register the contract tests for one backend.
 *
 * @param name - backend name shown in the test titles
 * @param make - opens a fresh store (called once, in beforeAll)
 */
export function describeUserStoreContract(
  name: string,
  make: () => Promise<StoreUnderTest>,
  options: ContractOptions = {},
): void {
  const raceSize = options.raceSize ?? 20;
  const secretOf = options.secret ?? ((n: number) => `v2$600000$c2FsdHNhbHRzYWx0c2FsdA$secret${n}`);
  let sut: StoreUnderTest;
  let store: UserStore;
  let n = 0;
  // Unique UPNs per test, so tests never depend on each other.
  const fresh = async (label: string): Promise<string> => {
    n += 1;
    const upn = `${label}${n}.contract@adatum.labnet`;
    await sut.prepareUser?.(upn);
    return upn;
  };
  const enrolled = async (label: string): Promise<string> => {
    const upn = await fresh(label);
    await store.enrol(upn, secretOf(n), t0);
    return upn;
  };

  describe(`UserStore contract: ${name}`, () => {
    beforeAll(async () => {
      sut = await make();
      store = sut.store;
    });
    afterAll(async () => {
      await sut?.cleanup();
    });

    describe('get / enrol', () => {
      it('returns undefined for a user without a record', async () => {
        expect(await store.get(await fresh('nobody'))).toBeUndefined();
      });

      it('creates an enabled record with logon 0, no step, zero counters', async () => {
        const upn = await fresh('Alice');
        const r = await store.enrol(upn, secretOf(1), t0, { email: 'alice@example.test' });
        expect(r).toMatchObject({
          upn,
          secret: secretOf(1),
          enabled: true,
          logon: 0,
          laststep: -1,
          logoncount: 0,
          failedlogoncount: 0,
          failedcode: null,
          lastlogon: null,
          email: 'alice@example.test',
        });
        expect(await store.get(upn)).toMatchObject({ upn, secret: secretOf(1), email: 'alice@example.test' });
      });

      it('finds users case-insensitively and keeps the UPN as enrolled', async () => {
        const upn = await fresh('MixedCase');
        await store.enrol(upn, secretOf(2), t0);
        expect((await store.get(upn.toUpperCase()))?.upn).toBe(upn);
        expect((await store.get(`  ${upn.toLowerCase()} `))?.upn).toBe(upn);
      });

      it('re-enrolment replaces the secret and resets logon, laststep and failures', async () => {
        const upn = await enrolled('reenrol');
        await store.acceptCode(upn, 100, meta, at(1), { allowReuse: false });
        await store.recordFailure(upn, '000000', meta, at(2));
        const r = await store.enrol(upn, secretOf(99), at(3));
        expect(r).toMatchObject({ secret: secretOf(99), logon: 0, laststep: -1, failedlogoncount: 0, logoncount: 1 });
      });
    });

    describe('acceptCode', () => {
      it('accepts a new step and records logon, counters, ip and user agent', async () => {
        const upn = await enrolled('accept');
        const res = await store.acceptCode(upn, 1000, meta, at(10), { allowReuse: false });
        expect(res.ok).toBe(true);
        if (!res.ok) return;
        expect(res.record).toMatchObject({
          laststep: 1000,
          logon: 1,
          logoncount: 1,
          failedlogoncount: 0,
          logonip: '127.0.0.1',
          useragent: 'contract-suite/1.0',
        });
        expect(res.record.lastlogon?.getTime()).toBe(at(10).getTime());
      });

      it('rejects the same step again (reused) and an older step, unless reuse is allowed', async () => {
        const upn = await enrolled('reuse');
        expect((await store.acceptCode(upn, 500, meta, at(1), { allowReuse: false })).ok).toBe(true);
        expect(await store.acceptCode(upn, 500, meta, at(2), { allowReuse: false })).toMatchObject({ ok: false, reason: 'reused' });
        expect(await store.acceptCode(upn, 499, meta, at(2), { allowReuse: false })).toMatchObject({ ok: false, reason: 'reused' });
        expect((await store.acceptCode(upn, 500, meta, at(3), { allowReuse: true })).ok).toBe(true);
        expect(await store.acceptCode(upn, 499, meta, at(3), { allowReuse: true })).toMatchObject({ ok: false, reason: 'reused' });
        expect((await store.get(upn))?.logoncount).toBe(2);
      });

      it('rejects a disabled user and an unknown user', async () => {
        const upn = await enrolled('disabled');
        expect(await store.setEnabled(upn, false)).toBe(true);
        expect(await store.acceptCode(upn, 1, meta, at(1), { allowReuse: false })).toMatchObject({ ok: false, reason: 'disabled' });
        expect(await store.acceptCode(await fresh('ghost'), 1, meta, at(1), { allowReuse: false })).toEqual({
          ok: false,
          reason: 'not_found',
        });
      });

      it('refuses a correct code while locked out, inside the same atomic operation', async () => {
        const upn = await enrolled('locked');
        for (let i = 0; i < 3; i += 1) await store.recordFailure(upn, '111111', meta, at(10 + i));
        const lockout = { maxFailures: 3, lastFailureAfter: at(0) };
        expect(await store.acceptCode(upn, 7, meta, at(20), { allowReuse: false, lockout })).toMatchObject({
          ok: false,
          reason: 'locked',
        });
        // Once the failures are older than the window, the same accept succeeds and resets them.
        const after = { maxFailures: 3, lastFailureAfter: at(13) };
        const ok = await store.acceptCode(upn, 7, meta, at(400), { allowReuse: false, lockout: after });
        expect(ok).toMatchObject({ ok: true, record: { failedlogoncount: 0 } });
      });

      it('stores long or odd metadata bounded and without control characters', async () => {
        const upn = await enrolled('meta');
        const res = await store.acceptCode(upn, 1, { ip: '::1', userAgent: `x\u0000y${'z'.repeat(2000)}` }, at(1), {
          allowReuse: false,
        });
        expect(res.ok && res.record.useragent?.length).toBe(512);
        expect(res.ok && res.record.useragent?.startsWith('xyz')).toBe(true);
      });
    });

    describe('recordFailure', () => {
      it('counts failures in a row and keeps the last time and a sanitised failed code', async () => {
        const upn = await enrolled('fail');
        await store.recordFailure(upn, '123456', meta, at(1));
        const r = await store.recordFailure(upn, 'hunter2', meta, at(2));
        expect(r).toMatchObject({ failedlogoncount: 2, failedcode: '<non-numeric>' });
        expect(r?.failedlastlogon?.getTime()).toBe(at(2).getTime());
        expect(JSON.stringify(await store.get(upn))).not.toContain('hunter2');
        expect((await store.recordFailure(upn, '12345678901', meta, at(3)))?.failedcode).toBe('<too-long>');
        expect((await store.recordFailure(upn, '0042', meta, at(4)))?.failedcode).toBe('0042');
      });

      it('restarts the count when the previous failure is older than the window', async () => {
        const upn = await enrolled('restart');
        await store.recordFailure(upn, '1', meta, at(1));
        await store.recordFailure(upn, '2', meta, at(2));
        const r = await store.recordFailure(upn, '3', meta, at(1000), { restartIfLastFailureBefore: at(500) });
        expect(r?.failedlogoncount).toBe(1);
        const s = await store.recordFailure(upn, '4', meta, at(1001), { restartIfLastFailureBefore: at(500) });
        expect(s?.failedlogoncount).toBe(2);
      });

      it('returns undefined for an unknown user', async () => {
        expect(await store.recordFailure(await fresh('ghost'), '1', meta, at(1))).toBeUndefined();
      });

      it('a success resets the failure count', async () => {
        const upn = await enrolled('reset');
        await store.recordFailure(upn, '1', meta, at(1));
        const res = await store.acceptCode(upn, 9, meta, at(2), { allowReuse: false });
        expect(res.ok && res.record.failedlogoncount).toBe(0);
      });
    });

    describe('support operations', () => {
      it('disable / enable, reset logon, unlock', async () => {
        const upn = await enrolled('support');
        await store.acceptCode(upn, 42, meta, at(1), { allowReuse: false });
        await store.recordFailure(upn, '1', meta, at(2));
        expect(await store.setEnabled(upn, false)).toBe(true);
        expect((await store.get(upn))?.enabled).toBe(false);
        expect(await store.setEnabled(upn, true)).toBe(true);
        expect(await store.resetLogon(upn)).toBe(true);
        expect(await store.get(upn)).toMatchObject({ logon: 0, laststep: -1, enabled: true });
        expect(await store.unlock(upn)).toBe(true);
        expect(await store.get(upn)).toMatchObject({ failedlogoncount: 0, failedlastlogon: null });
        const ghost = await fresh('ghost');
        expect([await store.setEnabled(ghost, false), await store.resetLogon(ghost), await store.unlock(ghost)]).toEqual([
          false,
          false,
          false,
        ]);
      });

      it('updates and clears profile fields', async () => {
        const upn = await enrolled('profile');
        expect(await store.setProfile(upn, { email: 'p@example.test', mobile: '+447700900001' })).toBe(true);
        expect(await store.get(upn)).toMatchObject({ email: 'p@example.test', mobile: '+447700900001' });
        await store.setProfile(upn, { email: null });
        expect(await store.get(upn)).toMatchObject({ email: null, mobile: '+447700900001' });
      });

      it('replaces a secret only when it still has the expected value', async () => {
        const upn = await enrolled('rekey');
        const old = (await store.get(upn))!.secret;
        expect(await store.replaceSecret(upn, 'not-the-secret', secretOf(7))).toBe(false);
        expect(await store.replaceSecret(upn, old, secretOf(7))).toBe(true);
        expect((await store.get(upn))?.secret).toBe(secretOf(7));
        expect(await store.replaceSecret(upn, old, secretOf(8))).toBe(false);
      });

      it('deletes a record', async () => {
        const upn = await enrolled('delete');
        expect(await store.delete(upn)).toBe(true);
        expect(await store.get(upn)).toBeUndefined();
        expect(await store.delete(upn)).toBe(false);
      });

      it('lists in UPN order with prefix filtering and keyset pages', async () => {
        const base = `lst${Date.now().toString(36)}`;
        const upns: string[] = [];
        for (let i = 0; i < 5; i += 1) {
          const upn = `${base}-${i}@adatum.labnet`;
          await sut.prepareUser?.(upn);
          await store.enrol(upn, secretOf(i), t0);
          upns.push(upn);
        }
        const page1 = await store.list({ prefix: base, limit: 2 });
        expect(page1.map((r) => r.upn)).toEqual(upns.slice(0, 2));
        const page2 = await store.list({ prefix: base, limit: 10, after: page1[1]!.upn });
        expect(page2.map((r) => r.upn)).toEqual(upns.slice(2));
        expect(await store.list({ prefix: `${base}_` })).toEqual([]); // `_` is not a wildcard
        expect(await store.count()).toBeGreaterThanOrEqual(5);
      });
    });

    describe('hostile input', () => {
      it.each([
        ["x' OR '1'='1"],
        ['*)(objectClass=*'],
        ['*'],
        ["a'; DROP TABLE secrets; --"],
        ['%'],
        ['\\'],
      ])('the UPN %j finds nothing and breaks nothing', async (upn) => {
        const before = await store.count();
        expect(await store.get(upn)).toBeUndefined();
        expect(await store.acceptCode(upn, 1, meta, t0, { allowReuse: false })).toMatchObject({ ok: false });
        expect(await store.recordFailure(upn, '1', meta, t0)).toBeUndefined();
        expect(await store.setEnabled(upn, false)).toBe(false);
        expect(await store.delete(upn)).toBe(false);
        expect(await store.list({ prefix: upn })).toEqual([]);
        expect(await store.count()).toBe(before);
      });
    });

    describe('nonces and registrations', () => {
      it('remembers a nonce until it expires', async () => {
        const key = `nonce-${Date.now()}-${Math.random()}`;
        expect(await store.rememberNonce(key, at(60), t0)).toBe(true);
        expect(await store.rememberNonce(key, at(60), at(30))).toBe(false);
        expect(await store.rememberNonce(key, at(200), at(61))).toBe(true);
      });

      it('registers, reads and removes a provider registration', async () => {
        const provider = `contract-${Date.now()}`;
        expect(await store.getRegistration(provider)).toBeUndefined();
        await store.register({ provider, version: '0.1.0', fingerprint: 'a'.repeat(64), updated: t0 });
        await store.register({ provider, version: '0.2.0', fingerprint: 'b'.repeat(64), updated: at(5) });
        const r = await store.getRegistration(provider);
        expect(r).toMatchObject({ provider, version: '0.2.0', fingerprint: 'b'.repeat(64) });
        expect(r?.updated.getTime()).toBe(at(5).getTime());
        expect(await store.unregister(provider)).toBe(true);
        expect(await store.unregister(provider)).toBe(false);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('farm race', () => {
      it(`${raceSize} concurrent acceptCode calls of the same step: exactly one succeeds`, async () => {
        const second = sut.openSecond === undefined ? store : await sut.openSecond();
        try {
          for (let round = 0; round < 5; round += 1) {
            const upn = await enrolled('race');
            const results = await Promise.all(
              Array.from({ length: raceSize }, (_, i) =>
                (i % 2 === 0 ? store : second).acceptCode(upn, 777, meta, at(round), { allowReuse: false }),
              ),
            );
            expect(results.filter((r) => r.ok)).toHaveLength(1);
            expect(results.filter((r) => !r.ok && r.reason === 'reused')).toHaveLength(raceSize - 1);
            expect((await store.get(upn))?.logoncount).toBe(1);
          }
        } finally {
          if (second !== store) await second.close();
        }
      });

      it(`${raceSize} concurrent recordFailure calls count exactly ${raceSize}`, async () => {
        const second = sut.openSecond === undefined ? store : await sut.openSecond();
        try {
          const upn = await enrolled('racefail');
          await Promise.all(
            Array.from({ length: raceSize }, (_, i) => (i % 2 === 0 ? store : second).recordFailure(upn, String(i), meta, at(i))),
          );
          expect((await store.get(upn))?.failedlogoncount).toBe(raceSize);
        } finally {
          if (second !== store) await second.close();
        }
      });
    });

    describe('close', () => {
      it('is idempotent and later calls fail with ERR_STORE_UNAVAILABLE', async () => {
        // A separate instance, so the suite's own store stays open for cleanup.
        const other = sut.openSecond === undefined ? await make() : undefined;
        const extra = other?.store ?? (await sut.openSecond!());
        await extra.close();
        await extra.close();
        await expect(extra.get('anyone@adatum.labnet')).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await other?.cleanup();
      });
    });
  });
}
