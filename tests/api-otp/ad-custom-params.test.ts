// api_customparams_<key> read from a real Active Directory (Samba AD DC on 127.0.0.1, shared by
// lease with the core AD suites): the directory is AD/LDAP when ldap_url is set (store elsewhere)
// or auth_mode is AD, and the store itself otherwise — the JSON body the gateway receives shows
// which one answered. The AD-mode node runs as `securemfa-api-otp serve` (a child process):
// begin → POST with the AD attributes → code → end, and the AD store counted the logon.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createProviderRuntime, createSilentLogger, type ApiOtpConfig } from '@securemfa/core';
import { apiOtpProvider } from '@securemfa/api-otp';
import {
  closedPort,
  createAdUser,
  deleteAdUsers,
  readRaw,
  releaseSambaDc,
  startSambaDc,
  uniqueSuffix,
  type AdTestUser,
  type SambaDc,
} from '@securemfa/testkit';
import { killAllChildren, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { acceptAll, startHttpGateway, type HttpGateway } from '../helpers/http-gateway.js';
import { apiConfig } from '../helpers/http-gateway-config.js';

jest.setTimeout(60_000);

const BIN = fileURLToPath(new URL('../../packages/api-otp/dist/bin.js', import.meta.url));

let dc: SambaDc;
let gw: HttpGateway;
let dir: string;
let user: AdTestUser;
let mail: string;
const created: AdTestUser[] = [];

/** The custom parameters of the manual's example, plus one the user does not have. */
const CUSTOM = {
  api_allparams_inbody: 'true',
  api_customparams_enable: 'true',
  api_customparams_msid: 'mobile',
  api_customparams_naming: 'msDS-cloudExtensionAttribute10',
  api_customparams_login: 'msDS-cloudExtensionAttribute11',
  api_customparams_dept: 'department',
};

beforeAll(async () => {
  dc = await startSambaDc();
  process.stderr.write(`[api-otp ad] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
  dir = await mkdtemp(join(tmpdir(), 'e2e-api-ad-'));
  gw = await startHttpGateway();
  const sfx = uniqueSuffix();
  mail = `dana.${sfx}@mail.example`;
  user = await createAdUser(dc, `Dana.Scully.${sfx}@adatum.labnet`, {
    attributes: {
      mail,
      mobile: '+447700900777',
      'msDS-cloudExtensionAttribute10': 'naming-D1',
      'msDS-cloudExtensionAttribute11': 'login-é✓',
    },
  });
  created.push(user);
}, 700_000);

afterAll(async () => {
  killAllChildren();
  await gw?.close();
  if (dc !== undefined) await deleteAdUsers(dc, created);
  await releaseSambaDc();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 120_000);

beforeEach(() => {
  gw.reset();
  gw.behave(acceptAll);
});

const ldapKeys = () => ({
  ldap_url: dc.url,
  ldap_base_dn: dc.baseDn,
  ldap_bind_dn: dc.adminUpn,
  ldap_bind_password: dc.adminPassword,
  ldap_timeout_ms: '10000',
});

function nodeConfig(extra: Record<string, string>): ApiOtpConfig {
  return apiConfig({
    company: 'Adatum AD',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, `${randomBytes(4).toString('hex')}.db`),
    api_endpoint: `${gw.origin}/prod/`,
    api_timeout: '2000',
    ...CUSTOM,
    ...extra,
  });
}

async function withRuntime<T>(
  config: ApiOtpConfig,
  fn: (rt: Awaited<ReturnType<typeof createProviderRuntime<ApiOtpConfig>>>) => Promise<T>,
): Promise<T> {
  const runtime = await createProviderRuntime({
    definition: apiOtpProvider,
    config,
    configDir: dir,
    logger: createSilentLogger(),
  });
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** The anchor of the test user's UPN. */
const anchorOf = (upn: string) =>
  upn
    .split('@')[0]!
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();

describe('ldap_url set (store: SQLite): the custom attributes come from AD', () => {
  it('the JSON body carries the user’s AD mail, mobile and msDS-cloudExtensionAttribute10/11', async () => {
    await withRuntime(nodeConfig(ldapKeys()), async (rt) => {
      expect(rt.directory.kind).toBe('ldap');
      expect(rt.store.kind).toBe('sqlite');
      const b = await rt.adapter.begin(user.upn, { ip: '198.51.100.4', userAgent: 'ad-test' });
      expect(b.status).toBe('code_sent');
      expect(gw.requests).toHaveLength(1);
      expect(gw.requests[0]!.url).toBe(`/prod/${anchorOf(user.upn)}`);
      const body = JSON.parse(gw.requests[0]!.body);
      expect(body).toMatchObject({
        upn: user.upn,
        email: mail,
        logonip: '198.51.100.4',
        company: 'Adatum AD',
        msid: '+447700900777',
        naming: 'naming-D1',
        login: 'login-é✓',
        dept: '', // not set on the user
      });
      const e = await rt.adapter.end(b.context, body.otp, { ip: '198.51.100.4' });
      expect(e.ok).toBe(true);
    });
  });

  it('the attribute names match case-insensitively (api_customparams_msid: MOBILE)', async () => {
    await withRuntime(
      nodeConfig({ ...ldapKeys(), api_customparams_msid: 'MOBILE' }),
      async (rt) => {
        await rt.adapter.begin(user.upn);
        expect(JSON.parse(gw.requests[0]!.body).msid).toBe('+447700900777');
      },
    );
  });
});

describe('no directory configured: the store answers (mail/mobile of the record only)', () => {
  it('the same user gets empty AD-only attributes, so the values above really came from AD', async () => {
    await withRuntime(nodeConfig({}), async (rt) => {
      expect(rt.directory.kind).toBe('store');
      await rt.store.enrol(user.upn, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', new Date(), {
        mobile: '+440000000000',
      });
      await rt.adapter.begin(user.upn);
      expect(JSON.parse(gw.requests[0]!.body)).toMatchObject({
        email: '',
        msid: '+440000000000',
        naming: '',
        login: '',
      });
    });
  });
});

describe('the directory cannot be reached', () => {
  it('begin fails with ERR_DIRECTORY_UNAVAILABLE and nothing is POSTed', async () => {
    const port = await closedPort();
    await withRuntime(
      nodeConfig({ ...ldapKeys(), ldap_url: `ldap://127.0.0.1:${port}`, ldap_timeout_ms: '1000' }),
      async (rt) => {
        await expect(rt.adapter.begin('nobody@adatum.labnet')).rejects.toMatchObject({
          code: 'ERR_DIRECTORY_UNAVAILABLE',
        });
        expect(gw.requests).toHaveLength(0);
      },
    );
  });
});

describe('auth_mode AD over `securemfa-api-otp serve`', () => {
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.stop();
  });

  it('begin → POST with the AD attributes → end; the AD store counted the logon', async () => {
    const apiKey = randomBytes(32).toString('base64url');
    const file = join(dir, 'SecureMfaApiOtpProvider.json');
    await writeFile(
      file,
      JSON.stringify({
        company: 'Adatum AD',
        auth_mode: 'AD',
        ...ldapKeys(),
        data_encryption_passphrase: randomBytes(18).toString('base64url'),
        adapter_api_key: apiKey,
        api_endpoint: `${gw.origin}/prod`,
        api_timeout: '2000',
        ...CUSTOM,
      }),
    );
    serve = await startServe(BIN, ['serve', '-c', file, '--port', '0'], { cwd: dir });
    expect(serve.stdout()).toMatch(/store: ad/);
    const call = async (path: string, body: unknown) => {
      const res = await fetch(`${serve!.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      return (await res.json()) as Record<string, unknown>;
    };
    const b = await call('/adapter/begin', { upn: user.upn, ip: '198.51.100.9' });
    expect(b.status).toBe('code_sent');
    const body = JSON.parse(gw.requests[0]!.body);
    expect(gw.requests[0]!.url).toBe(`/prod/${anchorOf(user.upn)}`);
    expect(body).toMatchObject({ email: mail, msid: '+447700900777', naming: 'naming-D1' });
    const e = await call('/adapter/end', {
      context: b.context,
      code: body.otp,
      ip: '198.51.100.9',
    });
    expect(e).toMatchObject({ ok: true });
    const raw = await readRaw(dc, user.dn, ['sMFA-OTP-logoncount', 'sMFA-OTP-secret']);
    expect(raw['sMFA-OTP-logoncount']).toEqual(['1']);
    expect(raw['sMFA-OTP-secret']?.[0]).toMatch(/^v2/); // AD mode always encrypts
  });
});
