// The win-otp portal route in-process (a host on 127.0.0.1, memory store): the wire contract, the
// header check, the one uninformative rejection, and that validation goes through the adapter's
// accept path (reuse guard, failures, lockout). The end-to-end suites in tests/win-otp run the
// agent against a listening host over real sockets.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import {
  checkConfig,
  createProviderRuntime,
  createSilentLogger,
  createWinEnvelope,
  generateTotp,
  MemoryStore,
  openWinResponse,
  sealWinRequest,
  type ProviderRuntime,
  type QrOtpConfig,
  type WinRequestBody,
} from '@securemfa/core';
import { createRuntimeHost } from '@securemfa/core/http';
import { qrOtpProvider } from './definition.js';
import { WIN_PORTAL_PATH, winPortalExtensions } from './win-portal.js';

const apiKey = randomBytes(24).toString('base64url');
const portalPassphrase = randomBytes(18).toString('base64url');
const storePassphrase = randomBytes(18).toString('base64url');
const agentEnvelope = createWinEnvelope({ passphrase: portalPassphrase });

function config(extra: Record<string, unknown> = {}): QrOtpConfig {
  const r = checkConfig('qr-otp', {
    auth_mode: 'SQLITE',
    data_encryption: 'true',
    data_encryption_passphrase: storePassphrase,
    adapter_api_key: randomBytes(24).toString('base64url'),
    ui_login_failures: '3',
    ui_lockout_minutes: '5',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
    win_portal_enable: 'true',
    win_portal_passphrase: portalPassphrase,
    api_headers_value: apiKey,
    ...extra,
  });
  if (r.errors !== undefined) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.config;
}

interface Node {
  runtime: ProviderRuntime<QrOtpConfig>;
  app: Awaited<ReturnType<typeof createRuntimeHost>>['app'];
  store: MemoryStore;
  base: string;
}
const nodes: Node[] = [];

async function startNode(cfg: QrOtpConfig, store = new MemoryStore()): Promise<Node> {
  const runtime = await createProviderRuntime({
    definition: qrOtpProvider,
    config: cfg,
    configDir: process.cwd(),
    logger: createSilentLogger(),
    store,
  });
  const { app } = await createRuntimeHost(runtime, {
    configDir: process.cwd(),
    processMetrics: false,
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const node = { runtime, app, store, base: `http://127.0.0.1:${port}` };
  nodes.push(node);
  return node;
}

afterAll(async () => {
  for (const n of nodes) {
    await n.app.close();
    await n.runtime.close();
  }
});

const now = (): number => Math.floor(Date.now() / 1000);
const code = (secret: string, offsetSeconds = 0): string =>
  generateTotp({ secret, epoch: now() + offsetSeconds });

/** Enrol through the adapter (QR shown, first code of the previous step confirms it). */
async function enrol(node: Node, upn: string): Promise<string> {
  const begun = await node.runtime.adapter.begin(upn);
  expect(begun.status).toBe('enroll');
  const secret = (begun.presentation.enrollment as { secret: string }).secret;
  const done = await node.runtime.adapter.end(begun.context, code(secret, -30));
  expect(done.ok).toBe(true);
  return secret;
}

/** A response read completely (status, headers, JSON body). */
interface Reply {
  statusCode: number;
  headers: Headers;
  json(): unknown;
}

async function post(node: Node, payload: unknown, key: string | null = apiKey): Promise<Reply> {
  const res = await fetch(`${node.base}${WIN_PORTAL_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { 'x-api-key': key }),
    },
    body: JSON.stringify(payload),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { statusCode: res.status, headers: res.headers, json: () => JSON.parse(text) as unknown };
}

/** What an agent does: seal, post, open the answer against the state it sent. */
async function ask(node: Node, body: WinRequestBody) {
  const sealed = sealWinRequest(agentEnvelope, body, { now: new Date() });
  const res = await post(node, { envelope: sealed.envelope });
  expect(res.statusCode).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  return openWinResponse(agentEnvelope, (res.json() as { envelope: string }).envelope, {
    state: sealed.state,
    now: new Date(),
  });
}

let node: Node;
beforeAll(async () => {
  node = await startNode(config());
});

describe('POST /api/v1/win/validate', () => {
  it('is not served when win_portal_enable is off', async () => {
    const off = await startNode(config({ win_portal_enable: 'false' }));
    const res = await post(off, { envelope: 'w1.x' });
    expect(res.statusCode).toBe(404);
  });

  it('refuses to start enabled without api_headers_value, or without any passphrase', () => {
    const cfg = config();
    const cases: Array<Partial<QrOtpConfig>> = [
      { api_headers_value: '' },
      { win_portal_passphrase: '', data_encryption_passphrase: '' },
    ];
    for (const change of cases) {
      expect(() =>
        winPortalExtensions(
          { config: { ...cfg, ...change }, logger: createSilentLogger(), clock: () => new Date() },
          { step: 30, digits: 6, algorithm: 'SHA1' },
        ),
      ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', exitCode: 2 }));
    }
  });

  it('seals with data_encryption_passphrase when win_portal_passphrase is empty (seed 004), with a warning', async () => {
    const r = checkConfig('qr-otp', {
      data_encryption: 'true',
      data_encryption_passphrase: storePassphrase,
      win_portal_enable: 'true',
      api_headers_value: apiKey,
    });
    expect(r.errors).toBeUndefined();
    expect(r.warnings.map((w) => w.key)).toContain('win_portal_passphrase');
    const shared = await startNode(config({ win_portal_passphrase: '' }));
    const agent = createWinEnvelope({ passphrase: storePassphrase });
    const sealed = sealWinRequest(
      agent,
      { op: 'validate', upn: 'nobody@example.test', code: '123456' },
      { now: new Date() },
    );
    const res = await post(shared, { envelope: sealed.envelope }, apiKey);
    expect(res.statusCode).toBe(200); // opened and answered: the keys agree
    const wrong = sealWinRequest(
      agentEnvelope,
      { op: 'validate', upn: 'nobody@example.test', code: '123456' },
      { now: new Date() },
    );
    expect((await post(shared, { envelope: wrong.envelope }, apiKey)).statusCode).toBe(400);
  });

  it('answers 401 without or with a wrong x-api-key, before looking at the message', async () => {
    const sealed = sealWinRequest(
      agentEnvelope,
      { op: 'validate', upn: 'a@b.c', code: '1' },
      { now: new Date() },
    );
    for (const key of [null, 'wrong', `${apiKey}x`]) {
      const res = await post(node, { envelope: sealed.envelope }, key);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: 'invalid_token',
        error_description: 'missing or invalid x-api-key header',
      });
    }
  });

  it('answers one uninformative 400 for garbage, a flipped byte, another passphrase and a replay', async () => {
    const rejected = { error: 'invalid_message', error_description: 'the message was rejected' };
    const body = { op: 'validate', upn: 'nobody@adatum.labnet', code: '123456' } as const;
    const sealed = sealWinRequest(agentEnvelope, body, { now: new Date() });
    const first = await post(node, { envelope: sealed.envelope });
    expect(first.statusCode).toBe(200);
    const replay = await post(node, { envelope: sealed.envelope });
    const flipped = Buffer.from(sealed.envelope.slice(3), 'base64url');
    flipped[20] = flipped[20]! ^ 0x80;
    const other = sealWinRequest(createWinEnvelope({ passphrase: 'another passphrase' }), body, {
      now: new Date(),
    });
    const stale = sealWinRequest(agentEnvelope, body, { now: new Date(Date.now() - 121_000) });
    for (const res of [
      replay,
      await post(node, { envelope: `w1.${flipped.toString('base64url')}` }),
      await post(node, { envelope: other.envelope }),
      await post(node, { envelope: stale.envelope }),
      await post(node, { envelope: 'w1.AAAA' }),
    ]) {
      expect([res.statusCode, res.json()]).toEqual([400, rejected]);
    }
    const malformed = await post(node, { envelope: 42 });
    expect(malformed.statusCode).toBe(400);
  });

  it('rejects a replay to another node of the farm (shared seen-state cache)', async () => {
    const farmStore = new MemoryStore();
    const a = await startNode(config(), farmStore);
    const b = await startNode(config(), farmStore);
    const sealed = sealWinRequest(
      agentEnvelope,
      { op: 'validate', upn: 'x@adatum.labnet', code: '1' },
      { now: new Date() },
    );
    expect((await post(a, { envelope: sealed.envelope })).statusCode).toBe(200);
    expect((await post(b, { envelope: sealed.envelope })).statusCode).toBe(400);
  });

  it('validates through the adapter: accepted, reused, wrong (the same failure counter), lockout', async () => {
    const upn = 'carol@adatum.labnet';
    const secret = await enrol(node, upn);
    const good = code(secret);
    const accepted = await ask(node, { op: 'validate', upn, code: good });
    expect(accepted).toMatchObject({ ok: true });
    expect(accepted.laststep).toBe((await node.store.get(upn))!.laststep);
    expect(accepted.offline).toBeUndefined();
    expect(await ask(node, { op: 'validate', upn, code: good })).toMatchObject({
      ok: false,
      reason: 'reused_code',
    });
    const wrong = String((Number(code(secret, 120)) + 1) % 1_000_000).padStart(6, '0');
    expect(await ask(node, { op: 'validate', upn, code: wrong })).toMatchObject({
      ok: false,
      reason: 'invalid_code',
    });
    expect((await node.store.get(upn))!.failedlogoncount).toBe(1);
    await ask(node, { op: 'validate', upn, code: wrong });
    expect(await ask(node, { op: 'validate', upn, code: wrong })).toMatchObject({
      ok: false,
      reason: 'locked',
    });
    expect(await ask(node, { op: 'validate', upn, code: code(secret, 30) })).toMatchObject({
      ok: false,
      reason: 'locked',
    });
  });

  it('serves only users who finished enrolment, and never creates a record', async () => {
    expect(
      await ask(node, { op: 'validate', upn: 'stranger@adatum.labnet', code: '123456' }),
    ).toEqual(expect.objectContaining({ ok: false, reason: 'not_enrolled' }));
    expect(await node.store.get('stranger@adatum.labnet')).toBeUndefined();
    await node.runtime.adapter.begin('halfway@adatum.labnet'); // QR shown, never confirmed
    expect(
      await ask(node, { op: 'sync', upn: 'halfway@adatum.labnet', code: '123456' }),
    ).toMatchObject({ ok: false, reason: 'not_enrolled' });
  });

  it('sync with a valid code returns the secret and the verifier’s TOTP parameters', async () => {
    const upn = 'dave@adatum.labnet';
    const secret = await enrol(node, upn);
    const r = await ask(node, { op: 'sync', upn, code: code(secret) });
    expect(r).toMatchObject({
      ok: true,
      offline: { secret, step: 30, digits: 6, algorithm: 'SHA1' },
    });
    expect(await ask(node, { op: 'sync', upn, code: '000000' })).toMatchObject({ ok: false });
  });

  it('win_portal_allow_sync false: sync is refused before the code is spent', async () => {
    const noSync = await startNode(config({ win_portal_allow_sync: 'false' }));
    const upn = 'erin@adatum.labnet';
    const secret = await enrol(noSync, upn);
    const c = code(secret);
    const r = await ask(noSync, { op: 'sync', upn, code: c });
    expect(r).toEqual(expect.objectContaining({ ok: false, reason: 'sync_disabled' }));
    expect(r.offline).toBeUndefined();
    expect(await ask(noSync, { op: 'validate', upn, code: c })).toMatchObject({ ok: true });
  });
});
