/**
 * The `UserStore` contract as a suite factory, in the style of otplib's `createTOTPTests(ctx)`:
 * every backend — memory, sqlite, postgres, mssql, ad — runs the same tests, including the farm
 * race. This file is the executable form of the TSDoc in `core/src/store/user-store.ts`.
 *
 * ```ts
 * describeUserStoreContract('sqlite', async () => {
 *   const store = await openSqliteStore({ path });
 *   return { store, openSecond: () => openSqliteStore({ path }), cleanup: () => store.close() };
 * });
 * ```
 *
 * The suite shares one store between its tests (opening a backend can be slow) and gives every
 * test its own UPNs, so tests never depend on each other's data; it relies on jest running the
 * tests of a file one after the other (the `count` checks do).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AcceptResult, LogonMeta, UserRecord, UserStore } from '@securemfa/core';

/** What a backend's test hands the suite. */
export interface StoreUnderTest {
  /** The store the tests run against. */
  store: UserStore;
  /** Release everything the backend opened for the suite (called once, at the end). */
  cleanup(): Promise<void>;
  /**
   * A second, independent connection to the same data: a second farm node. The race tests
   * alternate between the two; without it they run on `store` alone. The suite closes what it
   * opens.
   */
  openSecond?: () => Promise<UserStore>;
  /**
   * Make `upn` enrollable (AD: create the directory user first). Called before each enrol of a
   * new UPN. Default: nothing to do.
   */
  prepareUser?: (upn: string) => Promise<void>;
}

/** Options of {@link describeUserStoreContract}. */
export interface ContractOptions {
  /** Concurrent calls in each race (default 20). */
  raceSize?: number;
  /** Rounds of the accept race, each on a fresh user (default 5). */
  raceRounds?: number;
  /**
   * Farm nodes in the races: the suite's store plus `raceNodes - 1` more from `openSecond`
   * (default 2). Backends with a pool per node (PostgreSQL, MS SQL) or a file shared by
   * processes run it with more.
   */
  raceNodes?: number;
  /** Secrets the backend accepts (AD wants encrypted values; any opaque string works). */
  secret?: (n: number) => string;
}

const t0 = new Date('2026-03-01T08:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);
const meta: LogonMeta = { ip: '192.0.2.10', userAgent: 'contract-suite/1.0' };
const noReuse = { allowReuse: false } as const;

/**
 * Register the contract tests for one backend.
 *
 * @param name - backend name shown in the test titles
 * @param make - opens the store under test (called once, in `beforeAll`; the `close` test may
 *   call it once more when there is no `openSecond`)
 * @param options - race sizes and secret format
 * @example
 * ```ts
 * describeUserStoreContract('memory', async () => {
 *   const store = new MemoryStore();
 *   return { store, cleanup: () => store.close() };
 * });
 * ```
 */
export function describeUserStoreContract(
  name: string,
  make: () => Promise<StoreUnderTest>,
  options: ContractOptions = {},
): void {
  const raceSize = options.raceSize ?? 20;
  const raceRounds = options.raceRounds ?? 5;
  const raceNodes = options.raceNodes ?? 2;
  if (!Number.isInteger(raceNodes) || raceNodes < 2) {
    throw new TypeError('"raceNodes" must be an integer ≥ 2');
  }
  const secretOf = options.secret ?? ((n: number) => `v2$600000$c2FsdHNhbHRzYWx0c2FsdA$secret${n}`);
  let sut: StoreUnderTest;
  let store: UserStore;
  let n = 0;
  // A run-unique tag keeps UPNs apart when a backend's data outlives one run (AD, PostgreSQL).
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const fresh = async (label: string): Promise<string> => {
    n += 1;
    const upn = `${label}${n}.${run}@adatum.labnet`;
    await sut.prepareUser?.(upn);
    return upn;
  };
  const enrolled = async (label: string): Promise<string> => {
    const upn = await fresh(label);
    await store.enrol(upn, secretOf(n), t0);
    return upn;
  };
  /** Run `body` with a second node (or the same store when the backend has none). */
  const withSecond = async (body: (second: UserStore) => Promise<void>): Promise<void> => {
    const second = sut.openSecond === undefined ? store : await sut.openSecond();
    try {
      await body(second);
    } finally {
      if (second !== store) await second.close();
    }
  };
  /**
   * Run `body` with `raceNodes` farm nodes: the suite's store and independent connections from
   * `openSecond` (only the suite's store when the backend has none).
   */
  const withNodes = async (body: (nodes: UserStore[]) => Promise<void>): Promise<void> => {
    const extra: UserStore[] = [];
    try {
      if (sut.openSecond !== undefined) {
        for (let i = 1; i < raceNodes; i += 1) extra.push(await sut.openSecond());
      }
      await body(extra.length === 0 ? [store, store] : [store, ...extra]);
    } finally {
      for (const node of extra) await node.close();
    }
  };
  /** The fields a refused accept must leave alone. */
  const unchanged = (r: UserRecord | undefined) => ({
    laststep: r?.laststep,
    logon: r?.logon,
    logoncount: r?.logoncount,
    lastlogon: r?.lastlogon?.getTime() ?? null,
    failedlogoncount: r?.failedlogoncount,
    logonip: r?.logonip,
  });

  /** A refusal may carry the record (optional in the contract); when it does, it is current. */
  const refusedWith = (res: AcceptResult, check: Partial<UserRecord>): void => {
    if (!res.ok && res.record !== undefined) expect(res.record).toMatchObject(check);
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

      it('creates an enabled record with logon 0, laststep -1, zero counters and the profile', async () => {
        const upn = await fresh('Alice');
        const r = await store.enrol(upn, secretOf(1), at(5), { email: 'alice@example.test' });
        const expected = {
          upn,
          secret: secretOf(1),
          enabled: true,
          logon: 0,
          laststep: -1,
          logoncount: 0,
          failedlogoncount: 0,
          failedcode: null,
          failedlastlogon: null,
          lastlogon: null,
          logonip: null,
          useragent: null,
          email: 'alice@example.test',
          mobile: null,
        };
        expect(r).toMatchObject(expected);
        expect(await store.get(upn)).toMatchObject(expected);
        expect((await store.get(upn))?.created.getTime()).toBe(at(5).getTime());
      });

      it('finds users case-insensitively and keeps the UPN as first enrolled', async () => {
        const upn = await fresh('MixedCase');
        await store.enrol(upn, secretOf(2), t0);
        expect((await store.get(upn.toUpperCase()))?.upn).toBe(upn);
        expect((await store.get(`  ${upn.toLowerCase()} `))?.upn).toBe(upn);
        // Re-enrolling under another spelling updates the same record, keeping the first one.
        await store.enrol(upn.toLowerCase(), secretOf(3), at(1));
        expect(await store.get(upn)).toMatchObject({ upn, secret: secretOf(3) });
      });

      it('re-enrolment replaces the secret and resets logon, laststep and failures, keeping the rest', async () => {
        const upn = await fresh('reenrol');
        await store.enrol(upn, secretOf(1), t0, { email: 'keep@example.test', mobile: '+1555' });
        expect((await store.acceptCode(upn, 100, meta, at(1), noReuse)).ok).toBe(true);
        await store.recordFailure(upn, '000000', meta, at(2));
        const r = await store.enrol(upn, secretOf(99), at(3));
        expect(r).toMatchObject({
          secret: secretOf(99),
          logon: 0,
          laststep: -1,
          failedlogoncount: 0,
          failedlastlogon: null,
          failedcode: null,
          logoncount: 1,
          enabled: true,
          email: 'keep@example.test',
          mobile: '+1555',
        });
        expect(r.created.getTime()).toBe(t0.getTime());
        expect(await store.get(upn)).toMatchObject({ secret: secretOf(99), laststep: -1 });
        // A given profile field replaces the stored one on re-enrolment.
        const s = await store.enrol(upn, secretOf(98), at(4), { email: 'new@example.test' });
        expect(s).toMatchObject({ email: 'new@example.test', mobile: '+1555' });
      });

      it('hands out copies: changing a returned record changes nothing stored', async () => {
        const upn = await enrolled('copies');
        const r = (await store.get(upn))!;
        r.secret = 'tampered';
        r.laststep = 999;
        r.created.setTime(0);
        const res = await store.acceptCode(upn, 5, meta, at(1), noReuse);
        if (res.ok) res.record.lastlogon?.setTime(0);
        const again = await store.get(upn);
        expect(again?.secret).not.toBe('tampered');
        expect(again?.laststep).toBe(5);
        expect(again?.created.getTime()).toBe(t0.getTime());
        expect(again?.lastlogon?.getTime()).toBe(at(1).getTime());
      });

      it('counts records: +1 for a new user, +0 for a re-enrolment, −1 for a delete', async () => {
        const before = await store.count();
        const upn = await enrolled('count');
        expect(await store.count()).toBe(before + 1);
        await store.enrol(upn, secretOf(5), at(1));
        expect(await store.count()).toBe(before + 1);
        expect(await store.delete(upn)).toBe(true);
        expect(await store.count()).toBe(before);
      });
    });

    describe('acceptCode', () => {
      it('accepts a new step and records laststep, logon, lastlogon, counters, ip and user agent', async () => {
        const upn = await enrolled('accept');
        await store.recordFailure(upn, '111111', meta, at(5));
        const res = await store.acceptCode(upn.toUpperCase(), 1000, meta, at(10), noReuse);
        expect(res.ok).toBe(true);
        if (!res.ok) return;
        expect(res.record).toMatchObject({
          upn,
          laststep: 1000,
          logon: 1,
          logoncount: 1,
          failedlogoncount: 0,
          logonip: '192.0.2.10',
          useragent: 'contract-suite/1.0',
        });
        expect(res.record.lastlogon?.getTime()).toBe(at(10).getTime());
        expect(await store.get(upn)).toMatchObject({ laststep: 1000, logoncount: 1, logon: 1 });
        const second = await store.acceptCode(upn, 1001, {}, at(40), noReuse);
        expect(second).toMatchObject({ ok: true, record: { logoncount: 2, laststep: 1001 } });
        expect(second.ok && second.record.logonip).toBeNull();
      });

      it('rejects the same step again and an older step as reused; allowReuse admits the same step only', async () => {
        const upn = await enrolled('reuse');
        expect((await store.acceptCode(upn, 500, meta, at(1), noReuse)).ok).toBe(true);
        const before = unchanged(await store.get(upn));
        const same = await store.acceptCode(upn, 500, meta, at(2), noReuse);
        expect(same).toMatchObject({ ok: false, reason: 'reused' });
        refusedWith(same, { laststep: 500 });
        const older = await store.acceptCode(upn, 499, meta, at(2), noReuse);
        expect(older).toMatchObject({ ok: false, reason: 'reused' });
        expect(unchanged(await store.get(upn))).toEqual(before);
        const reuse = { allowReuse: true };
        expect((await store.acceptCode(upn, 500, meta, at(3), reuse)).ok).toBe(true);
        expect(await store.acceptCode(upn, 499, meta, at(3), reuse)).toMatchObject({
          ok: false,
          reason: 'reused',
        });
        expect((await store.get(upn))?.logoncount).toBe(2);
      });

      it('accepts step 0 on a fresh record (laststep −1 means none yet)', async () => {
        const upn = await enrolled('zero');
        expect((await store.acceptCode(upn, 0, meta, at(1), noReuse)).ok).toBe(true);
        expect((await store.acceptCode(upn, 0, meta, at(1), noReuse)).ok).toBe(false);
      });

      it('rejects a disabled user (changing nothing) and an unknown user', async () => {
        const upn = await enrolled('disabled');
        expect(await store.setEnabled(upn, false)).toBe(true);
        const before = unchanged(await store.get(upn));
        const res = await store.acceptCode(upn, 1, meta, at(1), noReuse);
        expect(res).toMatchObject({ ok: false, reason: 'disabled' });
        refusedWith(res, { enabled: false });
        expect(unchanged(await store.get(upn))).toEqual(before);
        expect(await store.acceptCode(await fresh('ghost'), 1, meta, at(1), noReuse)).toEqual({
          ok: false,
          reason: 'not_found',
        });
      });

      it('refuses a correct code while locked out, inside the same atomic operation', async () => {
        const upn = await enrolled('locked');
        for (let i = 0; i < 3; i += 1) await store.recordFailure(upn, '111111', meta, at(10 + i));
        const before = unchanged(await store.get(upn));
        const lockout = { maxFailures: 3, lastFailureAfter: at(0) };
        for (const allowReuse of [false, true]) {
          const res = await store.acceptCode(upn, 7, meta, at(20), { allowReuse, lockout });
          expect(res).toMatchObject({ ok: false, reason: 'locked' });
          refusedWith(res, { failedlogoncount: 3 });
        }
        expect(unchanged(await store.get(upn))).toEqual(before);
        // Below the threshold, or without a lockout condition, the same code is accepted.
        const higher = { maxFailures: 4, lastFailureAfter: at(0) };
        expect(
          (await store.acceptCode(upn, 7, meta, at(21), { ...noReuse, lockout: higher })).ok,
        ).toBe(true);
      });

      it('lets the code through once the last failure is at or before the window start', async () => {
        const upn = await enrolled('window');
        for (let i = 0; i < 3; i += 1) await store.recordFailure(upn, '1', meta, at(10 + i));
        const edge = { maxFailures: 3, lastFailureAfter: at(12) }; // last failure == window start
        const ok = await store.acceptCode(upn, 9, meta, at(400), { ...noReuse, lockout: edge });
        expect(ok).toMatchObject({ ok: true, record: { failedlogoncount: 0, laststep: 9 } });
      });

      it('stores long or odd metadata bounded and without control characters', async () => {
        const upn = await enrolled('meta');
        const ua = `x\u0000y\u001b${'z'.repeat(2000)}`;
        const res = await store.acceptCode(upn, 1, { ip: ' ::1\n', userAgent: ua }, at(1), noReuse);
        expect(res.ok && res.record.useragent?.length).toBe(512);
        expect(res.ok && res.record.useragent?.startsWith('xyz')).toBe(true);
        expect(res.ok && res.record.logonip).toBe('::1');
        expect((await store.get(upn))?.useragent).toBe(res.ok ? res.record.useragent : undefined);
      });
    });

    describe('recordFailure', () => {
      it('counts failures in a row with the last time and a sanitised failed code', async () => {
        const upn = await enrolled('fail');
        const first = await store.recordFailure(upn, '123456', meta, at(1));
        expect(first).toMatchObject({ failedlogoncount: 1, failedcode: '123456' });
        const r = await store.recordFailure(upn, 'hunter2', meta, at(2));
        expect(r).toMatchObject({ failedlogoncount: 2, failedcode: '<non-numeric>' });
        expect(r?.failedlastlogon?.getTime()).toBe(at(2).getTime());
        expect(JSON.stringify(await store.get(upn))).not.toContain('hunter2');
        expect((await store.recordFailure(upn, '12345678901', meta, at(3)))?.failedcode).toBe(
          '<too-long>',
        );
        expect((await store.recordFailure(upn, '', meta, at(4)))?.failedcode).toBe('<empty>');
        expect((await store.recordFailure(upn, '0042', meta, at(5)))?.failedcode).toBe('0042');
        expect(await store.get(upn)).toMatchObject({ failedlogoncount: 5, failedcode: '0042' });
      });

      it('with codeDigits keeps a code of that length as typed and stores other digits as <wrong-length>', async () => {
        const upn = await enrolled('faillen');
        const fail = async (input: string, codeDigits: number, t: number) =>
          (await store.recordFailure(upn, input, meta, at(t), { codeDigits }))?.failedcode;
        expect(await fail('012345', 6, 1)).toBe('012345');
        expect(await fail('12345', 6, 2)).toBe('<wrong-length>');
        expect(await fail('123456789', 6, 3)).toBe('<wrong-length>');
        expect(await fail('12345678901', 6, 4)).toBe('<wrong-length>');
        expect(await fail('123456', 8, 5)).toBe('<wrong-length>');
        expect(await fail('12345678', 8, 6)).toBe('12345678');
        expect(await fail('12ab', 6, 7)).toBe('<non-numeric>');
        expect(await fail('', 6, 8)).toBe('<empty>');
        expect(await store.get(upn)).toMatchObject({ failedlogoncount: 8, failedcode: '<empty>' });
      });

      it('leaves ip and user agent of the last successful logon alone', async () => {
        const upn = await enrolled('failmeta');
        await store.acceptCode(upn, 1, meta, at(1), noReuse);
        const r = await store.recordFailure(
          upn,
          '1',
          { ip: '203.0.113.9', userAgent: 'evil' },
          at(2),
        );
        expect(r).toMatchObject({ logonip: '192.0.2.10', useragent: 'contract-suite/1.0' });
        expect(r?.lastlogon?.getTime()).toBe(at(1).getTime());
        expect(r?.logoncount).toBe(1);
      });

      it('restarts the count when the previous failure is at or before the given instant', async () => {
        const upn = await enrolled('restart');
        await store.recordFailure(upn, '1', meta, at(1));
        await store.recordFailure(upn, '2', meta, at(2));
        const kept = await store.recordFailure(upn, '3', meta, at(3), {
          restartIfLastFailureBefore: at(1),
        });
        expect(kept?.failedlogoncount).toBe(3);
        const r = await store.recordFailure(upn, '4', meta, at(1000), {
          restartIfLastFailureBefore: at(3),
        });
        expect(r?.failedlogoncount).toBe(1);
        const s = await store.recordFailure(upn, '5', meta, at(1001), {
          restartIfLastFailureBefore: at(500),
        });
        expect(s?.failedlogoncount).toBe(2);
        // A first failure (no previous one) counts 1 with or without the option.
        const other = await enrolled('restartfirst');
        const f = await store.recordFailure(other, '1', meta, at(1), {
          restartIfLastFailureBefore: at(0),
        });
        expect(f?.failedlogoncount).toBe(1);
      });

      it('returns undefined for an unknown user and creates nothing', async () => {
        const ghost = await fresh('ghost');
        expect(await store.recordFailure(ghost, '1', meta, at(1))).toBeUndefined();
        expect(await store.get(ghost)).toBeUndefined();
      });

      it('a success resets the failure count', async () => {
        const upn = await enrolled('reset');
        await store.recordFailure(upn, '1', meta, at(1));
        await store.recordFailure(upn, '2', meta, at(2));
        const res = await store.acceptCode(upn, 9, meta, at(3), noReuse);
        expect(res.ok && res.record.failedlogoncount).toBe(0);
        expect((await store.recordFailure(upn, '3', meta, at(4)))?.failedlogoncount).toBe(1);
      });
    });

    describe('support operations', () => {
      it('disables and enables, resets logon, unlocks; false for a user without a record', async () => {
        const upn = await enrolled('support');
        await store.acceptCode(upn, 42, meta, at(1), noReuse);
        await store.recordFailure(upn, '1', meta, at(2));
        expect(await store.setEnabled(upn.toUpperCase(), false)).toBe(true);
        expect((await store.get(upn))?.enabled).toBe(false);
        expect(await store.setEnabled(upn, true)).toBe(true);
        expect((await store.get(upn))?.enabled).toBe(true);
        expect(await store.resetLogon(upn)).toBe(true);
        expect(await store.get(upn)).toMatchObject({ logon: 0, laststep: -1, logoncount: 1 });
        expect(await store.unlock(upn)).toBe(true);
        expect(await store.get(upn)).toMatchObject({ failedlogoncount: 0, failedlastlogon: null });
        // After a reset the same step can be accepted again (the QR was shown again).
        expect((await store.acceptCode(upn, 42, meta, at(3), noReuse)).ok).toBe(true);
        const ghost = await fresh('ghost');
        expect([
          await store.setEnabled(ghost, false),
          await store.resetLogon(ghost),
          await store.unlock(ghost),
          await store.setProfile(ghost, { email: 'x@example.test' }),
          await store.replaceSecret(ghost, secretOf(1), secretOf(2)),
          await store.delete(ghost),
        ]).toEqual([false, false, false, false, false, false]);
        expect(await store.get(ghost)).toBeUndefined();
      });

      it('updates and clears profile fields; an absent field is kept', async () => {
        const upn = await enrolled('profile');
        expect(
          await store.setProfile(upn, { email: 'p@example.test', mobile: '+447700900001' }),
        ).toBe(true);
        expect(await store.get(upn)).toMatchObject({
          email: 'p@example.test',
          mobile: '+447700900001',
        });
        expect(await store.setProfile(upn, { email: null })).toBe(true);
        expect(await store.get(upn)).toMatchObject({ email: null, mobile: '+447700900001' });
        expect(await store.setProfile(upn, {})).toBe(true);
        expect(await store.get(upn)).toMatchObject({ email: null, mobile: '+447700900001' });
      });

      it('replaces a secret only while it still has the expected value (compare-and-swap)', async () => {
        const upn = await enrolled('rekey');
        const old = (await store.get(upn))!.secret;
        expect(await store.replaceSecret(upn, 'not-the-secret', secretOf(7))).toBe(false);
        // Secrets compare exactly (base64 envelopes are case-sensitive; LDAP/MS SQL matching
        // may not be).
        if (old.toLowerCase() !== old) {
          expect(await store.replaceSecret(upn, old.toLowerCase(), secretOf(7))).toBe(false);
        }
        expect((await store.get(upn))?.secret).toBe(old);
        expect(await store.replaceSecret(upn, old, secretOf(7))).toBe(true);
        expect((await store.get(upn))?.secret).toBe(secretOf(7));
        expect(await store.replaceSecret(upn, old, secretOf(8))).toBe(false);
        expect((await store.get(upn))?.secret).toBe(secretOf(7));
      });

      it('deletes a record', async () => {
        const upn = await enrolled('delete');
        expect(await store.delete(upn.toUpperCase())).toBe(true);
        expect(await store.get(upn)).toBeUndefined();
        expect(await store.delete(upn)).toBe(false);
      });

      it('lists in lower-cased UPN order with a case-insensitive prefix and keyset pages', async () => {
        const base = `lst${run}`;
        const upns: string[] = [];
        for (const [i, label] of ['a', 'B', 'c', 'D', 'e'].entries()) {
          const upn = `${base}-${label}${i}@adatum.labnet`;
          await sut.prepareUser?.(upn);
          await store.enrol(upn, secretOf(i), t0);
          upns.push(upn);
        }
        const page1 = await store.list({ prefix: base.toUpperCase(), limit: 2 });
        expect(page1.map((r) => r.upn)).toEqual(upns.slice(0, 2));
        const page2 = await store.list({ prefix: base, limit: 2, after: page1[1]!.upn });
        expect(page2.map((r) => r.upn)).toEqual(upns.slice(2, 4));
        const page3 = await store.list({
          prefix: base,
          limit: 2,
          after: page2[1]!.upn.toUpperCase(),
        });
        expect(page3.map((r) => r.upn)).toEqual(upns.slice(4));
        expect(await store.list({ prefix: base, after: upns[4] })).toEqual([]);
        expect(page1[0]).toMatchObject({ secret: secretOf(0), enabled: true, laststep: -1 });
        expect(await store.list({ prefix: `${base}_` })).toEqual([]); // `_` is no wildcard
        expect(await store.list({ prefix: `${base}%` })).toEqual([]); // nor is `%`
        expect(await store.count()).toBeGreaterThanOrEqual(5);
      });
    });

    describe('restore', () => {
      /** A record with every field set to something other than its enrolment default. */
      const full = (upn: string, k: number): UserRecord => ({
        upn,
        secret: secretOf(1000 + k),
        enabled: false,
        logon: 1,
        lastlogon: new Date(t0.getTime() + 86_400_123),
        logoncount: 4242 + k,
        failedlogoncount: 2,
        failedlastlogon: new Date(t0.getTime() + 90_000_456),
        failedcode: '123456',
        logonip: '198.51.100.23',
        useragent: 'Mozilla/5.0 (restored)',
        laststep: 59_333_340 + k,
        email: `restored${k}@example.test`,
        mobile: '+447700900777',
        created: new Date(t0.getTime() - 31_536_000_789),
      });
      /** The same record with every optional field empty. */
      const bare = (upn: string, k: number): UserRecord => ({
        upn,
        secret: secretOf(2000 + k),
        enabled: true,
        logon: 0,
        lastlogon: null,
        logoncount: 0,
        failedlogoncount: 0,
        failedlastlogon: null,
        failedcode: null,
        logonip: null,
        useragent: null,
        laststep: -1,
        email: null,
        mobile: null,
        created: at(7),
      });

      it('creates a record with every field exactly as given (times to the millisecond), also with every optional field empty', async () => {
        const before = await store.count();
        const a = await fresh('restorefull');
        const b = await fresh('restorebare');
        expect(await store.restore(full(a, 1), { overwrite: false })).toBe('created');
        expect(await store.restore(bare(b, 1), { overwrite: true })).toBe('created');
        expect(await store.get(a)).toEqual(full(a, 1));
        expect(await store.get(b)).toEqual(bare(b, 1));
        expect(await store.list({ prefix: a })).toEqual([full(a, 1)]);
        expect(await store.count()).toBe(before + 2);
      });

      it('with overwrite false leaves an existing record exactly as it was', async () => {
        const upn = await enrolled('restorekeep');
        await store.acceptCode(upn, 77, meta, at(1), noReuse);
        await store.recordFailure(upn, '1', meta, at(2));
        const before = await store.get(upn);
        expect(await store.restore(full(upn.toUpperCase(), 2), { overwrite: false })).toBe(
          'exists',
        );
        expect(await store.get(upn)).toEqual(before);
      });

      it('with overwrite true replaces every field, keeping the stored UPN spelling', async () => {
        const before = await store.count();
        const upn = await enrolled('RestoreOver');
        await store.acceptCode(upn, 5, meta, at(1), noReuse);
        await store.recordFailure(upn, '1', meta, at(2));
        const incoming = full(upn.toLowerCase(), 3);
        expect(await store.restore(incoming, { overwrite: true })).toBe('replaced');
        expect(await store.get(upn)).toEqual({ ...incoming, upn });
        // …and back to empty optional fields: null values clear what was stored.
        expect(await store.restore(bare(upn, 3), { overwrite: true })).toBe('replaced');
        expect(await store.get(upn)).toEqual(bare(upn, 3));
        expect(await store.count()).toBe(before + 1);
      });

      it('never moves the reuse guard back for the same secret; a new secret takes the restored laststep', async () => {
        const upn = await fresh('restoreguard');
        const snapshot = { ...full(upn, 4), enabled: true, laststep: 500 };
        expect(await store.restore(snapshot, { overwrite: false })).toBe('created');
        expect((await store.acceptCode(upn, 900, meta, at(1), noReuse)).ok).toBe(true);
        // The older export of the same secret: every field back, except laststep.
        expect(await store.restore(snapshot, { overwrite: true })).toBe('replaced');
        expect(await store.get(upn)).toEqual({ ...snapshot, laststep: 900 });
        expect(await store.acceptCode(upn, 900, meta, at(2), noReuse)).toMatchObject({
          ok: false,
          reason: 'reused',
        });
        // A higher restored step is taken as it is.
        expect(await store.restore({ ...snapshot, laststep: 950 }, { overwrite: true })).toBe(
          'replaced',
        );
        expect((await store.get(upn))?.laststep).toBe(950);
        // Another secret: its own reuse guard, exactly as restored.
        const rekeyed = { ...snapshot, secret: secretOf(4999), laststep: 400 };
        expect(await store.restore(rekeyed, { overwrite: true })).toBe('replaced');
        expect(await store.get(upn)).toEqual(rekeyed);
      });

      it('a restored record takes part in the atomic operations with its restored counters', async () => {
        const upn = await fresh('restorelive');
        const r = {
          ...full(upn, 5),
          enabled: true,
          failedlogoncount: 3,
          failedlastlogon: at(100),
          laststep: 1000,
        };
        await store.restore(r, { overwrite: false });
        const lockout = { maxFailures: 3, lastFailureAfter: at(50) };
        expect(
          await store.acceptCode(upn, 1001, meta, at(101), { ...noReuse, lockout }),
        ).toMatchObject({ ok: false, reason: 'locked' });
        expect((await store.recordFailure(upn, '9', meta, at(102)))?.failedlogoncount).toBe(4);
        const ok = await store.acceptCode(upn, 1001, meta, at(103), noReuse);
        expect(ok).toMatchObject({
          ok: true,
          record: { logoncount: r.logoncount + 1, failedlogoncount: 0, laststep: 1001 },
        });
        expect(await store.setEnabled(upn, false)).toBe(true);
        expect(await store.acceptCode(upn, 1002, meta, at(104), noReuse)).toMatchObject({
          ok: false,
          reason: 'disabled',
        });
        // A restored disabled user stays disabled until support enables them.
        const off = await fresh('restoreoff');
        await store.restore({ ...full(off, 6), laststep: 10 }, { overwrite: false });
        expect(await store.acceptCode(off, 11, meta, at(1), noReuse)).toMatchObject({
          ok: false,
          reason: 'disabled',
        });
      });

      it('sanitises failedcode, logonip and user agent as every write does; markers and empty profile strings are normalised', async () => {
        const upn = await fresh('restoreclean');
        await store.restore(
          {
            ...bare(upn, 7),
            failedcode: 'hunter2',
            logonip: ' 2001:db8::1\n',
            useragent: `a\u0000b${'c'.repeat(600)}`,
            email: '',
          },
          { overwrite: false },
        );
        const r = await store.get(upn);
        expect(r).toMatchObject({
          failedcode: '<non-numeric>',
          logonip: '2001:db8::1',
          email: null,
        });
        expect(r?.useragent).toBe(`ab${'c'.repeat(510)}`);
        expect(JSON.stringify(r)).not.toContain('hunter2');
        for (const marker of ['<too-long>', '<wrong-length>', '<empty>', '0042']) {
          await store.restore({ ...bare(upn, 7), failedcode: marker }, { overwrite: true });
          expect((await store.get(upn))?.failedcode).toBe(marker);
        }
      });

      it.each([
        ['logoncount', -1],
        ['failedlogoncount', 2 ** 31],
        ['laststep', -2],
        ['logon', 2],
        ['enabled', 'yes'],
        ['created', new Date(Number.NaN)],
        ['lastlogon', 'yesterday'],
        ['secret', ''],
        ['upn', '  '],
        ['mobile', '+1'.repeat(40)],
      ])(
        'refuses a record whose %s is %p with a TypeError naming it, writing nothing',
        async (field, value) => {
          const before = await store.count();
          const upn = await fresh('restorebad');
          const bad = { ...full(upn, 8), [field]: value } as unknown as UserRecord;
          await expect(store.restore(bad, { overwrite: true })).rejects.toThrow(
            new RegExp(`"record\\.${field}" must be`),
          );
          await expect(store.restore(bad, { overwrite: true })).rejects.toBeInstanceOf(TypeError);
          expect(await store.get(upn)).toBeUndefined();
          expect(await store.count()).toBe(before);
        },
      );

      it('refuses options without a boolean overwrite', async () => {
        const upn = await fresh('restoreopts');
        await expect(
          store.restore(full(upn, 9), {} as unknown as { overwrite: boolean }),
        ).rejects.toThrow(TypeError);
        expect(await store.get(upn)).toBeUndefined();
      });

      it(`${raceSize} concurrent acceptCode calls of one step racing restores of the same secret on ${raceNodes} nodes: exactly one succeeds`, async () => {
        await withNodes(async (nodes) => {
          for (let round = 0; round < Math.min(raceRounds, 3); round += 1) {
            const upn = await fresh('racerestore');
            const snapshot = { ...full(upn, 10 + round), enabled: true, laststep: 100 };
            await store.restore(snapshot, { overwrite: false });
            const calls = Array.from({ length: raceSize }, (_, i) => {
              const node = nodes[i % nodes.length]!;
              return i % 3 === 1
                ? node.restore(snapshot, { overwrite: true })
                : node.acceptCode(upn, 200, meta, at(round), noReuse);
            });
            const results = await Promise.all(calls);
            const accepts = results.filter((r): r is AcceptResult => typeof r === 'object');
            const restores = results.filter((r) => typeof r === 'string');
            expect([round, accepts.filter((r) => r.ok).length]).toEqual([round, 1]);
            expect(accepts.filter((r) => !r.ok && r.reason !== 'reused')).toEqual([]);
            expect(restores).toEqual(Array(restores.length).fill('replaced'));
            const final = await store.get(upn);
            // Whatever the order, the guard stayed at the accepted step and the counters are
            // the restored ones, or the restored ones plus that one success.
            expect(final?.laststep).toBe(200);
            expect([snapshot.logoncount, snapshot.logoncount + 1]).toContain(final?.logoncount);
          }
        });
      });

      it(`concurrent restores of one new user on ${raceNodes} nodes: one creates it, the others find it`, async () => {
        await withNodes(async (nodes) => {
          const before = await store.count();
          const upn = await fresh('racerestorenew');
          const keep = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              nodes[i % nodes.length]!.restore(full(upn, 20 + i), { overwrite: false }),
            ),
          );
          expect(keep.filter((o) => o === 'created')).toHaveLength(1);
          expect(keep.filter((o) => o === 'exists')).toHaveLength(7);
          // The record is one of the restored ones, whole.
          const winner = keep.indexOf('created');
          expect(await store.get(upn)).toEqual(full(upn, 20 + winner));
          const other = await fresh('racerestoreover');
          const over = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              nodes[i % nodes.length]!.restore(full(other, 30 + i), { overwrite: true }),
            ),
          );
          expect(over.filter((o) => o === 'created')).toHaveLength(1);
          expect(over.filter((o) => o === 'replaced')).toHaveLength(7);
          const last = await store.get(other);
          expect(
            Array.from({ length: 8 }, (_, i) => full(other, 30 + i)).some(
              (r) => JSON.stringify(r) === JSON.stringify(last),
            ),
          ).toBe(true);
          expect(await store.count()).toBe(before + 2);
        });
      });
    });

    describe('hostile input', () => {
      it.each([
        ["x' OR '1'='1"],
        ["x' OR '1'='1' --"],
        ['*)(objectClass=*'],
        ['*'],
        ["a'; DROP TABLE secrets; --"],
        ['%'],
        ['_'],
        ['\\'],
        ['$1'],
      ])('the UPN %j finds nothing and breaks nothing', async (upn) => {
        const before = await store.count();
        const someone = await enrolled('bystander');
        expect(await store.get(upn)).toBeUndefined();
        expect(await store.acceptCode(upn, 1, meta, t0, noReuse)).toEqual({
          ok: false,
          reason: 'not_found',
        });
        expect(await store.recordFailure(upn, '1', meta, t0)).toBeUndefined();
        expect(await store.setEnabled(upn, false)).toBe(false);
        expect(await store.resetLogon(upn)).toBe(false);
        expect(await store.unlock(upn)).toBe(false);
        expect(await store.replaceSecret(upn, secretOf(1), secretOf(2))).toBe(false);
        expect(await store.delete(upn)).toBe(false);
        expect(await store.list({ prefix: upn })).toEqual([]);
        expect(await store.count()).toBe(before + 1);
        expect(await store.get(someone)).toMatchObject({ enabled: true, failedlogoncount: 0 });
      });
    });

    describe('nonces and registrations', () => {
      it('remembers a nonce until it expires, then takes it again', async () => {
        const key = `nonce-${run}-${(n += 1)}`;
        expect(await store.rememberNonce(key, at(60), t0)).toBe(true);
        expect(await store.rememberNonce(key, at(60), at(30))).toBe(false);
        expect(await store.rememberNonce(key, at(90), at(59))).toBe(false);
        expect(await store.rememberNonce(key, at(200), at(60))).toBe(true);
        expect(await store.rememberNonce(key, at(300), at(61))).toBe(false);
        expect(await store.rememberNonce(`${key}-other`, at(60), at(61))).toBe(true);
      });

      it('shares nonces between farm nodes: a replay to another node is rejected', async () => {
        const key = `farm-nonce-${run}-${(n += 1)}`;
        await withSecond(async (second) => {
          expect(await store.rememberNonce(key, at(60), t0)).toBe(true);
          expect(await second.rememberNonce(key, at(60), at(1))).toBe(false);
          const results = await Promise.all(
            Array.from({ length: raceSize }, (_, i) =>
              (i % 2 === 0 ? store : second).rememberNonce(`${key}-race`, at(60), t0),
            ),
          );
          expect(results.filter(Boolean)).toHaveLength(1);
        });
      });

      it('registers (upsert), reads and removes a provider registration', async () => {
        const provider = `contract-${run}`;
        expect(await store.getRegistration(provider)).toBeUndefined();
        await store.register({
          provider,
          version: '0.1.0',
          fingerprint: 'a'.repeat(64),
          updated: t0,
        });
        await store.register({
          provider,
          version: '0.2.0',
          fingerprint: 'b'.repeat(64),
          updated: at(5),
        });
        const r = await store.getRegistration(provider);
        expect(r).toEqual({
          provider,
          version: '0.2.0',
          fingerprint: 'b'.repeat(64),
          updated: at(5),
        });
        await withSecond(async (second) => {
          expect((await second.getRegistration(provider))?.version).toBe('0.2.0');
        });
        expect(await store.unregister(provider)).toBe(true);
        expect(await store.getRegistration(provider)).toBeUndefined();
        expect(await store.unregister(provider)).toBe(false);
      });

      it('answers ping', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await expect(store.ping(AbortSignal.timeout(5000))).resolves.toBeUndefined();
      });
    });

    describe('farm race', () => {
      it(`${raceSize} concurrent acceptCode calls of one step on ${raceNodes} nodes: exactly one succeeds`, async () => {
        await withNodes(async (nodes) => {
          for (let round = 0; round < raceRounds; round += 1) {
            const upn = await enrolled('race');
            const results = await Promise.all(
              Array.from({ length: raceSize }, (_, i) =>
                nodes[i % nodes.length]!.acceptCode(upn, 777, meta, at(round), noReuse),
              ),
            );
            expect([round, results.filter((r) => r.ok).length]).toEqual([round, 1]);
            expect(results.filter((r) => !r.ok && r.reason === 'reused')).toHaveLength(
              raceSize - 1,
            );
            expect(await store.get(upn)).toMatchObject({ logoncount: 1, laststep: 777 });
          }
        });
      });

      it(`${raceSize} concurrent acceptCode calls of successive steps on ${raceNodes} nodes: never a lower step after a higher one`, async () => {
        await withNodes(async (nodes) => {
          const upn = await enrolled('racesteps');
          const results = await Promise.all(
            Array.from({ length: raceSize }, (_, i) =>
              nodes[i % nodes.length]!.acceptCode(upn, 1000 + i, meta, at(i), noReuse),
            ),
          );
          const won = results.filter((r) => r.ok).length;
          expect(won).toBeGreaterThanOrEqual(1);
          expect(results.filter((r) => !r.ok && r.reason !== 'reused')).toEqual([]);
          const final = await store.get(upn);
          // The highest step always lands (nothing can refuse it), and each success counted once.
          expect(final).toMatchObject({ laststep: 1000 + raceSize - 1, logoncount: won });
        });
      });

      it(`${raceSize} concurrent recordFailure calls on ${raceNodes} nodes count exactly ${raceSize}`, async () => {
        await withNodes(async (nodes) => {
          const upn = await enrolled('racefail');
          const results = await Promise.all(
            Array.from({ length: raceSize }, (_, i) =>
              nodes[i % nodes.length]!.recordFailure(upn, String(i), meta, at(i)),
            ),
          );
          expect(results.every((r) => r !== undefined)).toBe(true);
          expect((await store.get(upn))?.failedlogoncount).toBe(raceSize);
          for (const node of nodes) expect((await node.get(upn))?.failedlogoncount).toBe(raceSize);
        });
      });

      it('concurrent enrolments of one new user on two nodes leave exactly one record', async () => {
        await withSecond(async (second) => {
          const before = await store.count();
          const upn = await fresh('raceenrol');
          const results = await Promise.allSettled(
            Array.from({ length: 6 }, (_, i) =>
              (i % 2 === 0 ? store : second).enrol(upn, secretOf(i), t0),
            ),
          );
          expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
          expect(await store.count()).toBe(before + 1);
          expect(await store.get(upn)).toMatchObject({ upn, laststep: -1, logon: 0 });
        });
      });
    });

    describe('close', () => {
      it('is idempotent, and later calls fail with ERR_STORE_UNAVAILABLE', async () => {
        // A separate instance, so the suite's own store stays open for the other tests.
        const other = sut.openSecond === undefined ? await make() : undefined;
        const extra = other?.store ?? (await sut.openSecond!());
        await extra.close();
        await extra.close();
        await expect(extra.get('anyone@adatum.labnet')).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
        });
        await expect(extra.ping()).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        await other?.cleanup();
        // The suite's own store is unaffected.
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });
  });
}
