/**
 * The `users …` commands against one real store backend, run through the whole CLI (commander,
 * options, exit-code mapping) in-process with injected I/O. Called by one test file per backend,
 * so the same assertions hold on SQLite, the Samba AD DC and PostgreSQL.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { detectFormat, generateSecret, verifyTotp, type UserStore } from '@securemfa/core';
import {
  openTestStore,
  PASSPHRASE,
  removeTestDirs,
  testCipher,
  type Backend,
  type TestConfig,
} from '../helpers/backends.js';
import { decodeTerminalQr, oathtoolCode, printedUri, uriSecret } from '../helpers/oracles.js';
import { tools } from '../helpers/run-tools.js';

/** The instant the tools believe it is (lockout is evaluated at it). */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const now = (): Date => NOW;
const minutesAgo = (m: number): Date => new Date(NOW.getTime() - m * 60_000);

/**
 * Define the users suite for a backend.
 *
 * @param makeBackend - the backend
 */
export function describeUsersCommands(makeBackend: () => Backend): void {
  const backend = makeBackend();
  const cipher = testCipher();

  beforeAll(async () => {
    await backend.start();
  }, 700_000);
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

  /** Enrol through the store directly (seeding), returning the plain secret. */
  async function seedUser(
    cfg: TestConfig,
    upn: string,
    created = minutesAgo(600),
  ): Promise<string> {
    const plain = generateSecret();
    await withStore(cfg, (s) => s.enrol(upn, cipher.encrypt(plain), created));
    return plain;
  }

  const run = (cfg: TestConfig, args: string[], extra: Parameters<typeof tools>[1] = {}) =>
    tools([...args, '-c', cfg.file], { now, ...extra });

  describe(`users new (${backend.name})`, () => {
    it('enrols a user: prints a QR code and an otpauth URI whose secret is the stored one; oathtool codes verify', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'new');
      const r = await run(cfg, ['users', 'new', upn]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `enrolled ${upn} in ${backend.name === 'ad' ? 'ad ' : backend.name}`,
      );
      const uri = printedUri(r.stdout);
      expect(uri).toMatch(/^otpauth:\/\/totp\/Contoso:/);
      expect(new URL(uri).searchParams.get('issuer')).toBe('Contoso');
      // The QR code drawn for the terminal carries exactly that URI.
      expect(await decodeTerminalQr(r.stdout, cfg.dir)).toBe(uri);
      const record = await withStore(cfg, (s) => s.get(upn));
      expect(record).toMatchObject({ upn, enabled: true, logon: 0, laststep: -1 });
      // Stored encrypted (v2), decrypting to the URI's secret.
      expect(detectFormat(record!.secret)).toBe('v2');
      expect(record!.secret).not.toContain(uriSecret(uri));
      const plain = cipher.decrypt(record!.secret);
      expect(plain).toBe(uriSecret(uri));
      const epoch = Math.floor(NOW.getTime() / 1000);
      const code = await oathtoolCode(plain, epoch);
      expect(verifyTotp({ secret: plain, token: code, epoch })).toMatchObject({ valid: true });
    });

    it('--secret enrols the given secret (case and spaces ignored), --json prints {upn, otpauthUri}, profile fields are kept', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'given');
      const r = await run(cfg, [
        'users',
        'new',
        upn,
        '--secret',
        'jbsw y3dp ehpk 3pxp',
        '--email',
        'g@contoso.test',
        '--json',
      ]);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { upn: string; otpauthUri: string };
      expect(out.upn).toBe(upn);
      expect(uriSecret(out.otpauthUri)).toBe('JBSWY3DPEHPK3PXP');
      const record = await withStore(cfg, (s) => s.get(upn));
      expect(cipher.decrypt(record!.secret)).toBe('JBSWY3DPEHPK3PXP');
      expect(record!.email).toBe('g@contoso.test');
    });

    it('refuses a user who already has a record (exit 1) and a malformed --secret (exit 2), changing nothing', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'twice');
      const plain = await seedUser(cfg, upn);
      const again = await run(cfg, ['users', 'new', upn, '--no-qr']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(`error: ${upn} already has an OTP record`);
      expect(again.stderr).toContain('users reset');
      const bad = await run(cfg, ['users', 'new', upn, '--secret', 'not-base32!!']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--secret: expected a base32 TOTP secret');
      expect(bad.stderr).not.toContain('not-base32!!');
      const record = await withStore(cfg, (s) => s.get(upn));
      expect(cipher.decrypt(record!.secret)).toBe(plain);
    });

    if (backend.name === 'ad') {
      it('AD: a UPN with no AD user object is refused with a hint (exit 1)', async () => {
        const cfg = await backend.config();
        const r = await run(cfg, ['users', 'new', 'nobody.here@adatum.labnet', '--no-qr']);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          'no Active Directory user has the userPrincipalName nobody.here@adatum.labnet',
        );
        expect(r.stderr).toContain(
          'hint: in AD mode the OTP record is kept on the existing user object',
        );
      });
    }
  });

  describe(`users list / show (${backend.name})`, () => {
    let cfg: TestConfig;
    const u: Record<'active' | 'disabled' | 'locked' | 'stale' | 'pending', string> = {
      active: '',
      disabled: '',
      locked: '',
      stale: '',
      pending: '',
    };
    const plains: Record<string, string> = {};

    beforeAll(async () => {
      cfg = await backend.config();
      for (const k of Object.keys(u) as (keyof typeof u)[]) {
        u[k] = await backend.newUpn(cfg, k);
        plains[k] = await seedUser(cfg, u[k], minutesAgo(600));
      }
      await withStore(cfg, async (s) => {
        const meta = { ip: '192.0.2.7', userAgent: 'list-test' };
        const ok = await s.acceptCode(u.active, 59_000_000, meta, minutesAgo(30), {
          allowReuse: false,
        });
        expect(ok.ok).toBe(true);
        await s.acceptCode(u.disabled, 59_000_000, meta, minutesAgo(50), { allowReuse: false });
        await s.setEnabled(u.disabled, false);
        // 3 failures (= ui_login_failures) 2 minutes ago: locked for 13 more minutes.
        for (let i = 0; i < 3; i += 1)
          await s.recordFailure(u.locked, '123456', meta, minutesAgo(2));
        // 3 failures an hour ago: the 15-minute lockout is over.
        for (let i = 0; i < 3; i += 1) await s.recordFailure(u.stale, 'abc', meta, minutesAgo(60));
      });
    }, 60_000);

    it('prints a table of every user with enabled, enrolled, last logon, logons, failures and locked until', async () => {
      const r = await run(cfg, ['users', 'list']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^UPN\s+ENABLED\s+ENROLLED\s+LAST LOGON\s+LOGONS\s+FAILURES\s+LOCKED UNTIL$/,
      );
      expect(lines).toHaveLength(6);
      const row = (upn: string): string[] => lines.find((l) => l.startsWith(upn))!.split(/\s{2,}/);
      expect(row(u.active)).toEqual([
        u.active,
        'yes',
        'yes',
        '2026-06-01 11:30:00Z',
        '1',
        '0',
        '-',
      ]);
      expect(row(u.disabled)).toEqual([
        u.disabled,
        'no',
        'yes',
        '2026-06-01 11:10:00Z',
        '1',
        '0',
        '-',
      ]);
      expect(row(u.locked)).toEqual([
        u.locked,
        'yes',
        'pending',
        '-',
        '0',
        '3',
        '2026-06-01 12:13:00Z',
      ]);
      expect(row(u.stale)).toEqual([u.stale, 'yes', 'pending', '-', '0', '3', '-']);
      expect(r.stderr).toContain('5 users in');
      // Sorted by lower-cased UPN.
      const upns = lines.slice(1).map((l) => l.split(/\s+/)[0]!);
      expect(upns).toEqual([...upns].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    });

    it('--locked and --disabled filter with the lockout policy of the configuration; --json prints the rows', async () => {
      const locked = await run(cfg, ['users', 'list', '--locked', '--json']);
      expect(locked.code).toBe(0);
      expect(JSON.parse(locked.stdout)).toEqual([
        {
          upn: u.locked,
          enabled: true,
          enrolled: false,
          lastlogon: null,
          logoncount: 0,
          failedlogoncount: 3,
          lockedUntil: '2026-06-01T12:13:00.000Z',
        },
      ]);
      const disabled = await run(cfg, ['users', 'list', '--disabled', '--json']);
      expect((JSON.parse(disabled.stdout) as { upn: string }[]).map((x) => x.upn)).toEqual([
        u.disabled,
      ]);
      const both = await run(cfg, ['users', 'list', '--disabled', '--locked', '--json']);
      expect(JSON.parse(both.stdout)).toEqual([]);
      // A stricter policy in another config file over the same store: 5 failures lock, so nobody is.
      const lenient = { ...cfg, file: join(cfg.dir, 'Lenient.json') };
      await writeFile(lenient.file, JSON.stringify({ ...cfg.keys, ui_login_failures: '5' }));
      const none = await tools(
        ['users', 'list', '--locked', '--json', '--provider', 'qr-otp', '-c', lenient.file],
        { now },
      );
      expect(none.code).toBe(0);
      expect(JSON.parse(none.stdout)).toEqual([]);
    });

    it('users show prints every field and the lockout state, and of the secret only its format', async () => {
      const r = await run(cfg, ['users', 'show', u.active]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^upn\\s+${u.active.replace(/\./g, '\\.')}$`, 'm'));
      expect(r.stdout).toMatch(/^enrolled\s+yes$/m);
      expect(r.stdout).toMatch(/^last logon\s+2026-06-01 11:30:00Z$/m);
      expect(r.stdout).toMatch(/^last ip\s+192\.0\.2\.7$/m);
      expect(r.stdout).toMatch(/^user agent\s+list-test$/m);
      expect(r.stdout).toMatch(/^locked\s+no \(3 attempts left\)$/m);
      expect(r.stdout).toMatch(/^last step\s+59000000$/m);
      expect(r.stdout).toMatch(/^secret\s+v2, usable$/m);
      const record = await withStore(cfg, (s) => s.get(u.active));
      expect(r.stdout).not.toContain(plains.active!);
      expect(r.stdout).not.toContain(record!.secret);
      const locked = await run(cfg, ['users', 'show', u.locked, '--json']);
      const d = JSON.parse(locked.stdout) as Record<string, unknown>;
      expect(d).toMatchObject({
        upn: u.locked,
        failedlogoncount: 3,
        failedcode: '123456',
        lockedUntil: '2026-06-01T12:13:00.000Z',
        attemptsLeft: null,
        secret: { format: 'v2', usable: true },
      });
      expect(JSON.stringify(d)).not.toContain(plains.locked!);
    });

    it('users show of a UPN without a record: exit 1 with a hint', async () => {
      const r = await run(cfg, ['users', 'show', 'ghost@contoso.test']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: ghost@contoso.test has no OTP record in');
      expect(r.stderr).toContain('hint: check the spelling');
    });
  });

  describe(`users disable / enable / unlock (${backend.name})`, () => {
    it('switch the record in the store, idempotently; an unknown UPN is exit 1', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'switch');
      await seedUser(cfg, upn);
      await withStore(cfg, async (s) => {
        for (let i = 0; i < 3; i += 1) await s.recordFailure(upn, '000000', {}, minutesAgo(1));
      });
      expect((await run(cfg, ['users', 'disable', upn])).stdout).toBe(`disabled ${upn}\n`);
      expect((await run(cfg, ['users', 'disable', upn])).code).toBe(0);
      expect((await withStore(cfg, (s) => s.get(upn)))!.enabled).toBe(false);
      const en = await run(cfg, ['users', 'enable', upn, '--json']);
      expect(JSON.parse(en.stdout)).toEqual({ upn, action: 'enable', ok: true });
      expect((await withStore(cfg, (s) => s.get(upn)))!.enabled).toBe(true);
      const before = await run(cfg, ['users', 'list', '--locked', '--json']);
      expect((JSON.parse(before.stdout) as { upn: string }[]).map((x) => x.upn)).toEqual([upn]);
      expect((await run(cfg, ['users', 'unlock', upn])).stdout).toBe(`unlocked ${upn}\n`);
      expect((await withStore(cfg, (s) => s.get(upn)))!.failedlogoncount).toBe(0);
      const after = await run(cfg, ['users', 'list', '--locked', '--json']);
      expect(JSON.parse(after.stdout)).toEqual([]);
      for (const action of ['disable', 'enable', 'unlock']) {
        const r = await run(cfg, ['users', action, 'ghost@contoso.test']);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('ghost@contoso.test has no OTP record');
      }
    });
  });

  describe(`users reset / delete (${backend.name})`, () => {
    it('reset asks first; "n" changes nothing (exit 1), "y" sets logon 0 and clears the reuse guard, the secret stays', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'reset');
      const plain = await seedUser(cfg, upn);
      await withStore(cfg, (s) =>
        s.acceptCode(upn, 59_000_001, {}, minutesAgo(5), { allowReuse: false }),
      );
      const no = await run(cfg, ['users', 'reset', upn], { answers: ['n'] });
      expect(no.code).toBe(1);
      expect(no.prompts).toEqual([
        `reset the enrolment of ${upn} (the QR code is shown again at the next logon)? [y/N] `,
      ]);
      expect(no.stderr).toContain('aborted: nothing was changed');
      expect((await withStore(cfg, (s) => s.get(upn)))!).toMatchObject({
        logon: 1,
        laststep: 59_000_001,
      });
      const yes = await run(cfg, ['users', 'reset', upn], { answers: ['y'] });
      expect(yes.code).toBe(0);
      expect(yes.stdout).toContain(
        `reset ${upn}: the enrolment QR code is shown again at the next logon`,
      );
      const record = (await withStore(cfg, (s) => s.get(upn)))!;
      expect(record).toMatchObject({ logon: 0, laststep: -1 });
      expect(cipher.decrypt(record.secret)).toBe(plain);
    });

    it('reset refuses without --yes when stdin is not a terminal (exit 2); --new-secret --yes issues a new secret and prints its QR code', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'renew');
      const plain = await seedUser(cfg, upn);
      const refused = await run(cfg, ['users', 'reset', upn, '--new-secret']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('refusing to give');
      expect(refused.stderr).toContain('stdin is not a terminal');
      expect(refused.stderr).toContain('hint: pass --yes');
      expect(cipher.decrypt((await withStore(cfg, (s) => s.get(upn)))!.secret)).toBe(plain);
      const r = await run(cfg, ['users', 'reset', upn, '--new-secret', '--yes']);
      expect(r.code).toBe(0);
      const uri = printedUri(r.stdout);
      expect(await decodeTerminalQr(r.stdout, cfg.dir)).toBe(uri);
      const next = cipher.decrypt((await withStore(cfg, (s) => s.get(upn)))!.secret);
      expect(next).toBe(uriSecret(uri));
      expect(next).not.toBe(plain);
      const bad = await run(cfg, ['users', 'reset', upn, '--secret', 'JBSWY3DPEHPK3PXP', '--yes']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--secret needs --new-secret');
    });

    it('delete asks first, refuses without --yes off a terminal, and removes the record with --yes', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'del');
      await seedUser(cfg, upn);
      expect((await run(cfg, ['users', 'delete', upn], { answers: [''] })).code).toBe(1);
      const refused = await run(cfg, ['users', 'delete', upn]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        `refusing to delete the OTP record of ${upn} (they must enrol again) without confirmation: stdin is not a terminal`,
      );
      expect(await withStore(cfg, (s) => s.get(upn))).toBeDefined();
      const r = await run(cfg, ['users', 'delete', upn, '--yes', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ upn, deleted: true });
      expect(await withStore(cfg, (s) => s.get(upn))).toBeUndefined();
      const again = await run(cfg, ['users', 'delete', upn, '--yes']);
      expect(again.code).toBe(1);
    });
  });

  describe(`users export / import (${backend.name})`, () => {
    it('export writes one JSON line per record, mode 0600, secrets as stored; delete all + import restores every field', async () => {
      const cfg = await backend.config({ log_file: './audit.log' });
      const upns = [
        await backend.newUpn(cfg, 'exp-a'),
        await backend.newUpn(cfg, 'exp-b'),
        await backend.newUpn(cfg, 'exp-c'),
      ];
      const plains = [];
      for (const upn of upns) plains.push(await seedUser(cfg, upn, minutesAgo(1000)));
      await withStore(cfg, async (s) => {
        await s.acceptCode(
          upns[0]!,
          59_000_100,
          { ip: '198.51.100.1', userAgent: 'exp' },
          minutesAgo(20),
          { allowReuse: false },
        );
        await s.acceptCode(upns[0]!, 59_000_101, {}, minutesAgo(19), { allowReuse: false });
        await s.recordFailure(upns[0]!, 'hunter2', {}, minutesAgo(10));
        await s.recordFailure(upns[0]!, '123456', {}, minutesAgo(9));
        await s.setProfile(upns[1]!, { email: 'b@contoso.test', mobile: '+15550100' });
        // A user who completed enrolment, then was disabled: comes back disabled with logon 1.
        await s.acceptCode(upns[2]!, 59_000_050, { ip: '203.0.113.4' }, minutesAgo(30), {
          allowReuse: false,
        });
        await s.setEnabled(upns[2]!, false);
      });
      const before = await withStore(cfg, async (s) => Promise.all(upns.map((u) => s.get(u))));
      const out = join(cfg.dir, 'users.jsonl');
      const r = await run(cfg, ['users', 'export', '--out', out]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('exported 3 records');
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      const text = await readFile(out, 'utf8');
      const lines = text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => l.upn)).toEqual(
        [...upns].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
      );
      for (const p of plains) expect(text).not.toContain(p);
      for (const l of lines) expect(detectFormat(l.secret as string)).toBe('v2');
      // An existing file is kept.
      const exists = await run(cfg, ['users', 'export', '--out', out]);
      expect(exists.code).toBe(2);
      expect(exists.stderr).toContain('already exists');

      for (const upn of upns)
        expect((await run(cfg, ['users', 'delete', upn, '--yes'])).code).toBe(0);
      const imp = await run(cfg, ['users', 'import', out, '--json']);
      expect(imp.code).toBe(0);
      expect(JSON.parse(imp.stdout)).toMatchObject({
        records: 3,
        imported: 3,
        overwritten: 0,
        invalid: [],
        failed: [],
      });
      const after = await withStore(cfg, async (s) => Promise.all(upns.map((u) => s.get(u))));
      // Nothing lost: every field of every record, counters and times included.
      expect(after).toEqual(before);
      for (let i = 0; i < 3; i += 1) expect(cipher.decrypt(after[i]!.secret)).toBe(plains[i]);
      expect(after[0]).toMatchObject({
        logonip: null,
        useragent: null,
        lastlogon: minutesAgo(19),
        logoncount: 2,
        laststep: 59_000_101,
        failedlogoncount: 2,
        failedlastlogon: minutesAgo(9),
        failedcode: '123456',
      });
      expect(after[2]).toMatchObject({ enabled: false, logon: 1, logoncount: 1 });
      // The audit log names the actions, never a secret or the passphrase.
      const audit = await readFile(join(cfg.dir, 'audit.log'), 'utf8');
      expect(audit).toContain('support tools: users exported');
      expect(audit).toContain('support tools: users imported');
      expect(audit).toContain('"eventId":5552');
      expect(audit).not.toContain(PASSPHRASE);
      for (const b of before) expect(audit).not.toContain(b!.secret);
    });

    it('--decrypt exports plain secrets (with a warning); importing them into an encrypting store stores them encrypted', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'plain');
      const plain = await seedUser(cfg, upn);
      const out = join(cfg.dir, 'plain.jsonl');
      const r = await run(cfg, ['users', 'export', '--out', out, '--decrypt']);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('warning: --decrypt');
      const line = JSON.parse((await readFile(out, 'utf8')).trim()) as { secret: string };
      expect(line.secret).toBe(plain);
      expect((await run(cfg, ['users', 'delete', upn, '--yes'])).code).toBe(0);
      expect((await run(cfg, ['users', 'import', out])).code).toBe(0);
      const stored = (await withStore(cfg, (s) => s.get(upn)))!.secret;
      expect(detectFormat(stored)).toBe('v2');
      expect(cipher.decrypt(stored)).toBe(plain);
    });

    it('import checks every line first: bad lines are reported by number and nothing is imported; --skip-invalid imports the rest (exit 1)', async () => {
      const cfg = await backend.config();
      const good = await backend.newUpn(cfg, 'good');
      const good2 = await backend.newUpn(cfg, 'good2');
      const other = testCipher('another-passphrase-entirely-0002');
      const goodPlain = generateSecret();
      const file = join(cfg.dir, 'mixed.jsonl');
      await writeFile(
        file,
        [
          JSON.stringify({ upn: good, secret: cipher.encrypt(goodPlain) }),
          '{"upn": "broken@contoso.test", ',
          JSON.stringify({ upn: 'x@contoso.test', secret: 'hello', enabled: 'yes' }),
          '',
          JSON.stringify({ upn: 'y@contoso.test', secret: other.encrypt(generateSecret()) }),
          JSON.stringify({ upn: good.toUpperCase(), secret: generateSecret() }),
          JSON.stringify({ upn: 'z@contoso.test', secret: generateSecret(), colour: 'blue' }),
          JSON.stringify({ upn: good2, secret: generateSecret(), logon: 1, laststep: 5 }),
        ].join('\n'),
      );
      const r = await run(cfg, ['users', 'import', file]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('mixed.jsonl:2: not JSON');
      expect(r.stderr).toContain('mixed.jsonl:3: "secret" is in no known format');
      expect(r.stderr).toContain('mixed.jsonl:3: "enabled" must be true or false, got "yes"');
      expect(r.stderr).toContain(
        'mixed.jsonl:5: "secret" (v2) does not decrypt with the data_encryption_passphrase',
      );
      expect(r.stderr).toContain(`mixed.jsonl:6: ${good.toUpperCase()} is already on line 1`);
      expect(r.stderr).toContain('mixed.jsonl:7: unknown field "colour"');
      expect(r.stderr).toContain('error: 5 of 7 lines cannot be imported; nothing was imported');
      expect(r.stderr).not.toContain('hello');
      expect(await withStore(cfg, (s) => s.get(good))).toBeUndefined();

      const skip = await run(cfg, ['users', 'import', file, '--skip-invalid', '--json']);
      expect(skip.code).toBe(1);
      const res = JSON.parse(skip.stdout) as { imported: number; invalid: { line: number }[] };
      expect(res.imported).toBe(2);
      expect(res.invalid.map((b) => b.line)).toEqual([2, 3, 5, 6, 7]);
      expect(cipher.decrypt((await withStore(cfg, (s) => s.get(good)))!.secret)).toBe(goodPlain);
      expect((await withStore(cfg, (s) => s.get(good2)))!).toMatchObject({ logon: 1, laststep: 5 });
    });

    it('import over existing records asks first (refused off a terminal), --skip-existing leaves them, --yes overwrites', async () => {
      const cfg = await backend.config();
      const upn = await backend.newUpn(cfg, 'over');
      const fresh = await backend.newUpn(cfg, 'fresh');
      const current = await seedUser(cfg, upn);
      const incoming = generateSecret();
      const file = join(cfg.dir, 'over.jsonl');
      await writeFile(
        file,
        `${JSON.stringify({ upn, secret: incoming, enabled: false })}\n${JSON.stringify({ upn: fresh, secret: generateSecret() })}\n`,
      );
      const refused = await run(cfg, ['users', 'import', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('refusing to overwrite 1 existing record');
      expect(await withStore(cfg, (s) => s.get(fresh))).toBeUndefined();
      const dry = await run(cfg, ['users', 'import', file, '--dry-run']);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('dry run: would import 2 of 2 records');
      expect(await withStore(cfg, (s) => s.get(fresh))).toBeUndefined();
      const skip = await run(cfg, ['users', 'import', file, '--skip-existing']);
      expect(skip.code).toBe(0);
      expect(skip.stdout).toContain('imported 1 of 2 records, 1 existing skipped');
      expect(cipher.decrypt((await withStore(cfg, (s) => s.get(upn)))!.secret)).toBe(current);
      const asked = await run(cfg, ['users', 'import', file], { answers: ['yes'] });
      expect(asked.code).toBe(0);
      expect(asked.prompts[0]).toContain('overwrite 2 existing records');
      const record = (await withStore(cfg, (s) => s.get(upn)))!;
      expect(cipher.decrypt(record.secret)).toBe(incoming);
      // Replaced whole: what the line says, the defaults for what it leaves out.
      expect(record).toMatchObject({
        upn,
        enabled: false,
        logon: 0,
        laststep: -1,
        logoncount: 0,
        failedlogoncount: 0,
        lastlogon: null,
        created: NOW,
      });
    });
  });
}
