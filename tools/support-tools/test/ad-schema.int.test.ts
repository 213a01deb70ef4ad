/**
 * `ad-schema status` / `ad-schema extend` against the real Samba AD DC. The DC's snapshot already
 * carries the SecureMFA schema (tools/testenv/samba-dc.sh applies the LDIF; changing the schema
 * while other files use the DC could crash Samba's single-process mode), so the attributes, the
 * class and the `user` link report `exists`; each test gives its own data container (`--data-dn`)
 * to see an item go from `missing` to `added` to `exists`.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  asAdmin,
  createAdUser,
  startSambaDc,
  uniqueSuffix as tag,
  type SambaDc,
} from '@securemfa/testkit';
import { adBackend, removeTestDirs, sqliteBackend, type TestConfig } from './helpers/backends.js';
import { killChildren, spawnTools, tools } from './helpers/run-tools.js';

jest.setTimeout(60_000);

const backend = adBackend();
let dc: SambaDc;
let cfg: TestConfig;
const containers: string[] = [];

function dataDn(): string {
  const dn = `CN=SecureMFA-t${tag()},CN=Program Data,${dc.baseDn}`;
  containers.push(dn);
  return dn;
}

async function exists(dn: string): Promise<boolean> {
  return asAdmin(dc, (c) =>
    c
      .search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] })
      .then(() => true)
      .catch(() => false),
  );
}

beforeAll(async () => {
  await backend.start();
  dc = await startSambaDc(); // the same lease, reused
  cfg = await backend.config();
}, 700_000);

afterAll(async () => {
  killChildren();
  if (dc !== undefined) {
    await asAdmin(dc, async (c) => {
      for (const dn of containers) {
        for (const child of [`CN=Nonces,${dn}`, `CN=Providers,${dn}`, dn])
          await c.del(child).catch(() => undefined);
      }
    });
  }
  await backend.stop();
  await removeTestDirs();
}, 120_000);

describe('ad-schema status', () => {
  it('reports the attributes, the class and the user link as existing and a missing data container (exit 1)', async () => {
    const dn = dataDn();
    const r = await tools(['ad-schema', 'status', '--data-dn', dn, '-c', cfg.file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`schema: CN=Schema,CN=Configuration,${dc.baseDn}`);
    expect(r.stdout).toMatch(/^attribute\s+sMFA-OTP-secret\s+exists/m);
    expect(r.stdout).toMatch(/^class\s+sMFA-OTP-User\s+exists/m);
    expect(r.stdout).toMatch(/^auxiliaryClass\s+sMFA-OTP-User\s+exists/m);
    expect(r.stdout).toMatch(
      new RegExp(`^container\\s+${dn.replace(/[=,]/g, '.')}\\s+missing`, 'm'),
    );
    expect(r.stderr).toContain('hint: run `securemfa-tools ad-schema extend` as a Schema Admin');
    const json = await tools(['ad-schema', 'status', '--json', '--data-dn', dn, '-c', cfg.file]);
    const report = JSON.parse(json.stdout) as {
      items: { kind: string; status: string }[];
      complete: boolean;
    };
    expect(report.complete).toBe(false);
    expect(report.items.filter((i) => i.kind === 'attribute')).toHaveLength(14);
    expect(report.items.filter((i) => i.status === 'missing').map((i) => i.kind)).toEqual([
      'container',
    ]);
    expect(await exists(dn)).toBe(false);
  });

  it('needs the ldap_* settings: a SQLite configuration is a usage error (exit 2)', async () => {
    const sqlite = sqliteBackend();
    const other = await sqlite.config();
    const r = await tools(['ad-schema', 'status', '-c', other.file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'ldap_url is empty; the AD schema commands connect with the ldap_* settings',
    );
  });
});

describe('ad-schema extend', () => {
  it('refuses to change the schema without --yes when stdin is not a terminal (exit 2), adding nothing', async () => {
    const dn = dataDn();
    const r = await spawnTools(['ad-schema', 'extend', '--data-dn', dn, '-c', cfg.file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to add 1 missing item (${dn})`);
    expect(r.stderr).toContain('schema additions are permanent');
    expect(await exists(dn)).toBe(false);
  });

  it('asks, adds what is missing and reports it; a second run adds nothing and asks nothing (idempotent)', async () => {
    const dn = dataDn();
    const declined = await tools(['ad-schema', 'extend', '--data-dn', dn, '-c', cfg.file], {
      answers: ['n'],
    });
    expect(declined.code).toBe(1);
    expect(await exists(dn)).toBe(false);
    const r = await tools(['ad-schema', 'extend', '--data-dn', dn, '-c', cfg.file], {
      answers: ['y'],
    });
    expect(r.code).toBe(0);
    expect(r.prompts).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^container\\s+${dn.replace(/[=,]/g, '.')}\\s+added`, 'm'));
    expect(r.stdout).toMatch(/^attribute\s+sMFA-OTP-laststep\s+exists/m);
    expect(r.stdout).toContain('added 1 item(s)');
    for (const child of [dn, `CN=Nonces,${dn}`, `CN=Providers,${dn}`])
      expect(await exists(child)).toBe(true);
    const again = await tools(['ad-schema', 'extend', '--json', '--data-dn', dn, '-c', cfg.file]);
    expect(again.code).toBe(0);
    expect(again.prompts).toEqual([]);
    const report = JSON.parse(again.stdout) as {
      items: { status: string }[];
      changed: boolean;
      complete: boolean;
    };
    expect(report).toMatchObject({ changed: false, complete: true });
    expect([...new Set(report.items.map((i) => i.status))]).toEqual(['exists']);
    const status = await tools(['ad-schema', 'status', '--data-dn', dn, '-c', cfg.file]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('the SecureMFA schema extension is complete');
  });

  it('an account that is not a Schema Admin (--bind-dn / --bind-password-file) is refused with a hint (exit 1)', async () => {
    const password = `Us3r-${tag()}-Pw!`;
    const upn = `plain.${tag()}@adatum.labnet`;
    await createAdUser(dc, upn, { password });
    const pwFile = join(cfg.dir, 'bind-password.txt');
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    const dn = dataDn();
    const r = await tools([
      'ad-schema',
      'extend',
      '--yes',
      '--bind-dn',
      upn,
      '--bind-password-file',
      pwFile,
      '--data-dn',
      dn,
      '-c',
      cfg.file,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the server refused');
    expect(r.stderr).toContain('hint: bind as a member of Schema Admins');
    expect(r.stderr).not.toContain(password);
    expect(await exists(dn)).toBe(false);
    const wrong = join(cfg.dir, 'wrong.txt');
    await writeFile(wrong, 'not-the-password', { mode: 0o600 });
    const bad = await tools([
      'ad-schema',
      'status',
      '--bind-dn',
      upn,
      '--bind-password-file',
      wrong,
      '-c',
      cfg.file,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error: .*(bind|credentials)/i);
    expect(bad.stderr).not.toContain('not-the-password');
    await asAdmin(dc, async (c) => {
      const { searchEntries } = await c.search(`CN=Users,${dc.baseDn}`, {
        filter: `(userPrincipalName=${upn})`,
        attributes: ['1.1'],
      });
      for (const e of searchEntries) await c.del(e.dn);
    });
  });
});
