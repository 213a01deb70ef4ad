/**
 * `store check` and `store rekey` against one real store backend: findings without secrets,
 * legacy → v2, a new passphrase, a resumed run over a half-rekeyed store, a record changed by
 * someone else while the rekey runs (compare-and-swap), and a real crash — the CLI as a child
 * process killed with SIGKILL after K rewritten records — followed by a second run that
 * completes, with every secret still decrypting.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { detectFormat, generateSecret, type SecretCipher, type UserStore } from '@securemfa/core';
import { HALT_AFTER_ENV, rekeyStore } from '../../src/index.js';
import {
  openTestStore,
  PASSPHRASE,
  removeTestDirs,
  testCipher,
  type Backend,
  type TestConfig,
} from '../helpers/backends.js';
import { killChildren, spawnAndKillAt, spawnTools, tools } from '../helpers/run-tools.js';

const NEW_PASSPHRASE = 'the-new-support-tools-passphrase-0042';

function tryDecrypt(cipher: SecretCipher, stored: string): string | undefined {
  try {
    return cipher.decrypt(stored);
  } catch {
    return undefined;
  }
}

/**
 * Define the store suite for a backend.
 *
 * @param makeBackend - the backend
 */
export function describeStoreCommands(makeBackend: () => Backend): void {
  const backend = makeBackend();
  const oldCipher = testCipher();
  // Separate instances without caches: a fresh process's view of the values.
  const freshOld = (): SecretCipher => testCipher();
  const freshNew = (): SecretCipher => testCipher(NEW_PASSPHRASE);

  beforeAll(async () => {
    await backend.start();
  }, 700_000);
  afterEach(() => killChildren());
  afterAll(async () => {
    await backend.stop();
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

  /** Seed `n` users; every third one in the legacy format. Returns upn → plain secret. */
  async function seed(cfg: TestConfig, n: number, label: string): Promise<Map<string, string>> {
    const plains = new Map<string, string>();
    const upns: string[] = [];
    for (let i = 0; i < n; i += 1)
      upns.push(await backend.newUpn(cfg, `${label}${String(i).padStart(2, '0')}`));
    await withStore(cfg, async (s) => {
      for (const [i, upn] of upns.entries()) {
        const plain = generateSecret();
        plains.set(upn, plain);
        const stored = i % 3 === 0 ? oldCipher.encryptLegacy(plain) : oldCipher.encrypt(plain);
        await s.enrol(upn, stored, new Date('2026-01-01T00:00:00Z'));
      }
    });
    return plains;
  }

  async function stored(cfg: TestConfig): Promise<Map<string, string>> {
    return withStore(
      cfg,
      async (s) => new Map((await s.list({ limit: 1000 })).map((r) => [r.upn, r.secret])),
    );
  }

  async function passFile(cfg: TestConfig, value = NEW_PASSPHRASE): Promise<string> {
    const f = join(cfg.dir, 'new-passphrase.txt');
    await writeFile(f, `${value}\n`, { mode: 0o600 });
    return f;
  }

  describe(`store check (${backend.name})`, () => {
    it('a healthy store: exit 0; legacy values are notes, not problems', async () => {
      const cfg = await backend.config();
      await seed(cfg, 3, 'ok');
      const r = await tools(['store', 'check', '-c', cfg.file]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('checked 3 records in');
      expect(r.stdout).toContain('0 broken, 1 note');
      expect(r.stdout).toMatch(/note\s+secret is in the legacy format: run `store rekey`/);
    });

    it('finds a secret under another passphrase and a malformed one (exit 1) without printing any secret', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 3, 'bad');
      const [a, b] = [...plains.keys()];
      const foreign = testCipher('some-other-passphrase-entirely-0003').encrypt(generateSecret());
      await withStore(cfg, async (s) => {
        expect(await s.replaceSecret(a!, (await s.get(a!))!.secret, foreign)).toBe(true);
        expect(await s.replaceSecret(b!, (await s.get(b!))!.secret, 'hello-not-a-secret')).toBe(
          true,
        );
      });
      const r = await tools(['store', 'check', '-c', cfg.file]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `${a!.replace(/\./g, '\\.')}\\s+PROBLEM\\s+secret does not decrypt with the configured passphrase`,
        ),
      );
      expect(r.stdout).toMatch(
        new RegExp(`${b!.replace(/\./g, '\\.')}\\s+PROBLEM\\s+secret in no known format`),
      );
      expect(r.stdout).toContain('2 broken');
      const all = r.stdout + r.stderr;
      expect(all).not.toContain(foreign);
      expect(all).not.toContain('hello-not-a-secret');
      for (const p of plains.values()) expect(all).not.toContain(p);
      expect(all).not.toContain(PASSPHRASE);
      const json = await tools(['store', 'check', '--json', '-c', cfg.file]);
      const res = JSON.parse(json.stdout) as {
        checked: number;
        problems: number;
        findings: { upn: string; severity: string }[];
      };
      expect(res.checked).toBe(3);
      expect(res.problems).toBe(2);
      expect(
        res.findings
          .filter((f) => f.severity === 'problem')
          .map((f) => f.upn)
          .sort(),
      ).toEqual([a, b].sort());
    });
  });

  describe(`store rekey (${backend.name})`, () => {
    it('without a new passphrase: rewrites legacy values in v2, same plain secrets; a second run has nothing to do', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 4, 'v2');
      const r = await tools(['store', 'rekey', '--yes', '--json', '-c', cfg.file]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({
        total: 4,
        rewritten: 2,
        done: 2,
        failures: [],
        newPassphrase: false,
      });
      const after = await stored(cfg);
      const cipher = freshOld();
      for (const [upn, plain] of plains) {
        expect(detectFormat(after.get(upn)!)).toBe('v2');
        expect(cipher.decrypt(after.get(upn)!)).toBe(plain);
      }
      const again = await tools(['store', 'rekey', '--yes', '--json', '-c', cfg.file]);
      expect(JSON.parse(again.stdout)).toMatchObject({ total: 4, rewritten: 0, done: 4 });
      expect(await stored(cfg)).toEqual(after);
    });

    it('--new-passphrase-file: every secret moves to the new passphrase; check then fails with the old config and passes with the new one', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 4, 'np');
      const r = await tools([
        'store',
        'rekey',
        '--yes',
        '--new-passphrase-file',
        await passFile(cfg),
        '-c',
        cfg.file,
      ]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('4 records: 4 rewritten, 0 already done');
      expect(r.stdout).toContain('next: set data_encryption_passphrase in');
      expect(r.stdout + r.stderr).not.toContain(NEW_PASSPHRASE);
      const after = await stored(cfg);
      for (const [upn, plain] of plains) {
        expect(freshNew().decrypt(after.get(upn)!)).toBe(plain);
        expect(tryDecrypt(freshOld(), after.get(upn)!)).toBeUndefined();
      }
      expect((await tools(['store', 'check', '-c', cfg.file])).code).toBe(1);
      const updated = join(cfg.dir, 'Updated.json');
      await writeFile(
        updated,
        JSON.stringify({ ...cfg.keys, data_encryption_passphrase: NEW_PASSPHRASE }),
      );
      const ok = await tools(['store', 'check', '--provider', 'qr-otp', '-c', updated]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('0 broken, 0 notes');
    });

    it('resumes a half-done run: values already under the new passphrase are left alone, the rest rewritten', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 6, 'half');
      const upns = [...plains.keys()];
      const newCipher = testCipher(NEW_PASSPHRASE);
      const early = await withStore(cfg, async (s) => {
        const out = new Map<string, string>();
        for (const upn of upns.slice(0, 3)) {
          const next = newCipher.encrypt(plains.get(upn)!);
          expect(await s.replaceSecret(upn, (await s.get(upn))!.secret, next)).toBe(true);
          out.set(upn, next);
        }
        return out;
      });
      const r = await tools([
        'store',
        'rekey',
        '--yes',
        '--json',
        '--new-passphrase-file',
        await passFile(cfg),
        '-c',
        cfg.file,
      ]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ total: 6, rewritten: 3, done: 3, failures: [] });
      const after = await stored(cfg);
      for (const [upn, value] of early) expect(after.get(upn)).toBe(value);
      for (const [upn, plain] of plains) expect(freshNew().decrypt(after.get(upn)!)).toBe(plain);
    });

    it('--old-passphrase-file: the config already has the new passphrase, the values are still under the old one', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 2, 'old');
      const updated = join(cfg.dir, 'Updated.json');
      await writeFile(
        updated,
        JSON.stringify({ ...cfg.keys, data_encryption_passphrase: NEW_PASSPHRASE }),
      );
      const oldFile = join(cfg.dir, 'old.txt');
      await writeFile(oldFile, PASSPHRASE, { mode: 0o600 });
      const r = await tools([
        'store',
        'rekey',
        '--yes',
        '--json',
        '--old-passphrase-file',
        oldFile,
        '--provider',
        'qr-otp',
        '-c',
        updated,
      ]);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ total: 2, rewritten: 2, failures: [] });
      const after = await stored(cfg);
      for (const [upn, plain] of plains) expect(freshNew().decrypt(after.get(upn)!)).toBe(plain);
    });

    it('a value no passphrase opens is reported (exit 1) and left untouched; the others are rewritten', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 3, 'fail');
      const victim = [...plains.keys()][1]!;
      const foreign = testCipher('yet-another-passphrase-0004').encrypt(generateSecret());
      await withStore(cfg, async (s) =>
        s.replaceSecret(victim, (await s.get(victim))!.secret, foreign),
      );
      const r = await tools([
        'store',
        'rekey',
        '--yes',
        '--new-passphrase-file',
        await passFile(cfg),
        '-c',
        cfg.file,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `FAIL  ${victim}: the v2 secret decrypts with neither the old nor the new passphrase`,
      );
      expect(r.stderr).toContain('error: 1 secret could not be re-encrypted (left untouched)');
      expect(r.stdout).not.toContain('next: set data_encryption_passphrase');
      const after = await stored(cfg);
      expect(after.get(victim)).toBe(foreign);
      for (const [upn, plain] of plains)
        if (upn !== victim) expect(freshNew().decrypt(after.get(upn)!)).toBe(plain);
    });

    it('a record re-enrolled by someone else during the rekey is read again (compare-and-swap), never overwritten with the stale secret', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 3, 'cas');
      const [, second] = [...plains.keys()];
      const reenrolled = generateSecret();
      await withStore(cfg, async (store) => {
        let first = true;
        const result = await rekeyStore({
          store,
          oldCipher: testCipher(),
          newCipher: testCipher(NEW_PASSPHRASE),
          verifier: testCipher(NEW_PASSPHRASE),
          encryptPlain: true,
          onRecord: async () => {
            // After the first record, while the page of records is already read, a provider node
            // re-enrols the second user with a new secret (old passphrase).
            if (!first) return;
            first = false;
            await store.enrol(second!, oldCipher.encrypt(reenrolled), new Date());
          },
        });
        expect(result).toMatchObject({ total: 3, rewritten: 3, failures: [] });
      });
      const after = await stored(cfg);
      expect(freshNew().decrypt(after.get(second!)!)).toBe(reenrolled);
    });

    it('refuses without --yes off a terminal (exit 2), and without any passphrase (exit 2)', async () => {
      const cfg = await backend.config();
      await seed(cfg, 1, 'ask');
      const before = await stored(cfg);
      const r = await spawnTools(['store', 'rekey', '-c', cfg.file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('refusing to re-encrypt the 1 secret in');
      expect(r.stderr).toContain('stdin is not a terminal');
      expect(await stored(cfg)).toEqual(before);
      const missing = await tools([
        'store',
        'rekey',
        '--yes',
        '--new-passphrase-file',
        join(cfg.dir, 'nope.txt'),
        '-c',
        cfg.file,
      ]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('--new-passphrase-file: cannot read');
    });

    it('survives a real crash: killed with SIGKILL after 5 of 12 rewrites, nothing is lost, and a second run completes', async () => {
      const cfg = await backend.config();
      const plains = await seed(cfg, 12, 'crash');
      const file = await passFile(cfg);
      const crashed = await spawnAndKillAt(
        ['store', 'rekey', '--yes', '--new-passphrase-file', file, '-c', cfg.file],
        'test hook: halted after 5 rewritten records',
        { env: { [HALT_AFTER_ENV]: '5' } },
      );
      expect(crashed.killedAtMarker).toBe(true);
      expect(crashed.signal).toBe('SIGKILL');

      // Half way: every secret still decrypts, with one passphrase or the other — 5 new, 7 old.
      const mid = await stored(cfg);
      let underNew = 0;
      let underOld = 0;
      for (const [upn, plain] of plains) {
        const n = tryDecrypt(freshNew(), mid.get(upn)!);
        const o = tryDecrypt(freshOld(), mid.get(upn)!);
        expect(n ?? o).toBe(plain);
        if (n !== undefined) underNew += 1;
        else underOld += 1;
      }
      expect([underNew, underOld]).toEqual([5, 7]);

      const second = await spawnTools(
        ['store', 'rekey', '--yes', '--json', '--new-passphrase-file', file, '-c', cfg.file],
        {
          timeoutMs: 60_000,
        },
      );
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout)).toMatchObject({
        total: 12,
        rewritten: 7,
        done: 5,
        failures: [],
      });
      const after = await stored(cfg);
      for (const [upn, plain] of plains) {
        expect(detectFormat(after.get(upn)!)).toBe('v2');
        expect(freshNew().decrypt(after.get(upn)!)).toBe(plain);
      }
    });
  });
}
