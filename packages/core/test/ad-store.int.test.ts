/**
 * The AD store against a real Samba AD DC on 127.0.0.1 (started by tools/testenv/samba-dc.sh):
 * the UserStore contract suite, plus what is specific to AD — atomic delete-old/add-new updates
 * across separate connections, records written by other tools, filter injection, LDAPS and
 * StartTLS with a pinned CA and a server-name override, bounded time against dead or silent
 * servers, reconnect after a dropped connection, and error wrapping with operator hints.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  adminClient,
  closedPort,
  createAdUser,
  createOu,
  deleteAdUsers,
  deleteOu,
  describeUserStoreContract,
  readRaw,
  releaseSambaDc,
  startSambaDc,
  startSilentServer,
  startTcpForwarder,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import { Attribute, Change } from 'ldapts';
import { equalityFilter } from '../src/store/ad-filter.js';
import { readAdSchemaStatus } from '../src/store/ad-schema.js';
import { openAdStore, type AdStoreOptions } from '../src/store/ad.js';
import { isInspectable, type InspectableStore } from '../src/store/store-inspection.js';
import { storeProblemOf } from '../src/store/store-problem.js';
import type { UserRecord, UserStore } from '../src/store/user-store.js';

jest.setTimeout(60_000);

let dc: SambaDc;
const created: AdTestUser[] = [];
const t0 = new Date('2026-05-01T10:00:00.123Z');
const at = (s: number): Date => new Date(t0.getTime() + s * 1000);
const meta = { ip: '192.0.2.7', userAgent: 'ad-store-test' };
const secret = (n: number): string => `v2$600000$c2FsdHNhbHRzYWx0c2FsdA$ad-secret-${n}`;

function options(extra: Partial<AdStoreOptions> = {}): AdStoreOptions {
  return {
    url: dc.url,
    baseDn: dc.baseDn,
    bindDn: dc.adminDn,
    bindPassword: dc.adminPassword,
    timeoutMs: 10_000,
    ...extra,
  };
}

async function user(
  label: string,
  extra: Parameters<typeof createAdUser>[2] = {},
): Promise<AdTestUser> {
  const u = await createAdUser(dc, `${label}.${uniqueSuffix()}@adatum.labnet`, extra);
  created.push(u);
  return u;
}

/** Delete any AD user that already has this UPN (a crashed earlier run), then create it. */
async function prepareUser(upn: string, container?: string): Promise<void> {
  const client = await adminClient(dc);
  try {
    const { searchEntries } = await client.search(dc.baseDn, {
      scope: 'sub',
      filter: equalityFilter('userPrincipalName', upn),
      attributes: ['1.1'],
    });
    for (const e of searchEntries) await client.del(e.dn);
  } finally {
    await client.unbind();
  }
  const u = await createAdUser(dc, upn, container === undefined ? {} : { container });
  created.push(u);
}

beforeAll(async () => {
  dc = await startSambaDc();
  process.stderr.write(`[ad-store] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
  // The DC snapshot carries the schema (samba-dc.sh applies it); changing the schema here, while
  // other files use the DC, could crash Samba's single-process mode, so only check it.
  const status = await readAdSchemaStatus({
    url: dc.url,
    baseDn: dc.baseDn,
    bindDn: dc.adminDn,
    bindPassword: dc.adminPassword,
    timeoutMs: 20_000,
    dataDn: null,
  });
  if (!status.complete)
    throw new Error('the test DC lacks the SecureMFA schema: run tools/testenv/samba-dc.sh reset');
}, 700_000);

afterAll(async () => {
  if (dc !== undefined) await deleteAdUsers(dc, created);
  await releaseSambaDc();
}, 120_000);

describe('openAdStore: AD specifics', () => {
  let store: UserStore;
  beforeAll(async () => {
    store = await openAdStore(options());
  });
  afterAll(async () => {
    await store?.close();
  });

  it('enrol of a UPN with no AD user fails with ERR_STORE_NOT_FOUND and a clear message', async () => {
    const upn = `nobody.${uniqueSuffix()}@adatum.labnet`;
    await expect(store.enrol(upn, secret(1), t0)).rejects.toMatchObject({
      code: 'ERR_STORE_NOT_FOUND',
      message: expect.stringContaining(`no Active Directory user has the userPrincipalName ${upn}`),
      hint: expect.stringContaining('create the user in AD first'),
    });
  });

  it('refuses a plain base32 secret: AD mode stores secrets encrypted', async () => {
    const u = await user('plain');
    await expect(store.enrol(u.upn, 'JBSWY3DPEHPK3PXPJBSWY3DP', t0)).rejects.toThrow(TypeError);
    expect(await store.get(u.upn)).toBeUndefined();
    const lax = await openAdStore(options({ allowPlainSecrets: true }));
    try {
      expect((await lax.enrol(u.upn, 'JBSWY3DPEHPK3PXPJBSWY3DP', t0)).secret).toBe(
        'JBSWY3DPEHPK3PXPJBSWY3DP',
      );
    } finally {
      await lax.close();
    }
  });

  it('writes AD-native values: FILETIME times, TRUE/FALSE, -1 step, every compared value present', async () => {
    const u = await user('raw');
    await store.enrol(u.upn, secret(2), t0, { email: 'raw@example.test' });
    const raw = await readRaw(dc, u.dn, [
      'sMFA-OTP-secret',
      'sMFA-OTP-enabled',
      'sMFA-OTP-logon',
      'sMFA-OTP-laststep',
      'sMFA-OTP-logoncount',
      'sMFA-OTP-failedlogoncount',
      'sMFA-OTP-failedlastlogon',
      'sMFA-OTP-lastlogon',
      'sMFA-OTP-created',
      'sMFA-OTP-email',
    ]);
    // 2026-05-01T10:00:00.123Z as 100-ns intervals since 1601 (PowerShell: [DateTime]::FromFileTimeUtc).
    const ft = ((BigInt(t0.getTime()) + 11_644_473_600_000n) * 10_000n).toString();
    expect(raw).toEqual({
      'sMFA-OTP-secret': [secret(2)],
      'sMFA-OTP-enabled': ['TRUE'],
      'sMFA-OTP-logon': ['0'],
      'sMFA-OTP-laststep': ['-1'],
      'sMFA-OTP-logoncount': ['0'],
      'sMFA-OTP-failedlogoncount': ['0'],
      'sMFA-OTP-failedlastlogon': ['0'],
      'sMFA-OTP-lastlogon': ['0'],
      'sMFA-OTP-created': [ft],
      'sMFA-OTP-email': ['raw@example.test'],
    });
    // A 1-second step is beyond 2^31: laststep is a Large Integer.
    const big = 1_780_000_000_123;
    const res = await store.acceptCode(u.upn, big, meta, at(1), { allowReuse: false });
    expect(res).toMatchObject({ ok: true, record: { laststep: big } });
    expect((await store.get(u.upn))?.laststep).toBe(big);
    expect((await store.get(u.upn))?.lastlogon?.toISOString()).toBe(at(1).toISOString());
  });

  it('keeps the OTP record on the AD user: delete clears the attributes, never the user', async () => {
    const u = await user('keep');
    await store.enrol(u.upn, secret(3), t0, { mobile: '+447700900123' });
    expect(await store.delete(u.upn)).toBe(true);
    const raw = await readRaw(dc, u.dn, [
      'userPrincipalName',
      'sMFA-OTP-secret',
      'sMFA-OTP-mobile',
      'sMFA-OTP-laststep',
    ]);
    expect(raw).toEqual({ userPrincipalName: [u.upn] });
  });

  describe('restore', () => {
    const record = (upn: string, n: number): UserRecord => ({
      upn,
      secret: secret(100 + n),
      enabled: false,
      logon: 1,
      lastlogon: at(60),
      logoncount: 31,
      failedlogoncount: 2,
      failedlastlogon: null,
      failedcode: '<non-numeric>',
      logonip: '203.0.113.5',
      useragent: null,
      laststep: 1_780_000_000_123,
      email: null,
      mobile: '+447700900456',
      created: t0,
    });

    it('a UPN with no AD user fails with ERR_STORE_NOT_FOUND, creating nothing', async () => {
      const upn = `norestore.${uniqueSuffix()}@adatum.labnet`;
      for (const overwrite of [false, true]) {
        await expect(store.restore(record(upn, 1), { overwrite })).rejects.toMatchObject({
          code: 'ERR_STORE_NOT_FOUND',
          message: `no Active Directory user has the userPrincipalName ${upn} under ${dc.baseDn}`,
          hint: expect.stringContaining('create the user in AD first'),
        });
      }
      expect(await store.get(upn)).toBeUndefined();
    });

    it('writes AD-native values in one modify of the user object: FILETIME times, "0" for never, FALSE, no value for null', async () => {
      const u = await user('restoreraw');
      // Leftovers of a record deleted by another tool must not survive a restore.
      await store.enrol(u.upn, secret(1), t0, { email: 'old@example.test' });
      await store.recordFailure(u.upn, '1', meta, at(1));
      await store.delete(u.upn);
      expect(await store.restore(record(u.upn.toUpperCase(), 2), { overwrite: false })).toBe(
        'created',
      );
      const ft = (d: Date): string =>
        ((BigInt(d.getTime()) + 11_644_473_600_000n) * 10_000n).toString();
      expect(
        await readRaw(dc, u.dn, [
          'userPrincipalName',
          'sMFA-OTP-secret',
          'sMFA-OTP-enabled',
          'sMFA-OTP-logon',
          'sMFA-OTP-lastlogon',
          'sMFA-OTP-logoncount',
          'sMFA-OTP-failedlogoncount',
          'sMFA-OTP-failedlastlogon',
          'sMFA-OTP-failedcode',
          'sMFA-OTP-logonip',
          'sMFA-OTP-useragent',
          'sMFA-OTP-laststep',
          'sMFA-OTP-email',
          'sMFA-OTP-mobile',
          'sMFA-OTP-created',
        ]),
      ).toEqual({
        userPrincipalName: [u.upn],
        'sMFA-OTP-secret': [secret(102)],
        'sMFA-OTP-enabled': ['FALSE'],
        'sMFA-OTP-logon': ['1'],
        'sMFA-OTP-lastlogon': [ft(at(60))],
        'sMFA-OTP-logoncount': ['31'],
        'sMFA-OTP-failedlogoncount': ['2'],
        'sMFA-OTP-failedlastlogon': ['0'],
        'sMFA-OTP-failedcode': ['<non-numeric>'],
        'sMFA-OTP-logonip': ['203.0.113.5'],
        'sMFA-OTP-laststep': ['1780000000123'],
        'sMFA-OTP-mobile': ['+447700900456'],
        'sMFA-OTP-created': [ft(t0)],
      });
      // The directory's spelling of the UPN, whatever the record said.
      expect(await store.get(u.upn)).toEqual(record(u.upn, 2));
    });

    it('refuses a plain base32 secret (AD mode stores secrets encrypted), writing nothing', async () => {
      const u = await user('restoreplain');
      await expect(
        store.restore(
          { ...record(u.upn, 3), secret: 'JBSWY3DPEHPK3PXPJBSWY3DP' },
          { overwrite: true },
        ),
      ).rejects.toThrow(TypeError);
      expect(await store.get(u.upn)).toBeUndefined();
    });

    it('replaces a record written by another tool (no counters, no laststep)', async () => {
      const u = await user('restorelegacy');
      const client = await adminClient(dc);
      try {
        await client.modify(u.dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'sMFA-OTP-secret', values: [secret(4)] }),
          }),
        ]);
      } finally {
        await client.unbind();
      }
      expect(await store.restore(record(u.upn, 4), { overwrite: false })).toBe('exists');
      expect(await store.restore(record(u.upn, 4), { overwrite: true })).toBe('replaced');
      expect(await store.get(u.upn)).toEqual(record(u.upn, 4));
    });
  });

  describe('filter injection (RFC 4515 escaping)', () => {
    it('a UPN made of filter syntax matches nothing, even with enrolled users around', async () => {
      const a = await user('inj-a');
      const b = await user('inj-b');
      await store.enrol(a.upn, secret(4), t0);
      await store.enrol(b.upn, secret(5), t0);
      for (const probe of [
        '*)(objectClass=*',
        '*',
        `${a.upn.slice(0, 5)}*`,
        '*)(|(userPrincipalName=*',
        '\\2a',
      ]) {
        expect(await store.get(probe)).toBeUndefined();
        expect(await store.acceptCode(probe, 1, meta, t0, { allowReuse: false })).toEqual({
          ok: false,
          reason: 'not_found',
        });
        expect(await store.list({ prefix: probe })).toEqual([]);
      }
    });

    it('a UPN that contains ( ) * \\ is found exactly, and only by itself', async () => {
      const u = await user('we(ir)d*na\\me');
      await store.enrol(u.upn, secret(6), t0);
      expect((await store.get(u.upn))?.upn).toBe(u.upn);
      expect(await store.get(u.upn.replace('*', 'X'))).toBeUndefined();
      expect((await store.list({ prefix: 'we(ir)d*' })).map((r) => r.upn)).toEqual([u.upn]);
    });
  });

  describe('atomic updates across separate connections (farm nodes)', () => {
    const nodes: UserStore[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 6; i += 1) nodes.push(await openAdStore(options({ poolSize: 2 })));
    });
    afterAll(async () => {
      await Promise.all(nodes.map((n) => n.close()));
    });

    it('12 concurrent acceptCode of one step on 6 nodes: exactly one ok, 11 reused, logoncount 1', async () => {
      const u = await user('race-accept');
      await store.enrol(u.upn, secret(7), t0);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          nodes[i % 6]!.acceptCode(u.upn, 9_000_001, meta, at(1), { allowReuse: false }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'reused')).toHaveLength(11);
      expect(await store.get(u.upn)).toMatchObject({ logoncount: 1, laststep: 9_000_001 });
    });

    it('with allowReuse, 8 concurrent accepts of one step all succeed and count 8', async () => {
      const u = await user('race-reuse');
      await store.enrol(u.upn, secret(8), t0);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          nodes[i % 6]!.acceptCode(u.upn, 5, meta, at(1), { allowReuse: true }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect((await store.get(u.upn))?.logoncount).toBe(8);
    });

    it('18 concurrent recordFailure on 6 nodes count exactly 18', async () => {
      const u = await user('race-fail');
      await store.enrol(u.upn, secret(9), t0);
      await Promise.all(
        Array.from({ length: 18 }, (_, i) =>
          nodes[i % 6]!.recordFailure(u.upn, String(i), meta, at(i)),
        ),
      );
      expect((await store.get(u.upn))?.failedlogoncount).toBe(18);
    });

    it('a record written by another tool (no counters, no laststep): first failures still count exactly', async () => {
      const u = await user('legacy');
      // What an older tool may leave: only a secret and a logon flag.
      const client = await adminClient(dc);
      try {
        await client.modify(u.dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'sMFA-OTP-secret', values: [secret(10)] }),
          }),
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'sMFA-OTP-logon', values: ['1'] }),
          }),
        ]);
      } finally {
        await client.unbind();
      }
      expect(await store.get(u.upn)).toMatchObject({
        enabled: true,
        laststep: -1,
        failedlogoncount: 0,
        logon: 1,
      });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => nodes[i % 6]!.recordFailure(u.upn, '1', meta, at(i))),
      );
      expect((await store.get(u.upn))?.failedlogoncount).toBe(10);
      const raw = await readRaw(dc, u.dn, [
        'sMFA-OTP-laststep',
        'sMFA-OTP-enabled',
        'sMFA-OTP-logoncount',
      ]);
      expect(raw).toEqual({
        'sMFA-OTP-laststep': ['-1'],
        'sMFA-OTP-enabled': ['TRUE'],
        'sMFA-OTP-logoncount': ['0'],
      });
    });

    it('an accept racing a disable never succeeds after the disable landed', async () => {
      const u = await user('race-disable');
      await store.enrol(u.upn, secret(11), t0);
      const [disabled, accepted] = await Promise.all([
        nodes[0]!.setEnabled(u.upn, false),
        nodes[1]!.acceptCode(u.upn, 77, meta, at(1), { allowReuse: false }),
      ]);
      expect(disabled).toBe(true);
      const final = await store.get(u.upn);
      expect(final?.enabled).toBe(false);
      // Either the accept came first (and counted) or it saw the disable; never a half state.
      if (accepted.ok) expect(final).toMatchObject({ logoncount: 1, laststep: 77 });
      else expect(accepted).toMatchObject({ ok: false, reason: 'disabled' });
    });

    it('concurrent rememberNonce of one value on 6 nodes: exactly one true', async () => {
      const key = `nonce-race-${uniqueSuffix()}`;
      const results = await Promise.all(nodes.map((n) => n.rememberNonce(key, at(60), t0)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('nonces', () => {
    it('keeps one msDS-App-Configuration child per nonce, replaces an expired one, sweeps expired ones', async () => {
      const s = await openAdStore(options());
      const tag = uniqueSuffix();
      const keys = Array.from({ length: 64 }, (_, i) => `sweep-${tag}-${i}`);
      const dnOf = (key: string): string =>
        `CN=${createHash('sha256').update(key).digest('hex')},CN=Nonces,CN=SecureMFA,CN=Program Data,${dc.baseDn}`;
      try {
        // 63 nonces valid for one second …
        for (const key of keys.slice(0, 63))
          expect(await s.rememberNonce(key, at(1), at(0))).toBe(true);
        const stored = await readRaw(dc, dnOf(keys[0]!), ['objectClass', 'msDS-Settings']);
        expect(stored['msDS-Settings']).toEqual([`expires=${at(1).getTime()}`]);
        expect(stored.objectClass).toContain('msDS-App-Configuration');
        // … a replay within that second is refused, after it is accepted again (and re-armed).
        expect(await s.rememberNonce(keys[0]!, at(1), at(0.5))).toBe(false);
        expect(await s.rememberNonce(keys[0]!, at(100), at(2))).toBe(true);
        expect(await s.rememberNonce(keys[0]!, at(100), at(3))).toBe(false);
        // The 64th new nonce triggers a sweep of the ones expired a second or more before now.
        expect(await s.rememberNonce(keys[63]!, at(100), at(10))).toBe(true);
        const left = await Promise.all(
          keys.map(async (k) => Object.keys(await readRaw(dc, dnOf(k), ['cn'])).length > 0),
        );
        expect(left.filter(Boolean)).toHaveLength(2);
        expect(left[0]).toBe(true);
        expect(left[63]).toBe(true);
      } finally {
        await s.close();
      }
    });
  });

  describe('TLS', () => {
    it('LDAPS with the CA file and a server name works (the DC certificate names DC1.adatum.labnet, no SAN)', async () => {
      const s = await openAdStore(
        options({ url: dc.ldapsUrl, tlsCaFile: dc.caFile, tlsServername: dc.tlsServername }),
      );
      try {
        const u = await user('ldaps');
        expect((await s.enrol(u.upn, secret(12), t0)).upn).toBe(u.upn);
        await s.ping();
      } finally {
        await s.close();
      }
    });

    it('StartTLS with the CA file and a server name works', async () => {
      const s = await openAdStore(
        options({ startTls: true, tlsCaFile: dc.caFile, tlsServername: dc.tlsServername }),
      );
      try {
        const u = await user('starttls');
        expect((await s.enrol(u.upn, secret(13), t0)).upn).toBe(u.upn);
      } finally {
        await s.close();
      }
    });

    it('LDAPS to 127.0.0.1 without a server name fails verification with a TLS hint', async () => {
      const s = await openAdStore(
        options({ url: dc.ldapsUrl, tlsCaFile: dc.caFile, timeoutMs: 5000 }),
      );
      try {
        await expect(s.ping()).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringContaining('ERR_TLS_CERT_ALTNAME_INVALID'),
          hint: expect.stringContaining('ldap_tls_ca_file'),
        });
      } finally {
        await s.close();
      }
    });

    it('LDAPS without the CA file is refused (the DC certificate is not publicly trusted)', async () => {
      const s = await openAdStore(
        options({ url: dc.ldapsUrl, tlsServername: dc.tlsServername, timeoutMs: 5000 }),
      );
      try {
        await expect(s.ping()).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringMatching(/^TLS to /),
        });
      } finally {
        await s.close();
      }
    });

    it('a missing CA file is reported at open with the setting to fix', async () => {
      await expect(
        openAdStore(options({ url: dc.ldapsUrl, tlsCaFile: '/nonexistent/ca.pem' })),
      ).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        hint: expect.stringContaining('ldap_tls_ca_file'),
      });
    });

    it('startTls with an ldaps:// URL is a TypeError', async () => {
      await expect(openAdStore(options({ url: dc.ldapsUrl, startTls: true }))).rejects.toThrow(
        TypeError,
      );
    });
  });

  describe('bounded time and reconnects', () => {
    const timeoutMs = 700;

    async function elapsed(fn: () => Promise<unknown>): Promise<{ ms: number; err: unknown }> {
      const start = performance.now();
      try {
        await fn();
        return { ms: performance.now() - start, err: undefined };
      } catch (err) {
        return { ms: performance.now() - start, err };
      }
    }

    it('a port nobody listens on fails at once with ERR_STORE_UNAVAILABLE', async () => {
      const port = await closedPort();
      const s = await openAdStore(options({ url: `ldap://127.0.0.1:${port}`, timeoutMs }));
      try {
        const { ms, err } = await elapsed(() => s.get('a@adatum.labnet'));
        expect(err).toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringContaining(`127.0.0.1:${port}`),
        });
        expect(ms).toBeLessThan(timeoutMs + 500);
      } finally {
        await s.close();
      }
    });

    it.each([
      ['ldap (bind never answered)', 'ldap', false],
      ['ldaps (TLS handshake never answered)', 'ldaps', false],
      ['ldap + StartTLS (extended operation never answered)', 'ldap', true],
    ] as const)(
      'a server that accepts and never answers: %s fails within the timeout',
      async (_label, scheme, startTls) => {
        const silent = await startSilentServer();
        const s = await openAdStore(
          options({
            url: `${scheme}://127.0.0.1:${silent.port}`,
            timeoutMs,
            startTls,
            tlsCaFile: dc.caFile,
            tlsServername: dc.tlsServername,
          }),
        );
        try {
          const { ms, err } = await elapsed(() => s.get('a@adatum.labnet'));
          expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
          expect(ms).toBeGreaterThanOrEqual(timeoutMs - 50);
          expect(ms).toBeLessThan(timeoutMs + 1500);
          expect(silent.accepted).toBe(1);
        } finally {
          await s.close();
          await silent.close();
        }
      },
    );

    it('re-connects and re-binds after the connection was dropped', async () => {
      const proxy = await startTcpForwarder(389);
      const s = await openAdStore(
        options({ url: `ldap://127.0.0.1:${proxy.port}`, poolSize: 1, timeoutMs: 5000 }),
      );
      try {
        const u = await user('reconnect');
        await s.enrol(u.upn, secret(14), t0);
        proxy.dropAll();
        // The pooled connection is dead: the next call must open and bind a new one.
        expect((await s.get(u.upn))?.secret).toBe(secret(14));
        expect(proxy.accepted).toBe(2);
      } finally {
        await s.close();
        await proxy.close();
      }
    });

    it('an aborted read rejects promptly with ERR_STORE_UNAVAILABLE', async () => {
      const silent = await startSilentServer();
      const s = await openAdStore(
        options({ url: `ldap://127.0.0.1:${silent.port}`, timeoutMs: 10_000 }),
      );
      try {
        const { ms, err } = await elapsed(() => s.get('a@adatum.labnet', AbortSignal.timeout(200)));
        expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
        expect(ms).toBeLessThan(2000);
      } finally {
        await s.close();
        await silent.close();
      }
    });
  });

  describe('errors carry operator hints', () => {
    it('a wrong password: ERR_STORE_UNAVAILABLE "bind failed: check ldap_bind_dn / ldap_bind_password"', async () => {
      const s = await openAdStore(options({ bindPassword: 'wrong-password' }));
      try {
        await expect(s.ping()).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringContaining('invalid credentials (49)'),
          hint: expect.stringContaining('bind failed: check ldap_bind_dn / ldap_bind_password'),
        });
      } finally {
        await s.close();
      }
    });

    it('an account without write access: ERR_STORE_UNAVAILABLE with a "no write access" hint', async () => {
      const password = `Rd-${uniqueSuffix()}-9x!`;
      const reader = await user('reader', { password });
      const target = await user('target');
      const s = await openAdStore(options({ bindDn: reader.upn, bindPassword: password }));
      try {
        await expect(s.enrol(target.upn, secret(15), t0)).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringContaining('insufficient access rights (50)'),
          hint: expect.stringContaining('no write access'),
        });
      } finally {
        await s.close();
      }
    });

    it('problems are tagged for install/verify: a wrong password is "auth failed", a refused write "no write access"', async () => {
      const bad = await openAdStore(options({ bindPassword: 'wrong-password' }));
      try {
        expect(storeProblemOf(await bad.ping().catch((e: unknown) => e))).toBe('auth_failed');
      } finally {
        await bad.close();
      }
      const password = `Rd-${uniqueSuffix()}-7x!`;
      const reader = await user('tagged', { password });
      const target = await user('tagtarget');
      const s = await openAdStore(options({ bindDn: reader.upn, bindPassword: password }));
      try {
        const err = await s.enrol(target.upn, secret(17), t0).catch((e: unknown) => e);
        expect(storeProblemOf(err)).toBe('no_write_access');
      } finally {
        await s.close();
      }
    });

    it('inspect: the admin may write every sMFA-OTP-* attribute; a plain user may write none, with a grant hint', async () => {
      const admin = await openAdStore(options());
      const password = `Rd-${uniqueSuffix()}-6x!`;
      const reader = await user('inspector', { password });
      const enrolledOne = await user('inspected');
      const plain = await openAdStore(options({ bindDn: reader.upn, bindPassword: password }));
      try {
        await admin.enrol(enrolledOne.upn, secret(18), t0);
        await admin.rememberNonce(`inspect-${uniqueSuffix()}`, at(60), t0); // creates the containers
        expect(isInspectable(admin)).toBe(true);
        expect(await (admin as UserStore & InspectableStore).inspect()).toEqual({
          missingAttributes: [],
          missingAccess: [],
          accessHint: undefined,
        });
        const report = await (plain as UserStore & InspectableStore).inspect();
        expect(report.missingAttributes).toEqual([]);
        expect(report.missingAccess).toEqual(
          expect.arrayContaining(['write sMFA-OTP-laststep', 'write sMFA-OTP-secret']),
        );
        expect(
          report.missingAccess?.some((m) =>
            m.startsWith('create msDS-App-Configuration under CN=Nonces'),
          ),
        ).toBe(true);
        expect(report.accessHint).toContain('ad-schema/README.md');
      } finally {
        await plain.close();
        await admin.close();
      }
    });

    it('an account that may not read the confidential secret gets a control-access hint, not "not enrolled"', async () => {
      const password = `Rd-${uniqueSuffix()}-8x!`;
      const reader = await user('peek', { password });
      const target = await user('peeked');
      await store.enrol(target.upn, secret(16), t0);
      const s = await openAdStore(options({ bindDn: reader.upn, bindPassword: password }));
      try {
        await expect(s.get(target.upn)).rejects.toMatchObject({
          code: 'ERR_STORE_UNAVAILABLE',
          message: expect.stringContaining('cannot read sMFA-OTP-secret'),
          hint: expect.stringContaining('control access on sMFA-OTP-secret'),
        });
        // It cannot see the secret at all, not even through a filter.
        expect(await s.list({ prefix: target.upn })).toEqual([]);
      } finally {
        await s.close();
      }
    });

    it('a closed store rejects with ERR_STORE_UNAVAILABLE; close is idempotent', async () => {
      const s = await openAdStore(options());
      await s.ping();
      await s.close();
      await s.close();
      await expect(s.get('a@adatum.labnet')).rejects.toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
      });
    });
  });
});

describe('listing reads each enrolled user a bounded number of times', () => {
  const N = 120;
  const PAGE = 10;
  let ou: string;
  let upns: string[] = [];
  let reads = 0;
  let store: UserStore;
  const listAll = async (
    s: UserStore,
    limit: number,
    between?: (page: number) => Promise<void>,
  ) => {
    const out: UserRecord[] = [];
    let after: string | undefined;
    for (let page = 0; page < 1000; page += 1) {
      const batch = await s.list({ limit, ...(after === undefined ? {} : { after }) });
      out.push(...batch);
      if (batch.length < limit) return { records: out, pages: page + 1 };
      after = batch[batch.length - 1]!.upn;
      await between?.(page);
    }
    throw new Error('listing did not end');
  };
  const byKey = (a: string, b: string): number =>
    a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;

  beforeAll(async () => {
    ou = await createOu(dc, `smfa-list-${uniqueSuffix()}`);
    store = await openAdStore(options({ baseDn: ou, onSearchEntries: (n) => void (reads += n) }));
    const tag = uniqueSuffix();
    // Mixed case and punctuation that server-side collations order differently.
    const labels = ['a-b', 'a_b', 'aab', 'A.c', 'Zed', 'm_0'];
    for (let i = 0; i < N; i += 1) {
      const upn = `${labels[i % labels.length]}${String(i).padStart(3, '0')}.${tag}@adatum.labnet`;
      await prepareUser(upn, ou);
      await store.enrol(upn, secret(500 + i), t0);
      upns.push(upn);
    }
    upns = upns.sort(byKey);
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    if (ou !== undefined) await deleteOu(dc, ou);
  }, 120_000);

  it(`${N} users in pages of ${PAGE}: every user once, in order, reading at most 2 entries per user plus 2 per page (not ${N} per page)`, async () => {
    reads = 0;
    const { records, pages } = await listAll(store, PAGE);
    expect(records.map((r) => r.upn)).toEqual(upns);
    expect(pages).toBe(N / PAGE + 1);
    process.stderr.write(
      `[ad-store] full listing of ${N} users in ${pages} pages read ${reads} entries\n`,
    );
    // A scan of the keys (N), the records of the pages (N), the DC's watermark per page (2).
    expect(reads).toBeLessThanOrEqual(2 * N + 2 * pages);
    // A second listing reuses the key index: only records and watermarks are read.
    reads = 0;
    expect((await listAll(store, 50)).records.map((r) => r.upn)).toEqual(upns);
    expect(reads).toBeLessThanOrEqual(N + 2 * 4);
  });

  it('sees changes made while it runs, as the SQL stores do: a user enrolled after the cursor is listed, one removed is not', async () => {
    const tag = uniqueSuffix();
    const late = `zz-late.${tag}@adatum.labnet`;
    const early = `0-early.${tag}@adatum.labnet`;
    await prepareUser(late, ou);
    await prepareUser(early, ou);
    const victim = upns[upns.length - 5]!;
    const { records } = await listAll(store, PAGE, async (page) => {
      if (page !== 2) return;
      await store.enrol(late, secret(900), t0);
      await store.enrol(early, secret(901), t0); // before the cursor: not in this listing
      expect(await store.delete(victim)).toBe(true);
    });
    const listed = records.map((r) => r.upn);
    expect(listed).toEqual(upns.filter((u) => u !== victim).concat(late));
    // A new listing sees the early one too (and the victim still gone).
    const again = (await listAll(store, 500)).records.map((r) => r.upn);
    expect(again).toEqual([early, ...upns.filter((u) => u !== victim), late].sort(byKey));
    // Restore the victim for any later test.
    await store.enrol(victim, secret(902), t0);
  });

  it('a renamed user (userPrincipalName changed in AD) is listed under its new name only', async () => {
    const old = upns[3]!;
    const renamed = `zz-renamed.${uniqueSuffix()}@adatum.labnet`;
    await listAll(store, 500); // the index knows the old name
    const client = await adminClient(dc);
    try {
      const { searchEntries } = await client.search(ou, {
        scope: 'sub',
        filter: equalityFilter('userPrincipalName', old),
        attributes: ['1.1'],
      });
      await client.modify(searchEntries[0]!.dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userPrincipalName', values: [renamed] }),
        }),
      ]);
    } finally {
      await client.unbind();
    }
    const listed = (await listAll(store, 7)).records.map((r) => r.upn);
    expect(listed).not.toContain(old);
    expect(listed.filter((u) => u === renamed)).toHaveLength(1);
    expect(listed).toEqual([...listed].sort(byKey));
    expect(await store.count()).toBe(listed.length);
  });
});

describeUserStoreContract(
  'ad (its own OU: other processes share the DC)',
  async () => {
    // count() and list() see every enrolled user under the base DN; other test processes enrol
    // users on the same DC at the same time, so the contract runs on an OU of its own.
    const ou = await createOu(dc, `smfa-contract-${uniqueSuffix()}`);
    const scoped = (): AdStoreOptions => options({ baseDn: ou });
    const store = await openAdStore(scoped());
    const seconds: UserStore[] = [];
    return {
      store,
      prepareUser: (upn) => prepareUser(upn, ou),
      openSecond: async () => {
        const s = await openAdStore(scoped());
        seconds.push(s);
        return s;
      },
      cleanup: async () => {
        await store.close();
        await Promise.all(seconds.map((s) => s.close()));
        await deleteOu(dc, ou);
      },
    };
  },
  { raceNodes: 3 },
);
