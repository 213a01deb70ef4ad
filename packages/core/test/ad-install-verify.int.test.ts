/**
 * `install` and `verify` in AD mode against the real Samba AD DC (tools/testenv/samba-dc.sh, with
 * the project's own ad-schema LDIF applied): the store, schema (sMFA-OTP-* attributes) and access
 * (write rights on user objects and in the data container) checks, one line each, and the
 * failures an operator meets — wrong bind password (auth failed), an account without rights
 * (no write access), a directory nobody answers on (unreachable). In-process CLI (memoryIo), a
 * provider whose channel is an authenticator app.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  closedPort,
  createAdUser,
  createOu,
  deleteAdUsers,
  deleteOu,
  releaseSambaDc,
  startSambaDc,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import type { ProviderDefinition } from '../src/adapter/provider-definition.js';
import { memoryIo } from '../src/cli/io.js';
import { runProviderCli } from '../src/cli/program.js';
import type { QrOtpConfig } from '../src/config/types.js';
import { openAdStore } from '../src/store/ad.js';
import type { ProviderRegistration, UserStore } from '../src/store/user-store.js';

jest.setTimeout(60_000);

const definition: ProviderDefinition<QrOtpConfig> = {
  id: 'qr-otp',
  bin: 'securemfa-qr-otp',
  title: 'SecureMFA QR OTP provider',
  version: '9.9.9',
  configFileName: 'SecureMfaOtpProvider.json',
  eventSource: 'Secure MFA OTP',
  createChannel: async () => ({
    mode: 'app',
    name: 'authenticator',
    enrolment: async () => ({ title: 'enrol', message: 'scan' }),
  }),
};

let dc: SambaDc;
/** The suite's own OU: the DC is shared, and other processes' users must not show in its checks. */
let ou: string;
const created: AdTestUser[] = [];
const dirs: string[] = [];

function config(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'smfa-ad-cli-'));
  dirs.push(dir);
  const file = join(dir, definition.configFileName);
  writeFileSync(
    file,
    JSON.stringify({
      company: 'Contoso',
      auth_mode: 'AD',
      ldap_url: dc.url,
      ldap_base_dn: ou,
      ldap_bind_dn: dc.adminDn,
      ldap_bind_password: dc.adminPassword,
      ldap_timeout_ms: '5000',
      data_encryption: 'true',
      data_encryption_passphrase: 'ad-cli-test-passphrase-0001',
      adapter_api_key: 'k'.repeat(48),
      ...extra,
    }),
    { mode: 0o600 },
  );
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dirs[0] ?? tmpdir() });
  const code = await runProviderCli(definition, ['node', definition.bin, ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

function check(out: string, name: string): { line: string; hint: string } {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^(ok|FAIL|skip)\\s+${name}\\s`).test(l));
  const next = lines[i + 1] ?? '';
  return { line: lines[i] ?? '', hint: /^\s+hint: /.test(next) ? next.trim() : '' };
}

/** The registration of this provider before the suite ran (the DC is shared): restored after. */
let previous: ProviderRegistration | undefined;

async function adminStore(): Promise<UserStore> {
  return openAdStore({
    url: dc.url,
    baseDn: dc.baseDn,
    bindDn: dc.adminDn,
    bindPassword: dc.adminPassword,
    timeoutMs: 10_000,
  });
}

beforeAll(async () => {
  dc = await startSambaDc();
  const store = await adminStore();
  try {
    previous = await store.getRegistration(definition.id);
  } finally {
    await store.close();
  }
  ou = await createOu(dc, `smfa-adcli-${uniqueSuffix()}`);
  // A user object for the access check to sample.
  created.push(await createAdUser(dc, `adcli.${uniqueSuffix()}@adatum.labnet`, { container: ou }));
}, 700_000);

afterAll(async () => {
  if (dc !== undefined) {
    // Leave the shared DC's registration as this suite found it.
    const store = await adminStore();
    try {
      if (previous === undefined) await store.unregister(definition.id);
      else await store.register(previous);
    } finally {
      await store.close();
    }
    await deleteAdUsers(dc, created);
    await deleteOu(dc, ou);
  }
  await releaseSambaDc();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 120_000);

describe('install and verify in AD mode (Samba AD DC with the SecureMFA schema)', () => {
  it('install on the main node: store, schema (attributes present), access ok; registered; exit 0', async () => {
    const file = config();
    const r = await cli(['install', '-c', file, '--service-dir', join(dirs[0]!, 'units')]);
    expect([r.code, r.out]).toEqual([0, expect.any(String)]);
    expect(check(r.out, 'store').line).toMatch(
      /^ok\s+store\s+ad ldap:\/\/127\.0\.0\.1:389 OU=smfa-adcli-\w+,DC=adatum,DC=labnet, 0 user\(s\)/,
    );
    expect(check(r.out, 'schema').line).toMatch(
      /^ok\s+schema\s+sMFA-OTP-\* attributes and the sMFA-OTP-User class are in the AD schema/,
    );
    expect(check(r.out, 'access').line).toMatch(/^ok\s+access\s+the account may read and write/);
    expect(check(r.out, 'registration').line).toMatch(
      /^ok\s+registration\s+((re-)?registered qr-otp|qr-otp 9\.9\.9 already registered)/,
    );
  });

  it('verify after install: every store line ok, exit 0', async () => {
    const r = await cli(['verify', '-c', config()]);
    expect(r.code).toBe(0);
    for (const name of ['store', 'schema', 'access', 'registration']) {
      expect(check(r.out, name).line).toMatch(/^ok/);
    }
  });

  it('a wrong bind password: FAIL store "auth failed" with the bind hint; the password is never printed', async () => {
    const r = await cli(['verify', '-c', config({ ldap_bind_password: 'Wrong-AD-pw-77' })]);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(
      /^FAIL\s+store\s+auth failed: LDAP bind to 127\.0\.0\.1:389 failed: invalid credentials \(49\)/,
    );
    expect(store.hint).toContain('check ldap_bind_dn / ldap_bind_password');
    expect(r.out + r.err).not.toContain('Wrong-AD-pw-77');
  });

  it('an account without rights: FAIL access "no write access" naming the attributes and the grant', async () => {
    const password = `Rd-${uniqueSuffix()}-5x!`;
    const reader = await createAdUser(dc, `adreader.${uniqueSuffix()}@adatum.labnet`, { password });
    created.push(reader);
    const r = await cli([
      'verify',
      '-c',
      config({ ldap_bind_dn: reader.upn, ldap_bind_password: password }),
    ]);
    expect(r.code).toBe(1);
    expect(check(r.out, 'store').line).toMatch(/^ok/);
    expect(check(r.out, 'schema').line).toMatch(/^ok/);
    const access = check(r.out, 'access');
    expect(access.line).toMatch(
      /^FAIL\s+access\s+no write access: write sMFA-OTP-secret, .*write sMFA-OTP-laststep/,
    );
    expect(access.hint).toContain('ad-schema/README.md "Permissions"');
  });

  it('nothing listening on the LDAP port: FAIL store "unreachable" at once', async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await cli(['verify', '-c', config({ ldap_url: `ldap://127.0.0.1:${port}` })]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(
      /^FAIL\s+store\s+unreachable: cannot reach LDAP server 127\.0\.0\.1:\d+: ECONNREFUSED/,
    );
    expect(store.hint).toContain('check ldap_url');
  });
});
