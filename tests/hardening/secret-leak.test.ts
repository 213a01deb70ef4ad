// Secrets never leak (issue 9): with verboselog on everywhere, every flow runs for real — QR
// enrolment and sign-in over the adapter API and over the hosted page, the win-otp agent
// (validate, sync) against the portal through a recording relay, the API OTP provider against a
// gateway on loopback, the e-mail OTP provider over STARTTLS + AUTH to a real SMTP server, and
// `config check` of every config file. Then every log file, every console output of the
// serve processes and of the agent, every HTTP response (headers and body, signed JWTs
// decoded), every relayed win-otp message and the agent's offline cache file are scanned for
// every secret used: adapter keys, passphrases, the api_headers_value, the SMTP password, every
// user's TOTP secret, every code sent or typed (right and wrong). None may be found — except
// exactly this: the enrolment answer (adapter begin `enroll`, the hosted page's enrolment
// page) holds its own user's TOTP secret and QR, which is what enrolment is.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { signJwt } from '@securemfa/core';
import { killAllChildren, runCli, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { oathtoolTotp, requireTool, safeStepNow, wrongCode } from '../helpers/e2e-otp-tools.js';
import { http, type HttpResult } from '../helpers/e2e-qr-host.js';
import { LeakScanner } from '../helpers/hardening-leaks.js';
import { API_BIN, EMAIL_BIN, QR_BIN, writeConfigFile } from '../helpers/hardening-host.js';
import { acceptAll, startHttpGateway, type HttpGateway } from '../helpers/http-gateway.js';
import { makeSmtpTestPki } from '../helpers/smtp-certs.js';
import { codeInMail, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startRelay, type Relay } from '../helpers/win-relay.js';
import { runAgent, writeAgentConfig } from '../helpers/win-portal-host.js';

jest.setTimeout(120_000);

const scanner = new LeakScanner();
const rand = (n: number): string => randomBytes(n).toString('base64url');

let dir: string;
const serves: ServeProcess[] = [];
const logFiles: Record<string, string> = {};
const configFiles: Record<string, string> = {};
let qr: ServeProcess;
let api: ServeProcess;
let email: ServeProcess;
let gw: HttpGateway;
let smtp: TestSmtpServer;
let relay: Relay;
let responseCount = 0;

const keys = {
  qrApiKey: rand(32),
  qrPassphrase: rand(18),
  portalPassphrase: rand(18),
  portalHeader: rand(24),
  apiApiKey: rand(32),
  apiPassphrase: rand(18),
  gatewayHeader: `gw-${rand(18)}`,
  emailApiKey: rand(32),
  emailPassphrase: rand(18),
  smtpPassword: `pw-${rand(15)}`,
};

/** An HTTP exchange, its response registered for the scan. */
async function call(
  source: string,
  url: string,
  init: RequestInit = {},
  allow: readonly string[] = [],
): Promise<HttpResult> {
  const r = await http(url, init);
  const headers = [...r.headers.entries()].map(([k, v]) => `${k}: ${v}`).join('\n');
  responseCount += 1;
  scanner.add(
    `response ${responseCount} ${source} (${r.status})`,
    `${headers}\n\n${r.text}`,
    allow,
  );
  return r;
}

function postJsonTo(base: string, path: string, body: unknown, key: string): RequestInit {
  void base;
  void path;
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  };
}

const adapterCall = (
  node: ServeProcess,
  key: string,
  path: '/adapter/begin' | '/adapter/end',
  body: unknown,
  allow: readonly string[] = [],
) =>
  call(`${path} ${node.url}`, `${node.url}${path}`, postJsonTo(node.url, path, body, key), allow);

beforeAll(async () => {
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'hardening-leak-'));
  for (const [label, value] of Object.entries(keys)) scanner.secret(label, value);

  gw = await startHttpGateway();
  gw.behave(acceptAll);
  const pki = await makeSmtpTestPki(dir);
  smtp = await startSmtpServer({
    tls: { key: pki.keyPem, cert: pki.certPem },
    auth: { user: 'mfa-sender', password: keys.smtpPassword },
  });

  const common = {
    company: 'Leak Test',
    auth_mode: 'SQLITE',
    data_encryption: 'true',
    verboselog: 'true',
    ui_login_failures: '5',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
  };
  logFiles.qr = join(dir, 'qr.log');
  configFiles.qr = await writeConfigFile(dir, 'SecureMfaOtpProvider.json', {
    ...common,
    sqlite_path: join(dir, 'qr.db'),
    data_encryption_passphrase: keys.qrPassphrase,
    adapter_api_key: keys.qrApiKey,
    win_portal_enable: 'true',
    win_portal_passphrase: keys.portalPassphrase,
    api_headers_value: keys.portalHeader,
    log_file: logFiles.qr,
  });
  logFiles.api = join(dir, 'api.log');
  configFiles.api = await writeConfigFile(dir, 'SecureMfaApiOtpProvider.json', {
    ...common,
    sqlite_path: join(dir, 'api.db'),
    data_encryption_passphrase: keys.apiPassphrase,
    adapter_api_key: keys.apiApiKey,
    api_endpoint: `${gw.origin}/prod/`,
    api_code_text: 'your code:',
    api_auth_endpoint_enabled: 'true',
    api_headers_key: 'x-api-key',
    api_headers_value: keys.gatewayHeader,
    api_timeout: '2000',
    log_file: logFiles.api,
  });
  logFiles.email = join(dir, 'email.log');
  configFiles.email = await writeConfigFile(dir, 'SecureMfaEmailOtpProvider.json', {
    ...common,
    sqlite_path: join(dir, 'email.db'),
    data_encryption_passphrase: keys.emailPassphrase,
    adapter_api_key: keys.emailApiKey,
    smtp_server: '127.0.0.1',
    smtp_port: String(smtp.port),
    smtp_enablessl: 'true',
    smtp_tls_ca_file: pki.caFile,
    smtp_username: 'mfa-sender',
    smtp_password: keys.smtpPassword,
    smtp_mailfrom: 'mfa.no.reply@adatum.test',
    smtp_timeout_ms: '5000',
    log_file: logFiles.email,
  });
  const start = (bin: string, file: string): Promise<ServeProcess> =>
    startServe(bin, ['serve', '-c', file, '--port', '0'], { cwd: dir });
  [qr, api, email] = await Promise.all([
    start(QR_BIN, configFiles.qr),
    start(API_BIN, configFiles.api),
    start(EMAIL_BIN, configFiles.email),
  ]);
  serves.push(qr, api, email);
  relay = await startRelay(qr.url);
}, 90_000);

afterAll(async () => {
  for (const s of serves) await s.stop();
  killAllChildren();
  await relay?.close();
  await gw?.close();
  await smtp?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Enrol over the adapter API; the enrolment answer may hold exactly this user's secret. */
async function enrol(node: ServeProcess, key: string, upn: string, label: string) {
  // The label is registered before the answer is scanned: only this answer may hold it.
  const r = await adapterCall(node, key, '/adapter/begin', { upn }, [`totp ${label}`]);
  expect(r.json.status).toBe('enroll');
  const secret = r.json.presentation.enrollment.secret as string;
  scanner.totp(`totp ${label}`, secret);
  expect(
    scanner.holds(`response ${responseCount} /adapter/begin ${node.url} (200)`, `totp ${label}`),
  ).toBe(true);
  return { context: r.json.context as string, secret };
}

describe('flows with verboselog on', () => {
  it('QR over the adapter API: enrol, wrong code, right code, reused code, begin again', async () => {
    const { context, secret } = await enrol(qr, keys.qrApiKey, 'alice@adatum.test', 'alice');
    const epoch = await safeStepNow(30, 4);
    const bad = await wrongCode(secret, epoch, 1);
    const good = await oathtoolTotp(secret, epoch);
    scanner.code('alice wrong', bad);
    scanner.code('alice right', good);
    const w = await adapterCall(qr, keys.qrApiKey, '/adapter/end', { context, code: bad });
    expect(w.json).toMatchObject({ ok: false, reason: 'invalid_code' });
    const ok = await adapterCall(qr, keys.qrApiKey, '/adapter/end', { context, code: good });
    expect(ok.json.ok).toBe(true);
    const again = await adapterCall(qr, keys.qrApiKey, '/adapter/end', { context, code: good });
    expect(again.json).toMatchObject({ ok: false, reason: 'reused_code' });
    const b = await adapterCall(qr, keys.qrApiKey, '/adapter/begin', { upn: 'alice@adatum.test' });
    expect(b.json.status).toBe('enter_code');
    await call('metrics', `${qr.url}/metrics`);
  });

  it('QR over the hosted page: request JWT, enrolment page, wrong code, right code → response JWT', async () => {
    const now = new Date();
    const request = await signJwt(
      { sub: 'bob@adatum.test', return_to: 'https://app.adatum.test/cb', state: rand(12) },
      { secret: keys.qrApiKey, now, ttlSeconds: 300, audience: 'qr-otp' },
    );
    const page = await call('GET /mfa enrolment', `${qr.url}/mfa?request=${request}`, {}, [
      'totp bob',
    ]);
    expect(page.status).toBe(200);
    // The key shown for manual entry, or else the one in the page's otpauth link.
    const shown =
      /<code id="manualKey">([A-Z2-7 ]+)<\/code>/.exec(page.text)?.[1] ??
      /otpauth:\/\/totp\/[^"]*[?&](?:amp;)?secret=([A-Z2-7]+)/i.exec(page.text)?.[1];
    expect(shown).toBeDefined();
    const secret = shown!.replace(/ /g, '').toUpperCase();
    scanner.totp('totp bob', secret);
    const hidden = (name: string): string =>
      new RegExp(`name="${name}" value="([^"]*)"`).exec(page.text)?.[1]?.replace(/&amp;/g, '&') ??
      '';
    const form = (code: string) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        request: hidden('request'),
        context: hidden('context'),
        page: hidden('page'),
        action: 'verify',
        code,
      }).toString(),
    });
    const epoch = await safeStepNow(30, 4);
    const bad = await wrongCode(secret, epoch, 2);
    const good = await oathtoolTotp(secret, epoch);
    scanner.code('bob wrong', bad);
    scanner.code('bob right', good);
    // Bob has not finished enrolment: the page answering his wrong code is the enrolment page
    // again (QR and key, so he can still scan it) — an enrolment answer, allowed his secret.
    const wrong = await call('POST /mfa wrong code', `${qr.url}/mfa`, form(bad), ['totp bob']);
    expect(wrong.status).toBe(200);
    expect(wrong.text).toMatch(/id="manualKey"|otpauth:\/\//);
    expect(scanner.holds(`response ${responseCount} POST /mfa wrong code (200)`, 'totp bob')).toBe(
      true,
    );
    const right = await call('POST /mfa right code', `${qr.url}/mfa`, form(good));
    expect(right.status).toBe(303);
    expect(right.headers.get('location')).toMatch(/^https:\/\/app\.adatum\.test\/cb\?response=eyJ/);
  });

  it('win-otp agent through a recording relay: validate wrong, validate right, sync (offline secret cached)', async () => {
    const { context, secret } = await enrol(qr, keys.qrApiKey, 'carol@adatum.test', 'carol');
    const epoch = await safeStepNow(30, 6);
    const first = await oathtoolTotp(secret, epoch - 30);
    scanner.code('carol first', first);
    const done = await adapterCall(qr, keys.qrApiKey, '/adapter/end', { context, code: first });
    expect(done.json.ok).toBe(true);

    const agentFile = join(dir, 'agent.json');
    await writeAgentConfig(
      agentFile,
      relay.base,
      {
        passphrase: keys.portalPassphrase,
        apiHeadersValue: keys.portalHeader,
        adapterApiKey: keys.qrApiKey,
      },
      {
        verboselog: true,
        log_file: join(dir, 'agent.log'),
        offline_cache_file: join(dir, 'agent-cache.bin'),
      } as never,
    );
    const bad = await wrongCode(secret, epoch, 3);
    const now = await oathtoolTotp(secret, epoch);
    const next = await oathtoolTotp(secret, epoch + 30);
    scanner.code('carol wrong', bad);
    scanner.code('carol validate', now);
    scanner.code('carol sync', next);
    const runs = [
      await runAgent(['validate', '--user', 'carol', '--code', bad, '-c', agentFile], { cwd: dir }),
      await runAgent(['validate', '--user', 'carol', '-c', agentFile], {
        cwd: dir,
        stdin: `${now}\n`,
      }),
      await runAgent(['sync', '--user', 'carol', '--code', next, '--json', '-c', agentFile], {
        cwd: dir,
      }),
    ];
    expect(runs.map((r) => r.code)).toEqual([1, 0, 0]);
    runs.forEach((r, i) => scanner.add(`agent run ${i} stdout+stderr`, `${r.stdout}\n${r.stderr}`));
    expect(relay.exchanges.length).toBe(3);
    relay.exchanges.forEach((x, i) => {
      // The request's x-api-key header IS the agent's credential on the wire (as a bearer
      // token is): the request body — the sealed message with the code — must not show it.
      expect(x.requestHeaders['x-api-key']).toBe(keys.portalHeader);
      scanner.add(`relay ${i} request body`, x.requestBody.toString('latin1'));
      scanner.add(
        `relay ${i} response`,
        `${JSON.stringify(x.responseHeaders)}\n${x.responseBody.toString('latin1')}`,
      );
    });
    scanner.add(
      'agent offline cache file',
      (await readFile(join(dir, 'agent-cache.bin'))).toString('latin1'),
    );
    scanner.add('agent log', await readFile(join(dir, 'agent.log'), 'utf8'));
  });

  it('API OTP: code to the gateway, wrong code, right code', async () => {
    const upn = 'dave@adatum.test';
    const b = await adapterCall(api, keys.apiApiKey, '/adapter/begin', { upn });
    expect(b.json.status).toBe('code_sent');
    const sent = /your code: (\d{6})/.exec(gw.requests.at(-1)!.body)?.[1];
    expect(sent).toMatch(/^\d{6}$/);
    scanner.code('dave sent', sent!);
    const bad = sent === '000000' ? '000001' : '000000';
    scanner.code('dave wrong', bad);
    const w = await adapterCall(api, keys.apiApiKey, '/adapter/end', {
      context: b.json.context,
      code: bad,
    });
    expect(w.json).toMatchObject({ ok: false, reason: 'invalid_code' });
    const ok = await adapterCall(api, keys.apiApiKey, '/adapter/end', {
      context: b.json.context,
      code: sent,
    });
    expect(ok.json.ok).toBe(true);
  });

  it('e-mail OTP: code over STARTTLS + AUTH, wrong code, right code', async () => {
    const upn = 'erin@adatum.test';
    const b = await adapterCall(email, keys.emailApiKey, '/adapter/begin', { upn });
    expect(b.json.status).toBe('code_sent');
    const [mail] = await smtp.waitForMails(1, 15_000);
    expect(smtp.auths.some((a) => a.ok && a.secure)).toBe(true);
    const sent = codeInMail(mail!);
    scanner.code('erin sent', sent);
    const bad = sent === '000000' ? '000001' : '000000';
    scanner.code('erin wrong', bad);
    const w = await adapterCall(email, keys.emailApiKey, '/adapter/end', {
      context: b.json.context,
      code: bad,
    });
    expect(w.json).toMatchObject({ ok: false, reason: 'invalid_code' });
    const ok = await adapterCall(email, keys.emailApiKey, '/adapter/end', {
      context: b.json.context,
      code: sent,
    });
    expect(ok.json.ok).toBe(true);
  });

  it('config check of every config (verboselog on) prints the secrets masked', async () => {
    for (const [name, bin] of [
      ['qr', QR_BIN],
      ['api', API_BIN],
      ['email', EMAIL_BIN],
    ] as const) {
      const r = await runCli(bin, ['config', 'check', '-c', configFiles[name]!], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('********');
      scanner.add(`config check ${name}`, `${r.stdout}\n${r.stderr}`);
      const j = await runCli(bin, ['config', 'check', '--json', '-c', configFiles[name]!], {
        cwd: dir,
      });
      scanner.add(`config check --json ${name}`, `${j.stdout}\n${j.stderr}`);
    }
  });
});

describe('the scan', () => {
  it('the scanner finds a planted secret as written, in groups of four, as a code, and inside a JWT claim', () => {
    const canary = new LeakScanner();
    canary.secret('key', 'Kx9-planted-key-value');
    canary.totp('totp', 'JBSWY3DPEHPK3PXPJBSWY3DP');
    canary.code('code', '493817');
    const jwtPayload = Buffer.from(JSON.stringify({ k: 'Kx9-planted-key-value' })).toString(
      'base64url',
    );
    canary.add('a', `{"message":"x","v":"Kx9-planted-key-value"}`);
    canary.add('b', '<code>JBSW Y3DP EHPK 3PXP JBSW Y3DP</code>');
    canary.add('c', '"failedcode":"493817"');
    canary.add('d', `Location: https://x/?response=eyJhbGciOiJIUzI1NiJ9.${jwtPayload}.sig`);
    canary.add('e', 'port 14938170 and 4938171 and 2026-12-02T13:49:38.170Z');
    expect(canary.findings().map((f) => `${f.source}:${f.secret}`)).toEqual([
      'a:key',
      'b:totp',
      'c:code',
      'd:key',
    ]);
  });

  it('finds no secret, passphrase, password, key, TOTP secret or code in any log, output or response (enrolment answers excepted for their own user only)', async () => {
    for (const s of serves) await s.stop();
    for (const [name, file] of Object.entries(logFiles)) {
      const text = await readFile(file, 'utf8');
      // Every flow's OTP success and failure events are there (the scan reads real records) …
      expect(text).toContain('"eventId":5556');
      expect(text).toContain('"eventId":5557');
      // … and verboselog is on: the API channel's debug records about each POST are there too.
      if (name === 'api') expect(text).toContain('"level":"debug"');
      scanner.add(`log file ${name}`, text);
    }
    serves.forEach((s, i) =>
      scanner.add(`serve ${i} stdout+stderr`, `${s.stdout()}\n${s.stderr()}`),
    );
    const counts = scanner.counts;
    expect(counts.secrets).toBeGreaterThanOrEqual(13);
    expect(counts.codes).toBeGreaterThanOrEqual(11);
    process.stdout.write(
      `[hardening] leak scan: ${counts.secrets} secrets and ${counts.codes} codes looked for in ${counts.texts} texts (${counts.bytes} characters): ${scanner.findings().length} found\n`,
    );
    expect(scanner.findings()).toEqual([]);
  });
});
