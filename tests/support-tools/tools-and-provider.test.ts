// securemfa-tools (the built dist/bin.js, as a child process) and a real QR OTP provider node
// (createProviderRuntime + createRuntimeHost on 127.0.0.1) on ONE SQLite store, configured by ONE
// file: what support does with the tools is what sign-ins see — an enrolment made by the tools
// signs in with oathtool's code, disable/unlock/reset change the provider's answers, and after a
// rekey a node with the new passphrase signs the user in.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { openStore } from '@securemfa/core';
import { killAllChildren, runCli, type CliResult } from '../helpers/e2e-cli.js';
import {
  decodeQrDataUrl,
  oathtoolTotp,
  parseOtpauthUri,
  requireTool,
  safeStepNow,
  wrongCode,
} from '../helpers/e2e-otp-tools.js';
import {
  postJson,
  qrConfig,
  startQrNode,
  type HttpResult,
  type QrNode,
} from '../helpers/e2e-qr-host.js';

jest.setTimeout(60_000);

const here = dirname(fileURLToPath(import.meta.url));
const TOOLS = resolve(here, '../../tools/support-tools/dist/bin.js');

let dir: string;
let configFile: string;
let keys: Record<string, string>;
let node: QrNode;
const nodes: QrNode[] = [];
const upn = 'alice@adatum.test';
let secret: string;

const tools = (args: string[]): Promise<CliResult> =>
  runCli(TOOLS, [...args, '-c', configFile], { cwd: dir, timeoutMs: 30_000 });

function ok(r: CliResult): CliResult {
  if (r.code !== 0)
    throw new Error(
      `securemfa-tools exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
    );
  return r;
}

const begin = (n: QrNode = node): Promise<HttpResult> =>
  postJson(n.base, '/adapter/begin', { upn, userAgent: 'tools-e2e' }, keys.adapter_api_key);
const end = (context: string, code: string, n: QrNode = node): Promise<HttpResult> =>
  postJson(n.base, '/adapter/end', { context, code, userAgent: 'tools-e2e' }, keys.adapter_api_key);

async function startNode(json: Record<string, string>): Promise<QrNode> {
  const n = await startQrNode(qrConfig(json), { configDir: dir });
  nodes.push(n);
  return n;
}

beforeAll(async () => {
  requireTool('zbarimg');
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'e2e-tools-'));
  configFile = join(dir, 'SecureMfaOtpProvider.json');
  keys = {
    company: 'Adatum Support',
    auth_mode: 'SQLITE',
    sqlite_path: './otp.db',
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: randomBytes(32).toString('base64url'),
    ui_login_failures: '3',
    ui_lockout_minutes: '5',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
  };
  await writeFile(configFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  // The main node's install creates the schema; here the store is created (migrated) up front.
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'otp.db') });
  await store.close();
  node = await startNode(keys);
});

afterAll(async () => {
  killAllChildren();
  for (const n of nodes) await n.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('support tools and a provider node on one store', () => {
  it('users new: the provider enrols with the same secret, and oathtool’s code signs in', async () => {
    const r = ok(await tools(['users', 'new', upn, '--json']));
    const uri = parseOtpauthUri((JSON.parse(r.stdout) as { otpauthUri: string }).otpauthUri);
    expect(uri.issuer).toBe('Adatum Support');
    secret = uri.secret;
    const b = await begin();
    expect(b.json.status).toBe('enroll');
    const scanned = await decodeQrDataUrl(b.json.presentation.enrollment.qrImage, dir, 'enrol');
    expect(parseOtpauthUri(scanned).secret).toBe(secret);
    const epoch = await safeStepNow(30, 3);
    const e = await end(b.json.context, await oathtoolTotp(secret, epoch));
    expect(e.json.ok).toBe(true);
    const list = ok(await tools(['users', 'list', '--json']));
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        upn,
        enabled: true,
        enrolled: true,
        logoncount: 1,
        lockedUntil: null,
      }),
    ]);
  });

  it('users disable → the provider answers disabled; users enable → it asks for the code again', async () => {
    ok(await tools(['users', 'disable', upn]));
    expect((await begin()).json.status).toBe('disabled');
    ok(await tools(['users', 'enable', upn]));
    expect((await begin()).json.status).toBe('enter_code');
  });

  it('three wrong codes lock the user: users list --locked shows it, users unlock ends it', async () => {
    const epoch = Math.floor(Date.now() / 1000);
    for (let i = 0; i < 3; i += 1) {
      const b = await begin();
      expect(b.json.status).toBe('enter_code');
      const e = await end(b.json.context, await wrongCode(secret, epoch, i));
      // The failure that reaches ui_login_failures already answers `locked`.
      expect(e.json).toMatchObject({ ok: false, reason: i < 2 ? 'invalid_code' : 'locked' });
    }
    expect((await begin()).json.status).toBe('locked');
    const locked = JSON.parse(ok(await tools(['users', 'list', '--locked', '--json'])).stdout) as {
      upn: string;
      lockedUntil: string;
    }[];
    expect(locked.map((u) => u.upn)).toEqual([upn]);
    expect(Date.parse(locked[0]!.lockedUntil)).toBeGreaterThan(Date.now() + 4 * 60_000);
    ok(await tools(['users', 'unlock', upn]));
    expect((await begin()).json.status).toBe('enter_code');
  });

  it('users reset → the provider shows the enrolment QR code again', async () => {
    ok(await tools(['users', 'reset', upn, '--yes']));
    expect((await begin()).json.status).toBe('enroll');
  });

  it('store rekey to a new passphrase: a node configured with it signs the user in; store check agrees', async () => {
    const passFile = join(dir, 'new-passphrase.txt');
    const next = randomBytes(24).toString('base64url');
    await writeFile(passFile, `${next}\n`, { mode: 0o600 });
    const r = ok(
      await tools(['store', 'rekey', '--yes', '--json', '--new-passphrase-file', passFile]),
    );
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 1, rewritten: 1, failures: [] });
    // The old configuration can no longer read the secret…
    expect((await tools(['store', 'check'])).code).toBe(1);
    // …the new one can.
    keys = { ...keys, data_encryption_passphrase: next };
    await writeFile(configFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
    ok(await tools(['store', 'check']));
    const fresh = await startNode(keys);
    const b = await begin(fresh);
    expect(b.json.status).toBe('enroll');
    expect(
      parseOtpauthUri(await decodeQrDataUrl(b.json.presentation.enrollment.qrImage, dir, 'after'))
        .secret,
    ).toBe(secret);
    const epoch = await safeStepNow(30, 3);
    const e = await end(b.json.context, await oathtoolTotp(secret, epoch), fresh);
    expect(e.json.ok).toBe(true);
  });
});
