/**
 * Moving users between stores with `users export` → `users import`, nothing lost: records with
 * counters, failure times, disabled users, reset users and profiles are exported from a real
 * SQLite store and imported into a real PostgreSQL store (tools/testenv/postgres.sh) and into
 * the real Samba AD DC (tools/testenv/samba-dc.sh, users are AD user objects), and back from AD
 * into SQLite. Every field of every record must come back exactly.
 */
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { generateSecret, type UserRecord, type UserStore } from '@securemfa/core';
import {
  adBackend,
  openTestStore,
  postgresBackend,
  removeTestDirs,
  sqliteBackend,
  testCipher,
  type Backend,
  type TestConfig,
} from './helpers/backends.js';
import { tools } from './helpers/run-tools.js';

jest.setTimeout(120_000);

/** The instant the tools believe it is. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
/** A time before NOW, with milliseconds (they must survive every store). */
const ago = (ms: number): Date => new Date(NOW.getTime() - ms);

const sqlite = sqliteBackend();
const postgres = postgresBackend();
const ad = adBackend();
const cipher = testCipher();

beforeAll(async () => {
  await postgres.start();
  await ad.start();
}, 700_000);

afterAll(async () => {
  await ad.stop();
  await postgres.stop();
  await removeTestDirs();
}, 120_000);

async function withStore<T>(cfg: TestConfig, work: (s: UserStore) => Promise<T>): Promise<T> {
  const s = await openTestStore(cfg);
  try {
    return await work(s);
  } finally {
    await s.close();
  }
}

const run = (cfg: TestConfig, args: string[], extra: Parameters<typeof tools>[1] = {}) =>
  tools([...args, '-c', cfg.file], { now: () => NOW, ...extra });

/** Every record of a store, in UPN order. */
const all = (cfg: TestConfig): Promise<UserRecord[]> =>
  withStore(cfg, (s) => s.list({ limit: 10_000 }));

/**
 * Seed a store with users in every state a live store has, through the store's own operations:
 * `upns` are the busy, locked, disabled, reset and fresh users, in that order.
 */
async function seed(cfg: TestConfig, upns: readonly string[]): Promise<void> {
  const [busy, locked, disabled, reset, fresh] = upns;
  const meta = { ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (migration test)' };
  const noReuse = { allowReuse: false };
  await withStore(cfg, async (s) => {
    for (const upn of upns) await s.enrol(upn, cipher.encrypt(generateSecret()), ago(86_400_123));
    // A user who signs in often, with a failure after the last success.
    for (let i = 0; i < 5; i += 1)
      await s.acceptCode(busy!, 59_000_000 + i, meta, ago(3_600_000 - i * 60_017), noReuse);
    await s.recordFailure(busy!, 'hunter2', meta, ago(600_321));
    await s.setProfile(busy!, { email: 'busy@contoso.test', mobile: '+447700900001' });
    // Locked out: three failures in a row.
    await s.acceptCode(locked!, 58_000_000, {}, ago(7_200_000), noReuse);
    for (let i = 0; i < 3; i += 1)
      await s.recordFailure(locked!, `00000${i}`, meta, ago(60_000 - i));
    // Completed enrolment, then disabled by support.
    await s.acceptCode(disabled!, 57_000_000, meta, ago(9_000_000), noReuse);
    await s.setEnabled(disabled!, false);
    // Reset by support (the QR is shown again) after many logons.
    for (let i = 0; i < 3; i += 1)
      await s.acceptCode(reset!, 56_000_000 + i, meta, ago(5_000_000 - i), noReuse);
    await s.resetLogon(reset!);
    void fresh; // enrolled, never signed in
  });
}

/** Export everything from `from` and import it into `to` (an empty store). */
async function migrate(from: TestConfig, to: TestConfig, count: number): Promise<void> {
  const file = join(from.dir, `export-${Date.now()}.jsonl`);
  const exp = await run(from, ['users', 'export', '--out', file]);
  expect([exp.code, exp.stderr]).toEqual([0, expect.stringContaining(`exported ${count} records`)]);
  const imp = await run(to, ['users', 'import', file, '--json']);
  expect(imp.code).toBe(0);
  expect(JSON.parse(imp.stdout)).toMatchObject({
    records: count,
    imported: count,
    overwritten: 0,
    failed: [],
  });
}

async function upnsFor(target: Backend, cfg: TestConfig): Promise<string[]> {
  const labels = ['busy', 'locked', 'disabled', 'reset', 'fresh'];
  const out: string[] = [];
  for (const label of labels) out.push(await target.newUpn(cfg, `mig-${label}`));
  return out;
}

describe('users export → import between stores: every field survives', () => {
  it('SQLite → PostgreSQL: counters, failure times, disabled and reset users, profiles; re-import over them needs confirmation', async () => {
    const src = await sqlite.config();
    const dst = await postgres.config();
    const upns = await upnsFor(postgres, dst);
    await seed(src, upns);
    const before = await all(src);
    expect(before.map((r) => r.logoncount).sort()).toEqual([0, 1, 1, 3, 5]);
    await migrate(src, dst, 5);
    const after = await all(dst);
    expect(after).toEqual(before);
    expect(after.find((r) => r.upn === upns[0])).toMatchObject({
      logoncount: 5,
      failedlogoncount: 1,
      failedcode: '<non-numeric>',
      failedlastlogon: ago(600_321),
      lastlogon: ago(3_600_000 - 4 * 60_017),
      email: 'busy@contoso.test',
    });
    expect(after.find((r) => r.upn === upns[2])).toMatchObject({ enabled: false, logon: 1 });
    expect(after.find((r) => r.upn === upns[3])).toMatchObject({
      logon: 0,
      laststep: -1,
      logoncount: 3,
    });

    // The locked user is still locked on the new store: the lockout reads the restored counters.
    await withStore(dst, async (s) => {
      const res = await s.acceptCode(upns[1]!, 58_000_001, {}, NOW, {
        allowReuse: false,
        lockout: { maxFailures: 3, lastFailureAfter: ago(15 * 60_000) },
      });
      expect(res).toMatchObject({ ok: false, reason: 'locked' });
      // The reuse guard came along: the busy user's last code cannot be used again.
      expect(
        await s.acceptCode(upns[0]!, 59_000_004, {}, NOW, { allowReuse: false }),
      ).toMatchObject({ ok: false, reason: 'reused' });
    });

    // Importing the same file again is an overwrite: refused off a terminal, done with --yes.
    const file = join(src.dir, 'again.jsonl');
    expect((await run(src, ['users', 'export', '--out', file])).code).toBe(0);
    const refused = await run(dst, ['users', 'import', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite 5 existing records');
    const yes = await run(dst, ['users', 'import', file, '--yes', '--json']);
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ imported: 5, overwritten: 5 });
    // Both attempts above were refused, so nothing changed on the new store: after the overwrite
    // its records are exactly the source's again.
    expect(await all(dst)).toEqual(before);
  });

  it('SQLite → AD (records on the AD user objects) and back from AD into a new SQLite store', async () => {
    const src = await sqlite.config();
    const dst = await ad.config();
    const upns = await upnsFor(ad, dst);
    await seed(src, upns);
    // One user of the export has no AD user object: reported, the others are imported.
    const orphan = `mig-orphan.${Date.now()}@adatum.labnet`;
    await withStore(src, (s) => s.enrol(orphan, cipher.encrypt(generateSecret()), ago(1000)));
    const before = await all(src);
    const file = join(src.dir, 'to-ad.jsonl');
    expect((await run(src, ['users', 'export', '--out', file])).code).toBe(0);
    const imp = await run(dst, ['users', 'import', file, '--json']);
    expect(imp.code).toBe(1);
    const result = JSON.parse(imp.stdout) as {
      imported: number;
      failed: { upn: string; problems: string[] }[];
    };
    expect(result.imported).toBe(5);
    expect(result.failed).toEqual([
      {
        line: expect.any(Number),
        upn: orphan,
        problems: [
          expect.stringContaining(`no Active Directory user has the userPrincipalName ${orphan}`),
        ],
      },
    ]);
    const inAd = await all(dst);
    expect(inAd).toEqual(before.filter((r) => r.upn !== orphan));

    // And back: AD → a new SQLite store, still every field.
    const back = await sqlite.config();
    await migrate(dst, back, 5);
    expect(await all(back)).toEqual(inAd);
  });

  it('an import line with counters and times but no store of origin (hand-written) is restored as written', async () => {
    const dst = await postgres.config();
    const upn = await postgres.newUpn(dst, 'mig-hand');
    const plain = generateSecret();
    const file = join(dst.dir, 'hand.jsonl');
    const line = {
      upn,
      secret: plain,
      enabled: true,
      logon: 1,
      lastlogon: '2026-05-31T08:15:30.250Z',
      logoncount: 1234,
      failedlogoncount: 2,
      failedlastlogon: '2026-05-31T09:00:00.999Z',
      failedcode: '<too-long>',
      logonip: '192.0.2.200',
      useragent: 'curl/8',
      laststep: 59_300_000,
      email: null,
      mobile: '+15550199',
      created: '2025-01-01T00:00:00.000Z',
    };
    await writeFile(file, `${JSON.stringify(line)}\n`);
    expect((await run(dst, ['users', 'import', file])).code).toBe(0);
    const r = await withStore(dst, (s) => s.get(upn));
    expect(cipher.decrypt(r!.secret)).toBe(plain);
    expect({ ...r, secret: plain }).toEqual({
      ...line,
      lastlogon: new Date(line.lastlogon),
      failedlastlogon: new Date(line.failedlastlogon),
      created: new Date(line.created),
    });
  });
});
