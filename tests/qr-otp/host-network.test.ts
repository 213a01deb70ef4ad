// ui_allow_qr_display_from_networks over real sockets (DESIGN "HTTP provider host", seed 003
// "Configuration of network locations for QR code"): QR OTP hosts (createProviderRuntime +
// createRuntimeHost, the code `serve` runs) listening on 127.0.0.1 and on ::1, each on its own
// SQLite file. The client address the allow-list sees is
// - on the hosted page (/mfa): the socket's address, or X-Forwarded-For when the socket is a
//   configured trusted proxy (`trusted_proxies`) — never a header from anyone else;
// - on the adapter API: the `ip` the identity provider states in the body (it holds the bearer
//   key), else the same address as the page.
// Inside the networks the enrolment QR is shown (and decoded by the real `zbarimg`); outside it
// is not, the user is told so, the secret is nowhere in the answer, and event 5553 names the
// address the host decided on.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createProviderRuntime, t, type ProviderRuntime, type QrOtpConfig } from '@securemfa/core';
import { createRuntimeHost, type RuntimeHost } from '@securemfa/core/http';
import { qrOtpProvider } from '@securemfa/qr-otp';
import { captureProviderLog, type CapturedLog } from '../helpers/captured-log.js';
import { decodeQrDataUrl, parseOtpauthUri, requireTool } from '../helpers/e2e-otp-tools.js';
import {
  expectNoInternals,
  http,
  postJson,
  qrConfig,
  type HttpResult,
  openHostedPage,
} from '../helpers/e2e-qr-host.js';

// A project's testTimeout is ignored when jest runs from the repository root: set it here.
jest.setTimeout(60_000);

/** The allowed networks of most nodes: one IPv4 and one IPv6 CIDR, neither holds loopback. */
const LAN = '10.20.0.0/16;2001:db8:20::/48';
const NOT_ALLOWED = t('en', 'enrol.qr_not_allowed');

/** A running QR node whose log records the test reads. */
interface Node {
  runtime: ProviderRuntime<QrOtpConfig>;
  host: RuntimeHost;
  log: CapturedLog;
  /** `http://127.0.0.1:<port>` or `http://[::1]:<port>` */
  base: string;
  apiKey: string;
  close(): Promise<void>;
}

let dir: string;
const nodes: Node[] = [];
let pngCount = 0;

/**
 * Start a node listening on `listenHost` (port 0) with the keys of `extra`.
 *
 * @param listenHost - `127.0.0.1` or `::1`
 * @param extra - config keys (networks, trusted proxies)
 * @returns the node
 */
async function startNode(listenHost: string, extra: Record<string, string>): Promise<Node> {
  const apiKey = randomBytes(32).toString('base64url');
  const config = qrConfig({
    company: 'Adatum Network Test',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, `${randomBytes(6).toString('hex')}.db`),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    ui_customization: 'true',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
    ...extra,
  });
  const log = captureProviderLog('e2e-qr-network', {
    secrets: [apiKey, config.data_encryption_passphrase],
  });
  const runtime = await createProviderRuntime({
    definition: qrOtpProvider,
    config,
    configDir: dir,
    logger: log.logger,
  });
  let host: RuntimeHost;
  try {
    host = await createRuntimeHost(runtime, { configDir: dir, processMetrics: false });
    await host.app.listen({ host: listenHost, port: 0 });
  } catch (err) {
    await runtime.close();
    await log.logger.close();
    throw err;
  }
  const { port } = host.app.server.address() as AddressInfo;
  const node: Node = {
    runtime,
    host,
    log,
    base: listenHost.includes(':')
      ? `http://[${listenHost}]:${port}`
      : `http://${listenHost}:${port}`,
    apiKey,
    async close() {
      await host.app.close();
      await runtime.close();
      await log.logger.close();
    },
  };
  nodes.push(node);
  return node;
}

/** A fresh user (no record yet: begin enrols). */
const newUser = (label: string): string => `${label}.${randomBytes(4).toString('hex')}@adatum.test`;

/** GET the hosted page for `upn` with a valid request JWT, sending `headers`. */
async function openPage(
  node: Node,
  upn: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return openHostedPage(node.base, {
    secret: node.apiKey,
    audience: 'qr-otp',
    upn,
    returnTo: 'https://app.adatum.test/cb',
    state: 'st-net',
    headers,
  });
}

/** POST /adapter/begin; `ip` undefined sends no `ip` field. */
function apiBegin(
  node: Node,
  upn: string,
  ip: string | undefined,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  const body = ip === undefined ? { upn } : { upn, ip };
  return http(`${node.base}/adapter/begin`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${node.apiKey}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** The QR image of an enrolment page, scanned: the secret it carries. */
async function pageShowsQr(r: HttpResult): Promise<string> {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  const img = /src="(data:image\/png;base64,[^"]+)"/.exec(r.text);
  expect(img).not.toBeNull();
  expect(r.text).not.toContain(NOT_ALLOWED);
  pngCount += 1;
  const scanned = await decodeQrDataUrl(img![1]!, dir, `page-${pngCount}`);
  expect(scanned).toMatch(/^otpauth:\/\/totp\//);
  return parseOtpauthUri(scanned).secret;
}

/** An enrolment page without the QR: the user is told why, nothing of the secret is there. */
function pageRefusesQr(r: HttpResult): void {
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/html/);
  expect(r.text).toContain(NOT_ALLOWED);
  expect(r.text).not.toMatch(/data:image\/png/);
  expect(r.text).not.toContain('otpauth://');
  expect(r.text).not.toMatch(/id="manualKey"/);
  expect(expectNoInternals(r.text)).toEqual([]);
}

/** The adapter API's enrolment answer with the QR: the secret it carries (scanned). */
async function apiShowsQr(r: HttpResult): Promise<string> {
  expect(r.status).toBe(200);
  expect(r.json.status).toBe('enroll');
  const e = r.json.presentation.enrollment;
  expect(e).toBeDefined();
  expect(e.qrImage).toMatch(/^data:image\/png;base64,/);
  pngCount += 1;
  const scanned = await decodeQrDataUrl(e.qrImage, dir, `api-${pngCount}`);
  expect(scanned).toBe(e.otpauthUri);
  return parseOtpauthUri(scanned).secret;
}

/** The adapter API's enrolment answer without the QR. */
function apiRefusesQr(r: HttpResult): void {
  expect(r.status).toBe(200);
  expect(r.json.status).toBe('enroll');
  expect(r.json.presentation.enrollment).toBeUndefined();
  expect(r.json.presentation.message).toBe(NOT_ALLOWED);
  expect(r.text).not.toContain('otpauth://');
  expect(r.text).not.toMatch(/data:image\/png/);
}

/** The answer holds the secret in no form (base32 as is, or grouped with spaces). */
function secretAbsent(r: HttpResult, secret: string): void {
  const canonical = secret.replace(/[\s=]/g, '').toUpperCase();
  expect(canonical.length).toBeGreaterThanOrEqual(16);
  expect(r.text.replace(/\s/g, '').toUpperCase()).not.toContain(canonical);
}

/** The addresses of the 5553 "QR not shown" events logged for `upn`. */
async function refusedAddresses(node: Node, upn: string): Promise<unknown[]> {
  await node.log.flush();
  return node.log.records.filter((r) => r.eventId === 5553 && r.upn === upn).map((r) => r.ip);
}

let v4Lan: Node; // 127.0.0.1, no trusted proxy, LAN: a loopback client is outside
let v4Loop: Node; // 127.0.0.1, no trusted proxy, 127.0.0.0/8 allowed
let v6Lan: Node; // ::1, no trusted proxy, LAN: an IPv6 loopback client is outside
let v6Loop: Node; // ::1, no trusted proxy, LAN + ::1/128 allowed
let proxied: Node; // 127.0.0.1, trusted_proxies 127.0.0.1, LAN

beforeAll(async () => {
  requireTool('zbarimg');
  dir = await mkdtemp(join(tmpdir(), 'e2e-qr-net-'));
  [v4Lan, v4Loop, v6Lan, v6Loop, proxied] = await Promise.all([
    startNode('127.0.0.1', { ui_allow_qr_display_from_networks: LAN }),
    startNode('127.0.0.1', { ui_allow_qr_display_from_networks: '127.0.0.0/8' }),
    startNode('::1', { ui_allow_qr_display_from_networks: LAN }),
    startNode('::1', { ui_allow_qr_display_from_networks: `${LAN};::1/128` }),
    startNode('127.0.0.1', {
      ui_allow_qr_display_from_networks: LAN,
      trusted_proxies: '127.0.0.1',
    }),
  ]);
});

afterAll(async () => {
  for (const node of nodes.splice(0)) await node.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('hosted page: the socket address decides (no trusted proxy)', () => {
  it('a client on 127.0.0.1 inside 127.0.0.0/8 gets the QR', async () => {
    await pageShowsQr(await openPage(v4Loop, newUser('v4in')));
  });

  it('a client on 127.0.0.1 outside the networks gets no QR and is told so; the secret shown later to an allowed address is not in the refused page; event 5553 names 127.0.0.1', async () => {
    const upn = newUser('v4out');
    const refused = await openPage(v4Lan, upn);
    pageRefusesQr(refused);
    expect(await refusedAddresses(v4Lan, upn)).toEqual(['127.0.0.1']);
    // The record (and so the secret) exists now; the identity provider begins again for the
    // same user from an allowed address: that secret was not in the refused page.
    const secret = await apiShowsQr(await apiBegin(v4Lan, upn, '10.20.7.7'));
    secretAbsent(refused, secret);
    expect((await v4Lan.runtime.store.get(upn))?.logon).toBe(0);
  });

  it('IPv6 over ::1: a client inside ::1/128 gets the QR, a client outside 2001:db8:20::/48 does not', async () => {
    await pageShowsQr(await openPage(v6Loop, newUser('v6in')));
    const upn = newUser('v6out');
    pageRefusesQr(await openPage(v6Lan, upn));
    expect(await refusedAddresses(v6Lan, upn)).toEqual(['::1']);
  });

  it('spoofing: X-Forwarded-For / Forwarded / X-Real-IP claiming an allowed address are ignored without trusted_proxies', async () => {
    const spoof = {
      'x-forwarded-for': '10.20.1.2',
      forwarded: 'for=10.20.1.2',
      'x-real-ip': '10.20.1.2',
    };
    const upn = newUser('spoof');
    pageRefusesQr(await openPage(v4Lan, upn, spoof));
    const v6upn = newUser('spoof6');
    pageRefusesQr(await openPage(v6Lan, v6upn, { ...spoof, 'x-forwarded-for': '2001:db8:20::1' }));
    // The adapter API without a stated `ip` falls back to the same address: also not spoofable.
    const apiUpn = newUser('spoofapi');
    apiRefusesQr(await apiBegin(v4Lan, apiUpn, undefined, spoof));
    expect(await refusedAddresses(v4Lan, upn)).toEqual(['127.0.0.1']);
    expect(await refusedAddresses(v6Lan, v6upn)).toEqual(['::1']);
    expect(await refusedAddresses(v4Lan, apiUpn)).toEqual(['127.0.0.1']);
  });
});

describe('hosted page behind a trusted proxy (trusted_proxies 127.0.0.1): X-Forwarded-For decides', () => {
  it('a forwarded client inside 10.20.0.0/16 gets the QR', async () => {
    await pageShowsQr(
      await openPage(proxied, newUser('fwd4in'), { 'x-forwarded-for': '10.20.1.2' }),
    );
  });

  it('a forwarded client outside gets no QR and is told so; the same user from inside then gets the secret that the refused page did not show', async () => {
    const upn = newUser('fwd4out');
    const refused = await openPage(proxied, upn, { 'x-forwarded-for': '192.0.2.10' });
    pageRefusesQr(refused);
    expect(await refusedAddresses(proxied, upn)).toEqual(['192.0.2.10']);
    const secret = await pageShowsQr(
      await openPage(proxied, upn, { 'x-forwarded-for': '10.20.200.1' }),
    );
    secretAbsent(refused, secret);
  });

  it('IPv6 through the proxy: a forwarded 2001:db8:20::7 gets the QR, 2001:db8:21::7 does not', async () => {
    await pageShowsQr(
      await openPage(proxied, newUser('fwd6in'), { 'x-forwarded-for': '2001:db8:20::7' }),
    );
    const upn = newUser('fwd6out');
    pageRefusesQr(await openPage(proxied, upn, { 'x-forwarded-for': '2001:db8:21::7' }));
    expect(await refusedAddresses(proxied, upn)).toEqual(['2001:db8:21::7']);
  });

  it('the proxy itself (no X-Forwarded-For) is outside; an allowed address a client put in front of the chain does not count — the address the proxy appended does', async () => {
    const direct = newUser('fwdnone');
    pageRefusesQr(await openPage(proxied, direct));
    expect(await refusedAddresses(proxied, direct)).toEqual(['127.0.0.1']);
    const chained = newUser('fwdchain');
    pageRefusesQr(await openPage(proxied, chained, { 'x-forwarded-for': '10.20.1.2, 192.0.2.44' }));
    expect(await refusedAddresses(proxied, chained)).toEqual(['192.0.2.44']);
  });

  it('the adapter API without a stated ip uses the forwarded address too', async () => {
    await apiShowsQr(
      await apiBegin(proxied, newUser('fwdapiin'), undefined, { 'x-forwarded-for': '10.20.3.4' }),
    );
    const upn = newUser('fwdapiout');
    apiRefusesQr(await apiBegin(proxied, upn, undefined, { 'x-forwarded-for': '198.51.100.9' }));
    expect(await refusedAddresses(proxied, upn)).toEqual(['198.51.100.9']);
  });
});

describe('adapter API: the identity provider states the client ip', () => {
  it('IPv4 and IPv6 addresses inside the CIDRs (an IPv4-mapped IPv6 address too) get the QR, whatever the socket', async () => {
    for (const ip of [
      '10.20.0.1',
      '10.20.255.254',
      '2001:db8:20::1',
      '2001:db8:20:ffff::9',
      '::ffff:10.20.9.9',
    ]) {
      const r = await apiBegin(v4Lan, newUser('idpin'), ip);
      await apiShowsQr(r);
    }
  });

  it('addresses outside the CIDRs get no QR; the stated ip wins over X-Forwarded-For even behind the trusted proxy', async () => {
    const outside = ['10.21.0.1', '192.0.2.1', '2001:db8:21::1', '::1', '127.0.0.1'];
    for (const ip of outside) {
      const upn = newUser('idpout');
      apiRefusesQr(await apiBegin(v4Lan, upn, ip));
      expect(await refusedAddresses(v4Lan, upn)).toEqual([ip]);
    }
    const upn = newUser('idpwins');
    apiRefusesQr(await apiBegin(proxied, upn, '192.0.2.99', { 'x-forwarded-for': '10.20.1.2' }));
    expect(await refusedAddresses(proxied, upn)).toEqual(['192.0.2.99']);
  });

  it('a malformed stated ip fails closed (no QR), it is not an error', async () => {
    const upn = newUser('idpbad');
    const r = await postJson(
      v4Lan.base,
      '/adapter/begin',
      { upn, ip: '10.20.1.2/8' },
      v4Lan.apiKey,
    );
    apiRefusesQr(r);
  });
});
