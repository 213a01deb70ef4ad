// The QR OTP provider end to end over its adapter REST API (DESIGN "HTTP provider host"): a real
// host on 127.0.0.1 (createProviderRuntime + createRuntimeHost, the code `serve` runs), a real
// SQLite file with encrypted secrets, the enrolment QR decoded by the real `zbarimg`, codes made
// by the real `oathtool` — what an identity provider's adapter and a user's phone would do.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { sealContext, signJwt, type QrOtpConfig } from '@securemfa/core';
import { verifyPageResponse } from '@securemfa/core/http';
import {
  decodeQrDataUrl,
  oathtoolTotp,
  parseOtpauthUri,
  requireTool,
  safeStepNow,
  wrongCode,
} from '../helpers/e2e-otp-tools.js';
import {
  expectNoInternals,
  http,
  postJson,
  qrConfig,
  startQrNode,
  type HttpResult,
  type QrNode,
} from '../helpers/e2e-qr-host.js';

// tests/jest.config.js sets 60 s, but a project's testTimeout is ignored when jest runs from the
// repository root (multi-project): set it here so both ways of running give the same bound.
jest.setTimeout(60_000);

const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
const OTP_METHOD = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';
const SUCCESS = { ok: true, claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_METHOD }] };

let dir: string;
let dbPath: string;
let logFile: string;
let apiKey: string;
let passphrase: string;
let config: QrOtpConfig;
let node1: QrNode;
const extraNodes: QrNode[] = [];
let pngCount = 0;

beforeAll(async () => {
  // Missing tools fail the suite here with what to install (never a skip).
  requireTool('zbarimg');
  requireTool('oathtool');
  dir = await mkdtemp(join(tmpdir(), 'e2e-qr-api-'));
  dbPath = join(dir, 'otp.db');
  logFile = join(dir, 'provider.log');
  apiKey = randomBytes(32).toString('base64url'); // 43 characters
  passphrase = randomBytes(18).toString('base64url');
  config = qrConfig({
    company: 'E2E Adatum',
    auth_mode: 'SQLITE',
    sqlite_path: dbPath,
    data_encryption: 'true',
    data_encryption_passphrase: passphrase,
    adapter_api_key: apiKey,
    ui_login_failures: '3',
    ui_lockout_minutes: '5',
    // The suite makes many calls from one address and for a few users within a minute.
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
  });
  node1 = await startQrNode(config, { configDir: dir, logFile });
});

afterAll(async () => {
  for (const node of extraNodes) await node.close();
  await node1?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const begin = (upn: string, node: QrNode = node1): Promise<HttpResult> =>
  postJson(node.base, '/adapter/begin', { upn, userAgent: 'e2e-test' }, apiKey);
const end = (context: string, code: string, node: QrNode = node1): Promise<HttpResult> =>
  postJson(node.base, '/adapter/end', { context, code, userAgent: 'e2e-test' }, apiKey);

/** Begin for a new user and scan the QR: the secret the phone would hold. */
async function enrol(
  upn: string,
  node: QrNode = node1,
): Promise<{ context: string; secret: string }> {
  const r = await begin(upn, node);
  expect(r.status).toBe(200);
  expect(r.json.status).toBe('enroll');
  const { enrollment } = r.json.presentation;
  pngCount += 1;
  const scanned = await decodeQrDataUrl(enrollment.qrImage, dir, `qr-${pngCount}`);
  expect(scanned).toBe(enrollment.otpauthUri);
  return { context: r.json.context as string, secret: parseOtpauthUri(scanned).secret };
}

/** The code the phone shows now, with at least 2 s left in its step. */
async function phoneCode(secret: string): Promise<{ code: string; epoch: number }> {
  const epoch = await safeStepNow(30, 2);
  return { code: await oathtoolTotp(secret, epoch), epoch };
}

describe('enrolment by QR and sign-in (zbarimg + oathtool)', () => {
  const upn = 'alice@adatum.test';
  let secret: string;

  it('begin → enroll with a PNG QR that zbarimg decodes to exactly the otpauth URI; oathtool’s code signs in; the same code is refused as reused', async () => {
    const r = await begin(upn);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json.status).toBe('enroll');
    expect(typeof r.json.context).toBe('string');
    expect(r.json.context.length).toBeGreaterThan(20);
    const p = r.json.presentation;
    expect(typeof p.title).toBe('string');
    expect(typeof p.message).toBe('string');
    expect(p.enrollment.qrImage).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);

    const scanned = await decodeQrDataUrl(p.enrollment.qrImage, dir, 'alice');
    expect(scanned).toBe(p.enrollment.otpauthUri);
    const uri = parseOtpauthUri(scanned);
    expect(uri.type).toBe('totp');
    expect(uri.label).toContain(upn);
    expect(uri.issuer).toBe('E2E Adatum'); // company is the issuer shown in the app
    expect(uri).toMatchObject({ algorithm: 'SHA1', digits: 6, period: 30 });
    secret = uri.secret;

    // data_encryption: the SQLite file holds the secret encrypted, never in clear.
    const stored = await node1.runtime.store.get(upn);
    expect(stored).toBeDefined();
    expect(stored!.logon).toBe(0);
    expect(stored!.secret).not.toContain(secret);
    expect(stored!.secret.startsWith('v2')).toBe(true);
    const dbBytes = await readFile(dbPath);
    expect(dbBytes.includes(Buffer.from(secret))).toBe(false);

    const { code, epoch } = await phoneCode(secret);
    const ok = await end(r.json.context, code);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual(SUCCESS);

    const after = await node1.runtime.store.get(upn);
    expect(after).toMatchObject({
      logon: 1,
      logoncount: 1,
      failedlogoncount: 0,
      useragent: 'e2e-test',
    });
    expect(Math.abs(after!.laststep - Math.floor(epoch / 30))).toBeLessThanOrEqual(1);

    // The same code again, in a new sign-in (new context): the farm-wide reuse guard refuses it.
    const again = await begin(upn);
    expect(again.json.status).toBe('enter_code');
    const reused = await end(again.json.context, code);
    expect(reused.status).toBe(200);
    expect(reused.json).toMatchObject({ ok: false, reason: 'reused_code' });
    expect(typeof reused.json.presentation.message).toBe('string');
    expect(reused.json.claims).toBeUndefined();
    expect((await node1.runtime.store.get(upn))!.logoncount).toBe(1);
  });

  it('after the first success begin says enter_code and never shows the QR again', async () => {
    expect(secret).toBeDefined();
    for (let i = 0; i < 2; i += 1) {
      const r = await begin(upn);
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('enter_code');
      expect(r.json.presentation.enrollment).toBeUndefined();
      expect(r.text).not.toContain('otpauth');
      expect(r.text).not.toContain('data:image/png');
      expect(r.text).not.toContain(secret);
    }
  });

  it('after support resets the logon (store.resetLogon) begin shows the QR again, and it scans', async () => {
    expect(await node1.runtime.store.resetLogon(upn)).toBe(true);
    const r = await begin(upn);
    expect(r.json.status).toBe('enroll');
    const scanned = await decodeQrDataUrl(
      r.json.presentation.enrollment.qrImage,
      dir,
      'alice-reset',
    );
    expect(scanned).toBe(r.json.presentation.enrollment.otpauthUri);
    // Finishing the re-enrolment with the app's code signs in and hides the QR again.
    const { code } = await phoneCode(parseOtpauthUri(scanned).secret);
    expect((await end(r.json.context, code)).json).toEqual(SUCCESS);
    expect((await begin(upn)).json.status).toBe('enter_code');
  });

  it('/metrics counts the successful logins; the log has the OTP success event and no secret', async () => {
    const m = await http(`${node1.base}/metrics`);
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toMatch(/^text\/plain/);
    const line = m.text
      .split('\n')
      .find((l) => l.startsWith('securemfa_logins_total{outcome="success"}'));
    expect(line).toBeDefined();
    expect(Number(line!.split(' ').pop())).toBeGreaterThanOrEqual(2);
    expect(m.text).toMatch(/securemfa_logins_total\{outcome="reused_code"\} [1-9]/);

    const log = await readFile(logFile, 'utf8');
    const records = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.some((r) => r.eventId === 5556 && r.upn === upn)).toBe(true);
    expect(records.some((r) => r.eventId === 5557 && r.upn === upn)).toBe(true);
    expect(log).not.toContain(secret);
    expect(log).not.toContain(apiKey);
    expect(log).not.toContain(passphrase);
  });
});

describe('lockout (ui_login_failures 3, ui_lockout_minutes 5)', () => {
  it('three wrong codes: invalid_code, invalid_code, locked (lockedUntil ≈ now + 5 min); the correct code is refused while locked; unlock lets it in', async () => {
    const upn = 'bob@adatum.test';
    const { context, secret } = await enrol(upn);
    const reasons: string[] = [];
    let lockedBody: HttpResult['json'];
    let lastBad = '';
    const t0 = Date.now();
    for (let i = 0; i < 3; i += 1) {
      const bad = await wrongCode(secret, Math.floor(Date.now() / 1000), i + 1);
      lastBad = bad;
      const r = await end(context, bad);
      expect(r.status).toBe(200);
      expect(r.json.ok).toBe(false);
      reasons.push(r.json.reason);
      lockedBody = r.json;
    }
    expect(reasons).toEqual(['invalid_code', 'invalid_code', 'locked']);
    const until = Date.parse(lockedBody.presentation.lockedUntil);
    expect(Number.isNaN(until)).toBe(false);
    expect(until).toBeGreaterThanOrEqual(t0 + 5 * 60_000 - 2_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 2_000);

    const record = await node1.runtime.store.get(upn);
    expect(record!.failedlogoncount).toBe(3);
    // A wrong code of the configured length (6 digits) is stored as typed, for support staff.
    expect(record!.failedcode).toMatch(/^\d{6}$/);
    expect(record!.failedcode).toBe(lastBad);

    // Even the right code is refused while locked — on this begin's context and on a new one.
    const { code } = await phoneCode(secret);
    const refused = await end(context, code);
    expect(refused.json).toMatchObject({ ok: false, reason: 'locked' });
    expect(refused.json.presentation.lockedUntil).toBe(lockedBody.presentation.lockedUntil);
    const lockedBegin = await begin(upn);
    expect(lockedBegin.json.status).toBe('locked');
    expect(lockedBegin.json.presentation.lockedUntil).toBe(lockedBody.presentation.lockedUntil);
    expect((await end(lockedBegin.json.context, code)).json.reason).toBe('locked');
    expect((await node1.runtime.store.get(upn))!.logon).toBe(0);

    // Control: the code refused above was the right one — after support's unlock it signs in.
    expect(await node1.runtime.store.unlock(upn)).toBe(true);
    const fresh = await phoneCode(secret);
    expect((await end(context, fresh.code)).json).toEqual(SUCCESS);
  });
});

describe('disabled user', () => {
  it('store.setEnabled(upn, false): begin says disabled, end refuses with reason disabled', async () => {
    const upn = 'carol@adatum.test';
    const { context, secret } = await enrol(upn);
    expect(await node1.runtime.store.setEnabled(upn, false)).toBe(true);

    const r = await begin(upn);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('disabled');
    expect(r.json.presentation.enrollment).toBeUndefined();
    expect(r.text).not.toContain('otpauth');

    const { code } = await phoneCode(secret);
    for (const ctx of [context, r.json.context as string]) {
      const e = await end(ctx, code);
      expect(e.status).toBe(200);
      expect(e.json).toMatchObject({ ok: false, reason: 'disabled' });
      expect(typeof e.json.presentation.message).toBe('string');
    }
    expect((await node1.runtime.store.get(upn))!.logon).toBe(0);

    // Control: re-enabled, the same code is accepted.
    expect(await node1.runtime.store.setEnabled(upn, true)).toBe(true);
    expect((await end(context, code)).json).toEqual(SUCCESS);
  });
});

describe('expired context', () => {
  it('a context sealed 20 minutes ago (the runtime’s own sealer) → reason expired', async () => {
    const upn = 'dan@adatum.test';
    const { secret } = await enrol(upn);
    const old = await node1.runtime.sealer.seal(
      { upn, lang: 'en' },
      new Date(Date.now() - 20 * 60_000),
    );
    const { code } = await phoneCode(secret);
    const r = await end(old, code);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: false, reason: 'expired' });
    expect(typeof r.json.presentation.message).toBe('string');
    expect((await node1.runtime.store.get(upn))!.logon).toBe(0); // nothing accepted
  });

  it('a node with an injected clock: begun now, finished 11 minutes later (TTL 600 s) → expired', async () => {
    let offsetMs = 0;
    const clocked = await startQrNode(config, {
      configDir: dir,
      clock: () => new Date(Date.now() + offsetMs),
    });
    extraNodes.push(clocked);
    const upn = 'erin@adatum.test';
    const { context, secret } = await enrol(upn, clocked);
    offsetMs = 11 * 60_000;
    const late = await oathtoolTotp(secret, Math.floor((Date.now() + offsetMs) / 1000));
    const r = await end(context, late, clocked);
    expect(r.json).toMatchObject({ ok: false, reason: 'expired' });
    // Control: on the clock's time a fresh context with the same code succeeds.
    const again = await begin(upn, clocked);
    expect(again.json.status).toBe('enroll');
    expect((await end(again.json.context, late, clocked)).json).toEqual(SUCCESS);
  });
});

describe('malformed and unauthorised requests: 4xx {error, error_description}, no stack', () => {
  const expectError = (r: HttpResult, status: number, error?: string) => {
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(typeof r.json.error).toBe('string');
    expect(typeof r.json.error_description).toBe('string');
    if (error !== undefined) expect(r.json.error).toBe(error);
    expect(expectNoInternals(r.text)).toEqual([]);
  };

  it('a missing or wrong bearer key → 401 on begin, end and metadata', async () => {
    expectError(
      await postJson(node1.base, '/adapter/begin', { upn: 'x@adatum.test' }, undefined),
      401,
      'invalid_token',
    );
    expectError(
      await postJson(node1.base, '/adapter/begin', { upn: 'x@adatum.test' }, `${apiKey}x`),
      401,
      'invalid_token',
    );
    expectError(
      await postJson(node1.base, '/adapter/begin', { upn: 'x@adatum.test' }, apiKey.slice(0, -1)),
      401,
      'invalid_token',
    );
    expectError(
      await postJson(node1.base, '/adapter/end', { context: 'c', code: '123456' }, 'nope'),
      401,
      'invalid_token',
    );
    const basic = await http(`${node1.base}/adapter/begin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${apiKey}` },
      body: JSON.stringify({ upn: 'x@adatum.test' }),
    });
    expectError(basic, 401, 'invalid_token');
    expectError(await http(`${node1.base}/adapter/metadata`), 401, 'invalid_token');
    // Refused requests created no user.
    expect(await node1.runtime.store.get('x@adatum.test')).toBeUndefined();
    // Control: with the key, metadata answers.
    const meta = await http(`${node1.base}/adapter/metadata`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(meta.status).toBe(200);
    expect(meta.json.authenticationMethods).toEqual([OTP_METHOD]);
  });

  it('malformed JSON → 400; a body over 16 KiB → 413; wrong content type → 415', async () => {
    expectError(
      await postJson(node1.base, '/adapter/begin', '{"upn": "a@b.test"', apiKey),
      400,
      'invalid_request',
    );
    expectError(await postJson(node1.base, '/adapter/begin', '', apiKey), 400, 'invalid_request');
    const big = JSON.stringify({ upn: 'big@adatum.test', userAgent: 'x'.repeat(17 * 1024) });
    expectError(await postJson(node1.base, '/adapter/begin', big, apiKey), 413, 'invalid_request');
    // Just under the limit but with an over-long field: a 400 from the schema, not a 413.
    const long = JSON.stringify({ upn: 'big@adatum.test', userAgent: 'x'.repeat(2000) });
    expectError(await postJson(node1.base, '/adapter/begin', long, apiKey), 400, 'invalid_request');
    const xml = await http(`${node1.base}/adapter/begin`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${apiKey}` },
      body: '<upn>big@adatum.test</upn>',
    });
    expectError(xml, 415, 'invalid_request');
    // text/plain is parsed as a string, which is not the JSON object the route needs: 400.
    const text = await http(`${node1.base}/adapter/begin`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${apiKey}` },
      body: 'big@adatum.test',
    });
    expectError(text, 400, 'invalid_request');
    expect(await node1.runtime.store.get('big@adatum.test')).toBeUndefined();
  });

  it('missing, empty or non-string upn; missing context or code → 400', async () => {
    // Strings only: a number, boolean, array or null is not coerced into a user name.
    const upns: unknown[] = [
      undefined,
      '',
      '   ',
      42,
      true,
      null,
      ['n@adatum.test'],
      { a: 1 },
      'a\u0000b@adatum.test',
      'u'.repeat(300),
    ];
    for (const upn of upns) {
      const r = await postJson(
        node1.base,
        '/adapter/begin',
        upn === undefined ? {} : { upn },
        apiKey,
      );
      expectError(r, 400, 'invalid_request');
    }
    for (const name of ['42', 'true', 'null', 'n@adatum.test']) {
      expect(await node1.runtime.store.get(name)).toBeUndefined();
    }
    const { context } = await enrol('ned@adatum.test');
    for (const body of [
      { code: '123456' },
      { context },
      { context: '', code: '123456' },
      { context, code: 123456 },
      { context: 7, code: '123456' },
    ]) {
      expectError(await postJson(node1.base, '/adapter/end', body, apiKey), 400, 'invalid_request');
    }
    // Refused by the schema before the adapter: no failure counted.
    expect((await node1.runtime.store.get('ned@adatum.test'))!.failedlogoncount).toBe(0);
  });

  it('codes "12ab", "12345", "123456789" → 400 invalid_request, each counted as a failure and stored as a marker, never raw', async () => {
    const upn = 'frank@adatum.test';
    const { context } = await enrol(upn);
    // Two malformed codes (counts 1, 2), then unlock so the third is not the locking one.
    const plan: Array<{ code: string; unlockFirst: boolean; count: number; failedcode: string }> = [
      { code: '12ab', unlockFirst: false, count: 1, failedcode: '<non-numeric>' },
      { code: '12345', unlockFirst: false, count: 2, failedcode: '<wrong-length>' },
      { code: '123456789', unlockFirst: true, count: 1, failedcode: '<wrong-length>' },
    ];
    for (const step of plan) {
      if (step.unlockFirst) expect(await node1.runtime.store.unlock(upn)).toBe(true);
      const r = await end(context, step.code);
      expectError(r, 400, 'invalid_request');
      expect(r.json.ok).toBe(false);
      expect(r.json.reason).toBe('invalid_code');
      const record = await node1.runtime.store.get(upn);
      expect(record!.failedlogoncount).toBe(step.count);
      expect(record!.failedcode).toBe(step.failedcode);
      expect(record!.failedlastlogon).not.toBeNull();
    }
    const record = await node1.runtime.store.get(upn);
    expect(record!.failedcode).not.toContain('ab');
    const dbBytes = await readFile(dbPath);
    expect(dbBytes.includes(Buffer.from('12ab'))).toBe(false);
  });

  it('a forged, tampered, truncated or over-long context → 400, and no user is touched', async () => {
    const upn = 'grace@adatum.test';
    const { context, secret } = await enrol(upn);
    const { code } = await phoneCode(secret);
    const forged = await sealContext(
      { upn, lang: 'en' },
      {
        secret: randomBytes(32).toString('base64url'),
        audience: 'qr-otp',
        now: new Date(),
        ttlSeconds: 600,
      },
    );
    const parts = context.split('.');
    const cipherPart = parts[3]!;
    const flipped = cipherPart.startsWith('A')
      ? `B${cipherPart.slice(1)}`
      : `A${cipherPart.slice(1)}`;
    const tampered = [...parts.slice(0, 3), flipped, ...parts.slice(4)].join('.');
    for (const bad of [forged, tampered, context.slice(0, -5), 'not-a-context', 'x'.repeat(9000)]) {
      expectError(await end(bad, code), 400, 'invalid_request');
    }
    const record = await node1.runtime.store.get(upn);
    expect(record).toMatchObject({ logon: 0, failedlogoncount: 0 });
    // Control: the genuine context with the same code signs in.
    expect((await end(context, code)).json).toEqual(SUCCESS);
  });

  it('an unknown route → 404 JSON', async () => {
    expectError(await http(`${node1.base}/no/such/route`), 404, 'not_found');
    expectError(await postJson(node1.base, '/adapter/nope', {}, apiKey), 404, 'not_found');
    // GET on a POST route is not found either (no method leak, no stack).
    expectError(
      await http(`${node1.base}/adapter/begin`, { headers: { authorization: `Bearer ${apiKey}` } }),
      404,
    );
  });
});

describe('health, readiness, security headers', () => {
  it('GET /healthz 200, GET /readyz 200 naming the sqlite store', async () => {
    const h = await http(`${node1.base}/healthz`);
    expect(h.status).toBe(200);
    expect(h.json).toEqual({ status: 'ok' });
    const r = await http(`${node1.base}/readyz`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ready', store: 'sqlite' });
  });

  it('every response carries a CSP without external origins and x-frame-options DENY', async () => {
    const responses = [
      await http(`${node1.base}/healthz`),
      await http(`${node1.base}/no/such/route`),
      await postJson(node1.base, '/adapter/begin', { upn: 'headers@adatum.test' }, apiKey),
      await postJson(node1.base, '/adapter/begin', {}, undefined),
      await http(`${node1.base}/mfa?request=bad`),
    ];
    for (const r of responses) {
      const csp = r.headers.get('content-security-policy');
      expect(csp).not.toBeNull();
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/https?:|\*|\/\//);
      expect(csp).not.toContain('unsafe-inline');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('cache-control')).toBe('no-store');
      // Plain HTTP host: no HSTS.
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('hosted page request JWT (/mfa?request=…)', () => {
  const request = (
    claims: Record<string, unknown>,
    options: { now?: Date; ttl?: number; secret?: string; aud?: string } = {},
  ) =>
    signJwt(
      {
        sub: 'heidi@adatum.test',
        return_to: 'https://app.adatum.test/cb',
        state: 's-123',
        ...claims,
      },
      {
        secret: options.secret ?? apiKey,
        now: options.now ?? new Date(),
        ttlSeconds: options.ttl ?? 300,
        audience: options.aud ?? 'qr-otp',
      },
    );

  const expectHtmlError = (r: HttpResult) => {
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.text).toMatch(/<html[\s>]/i);
    expect(expectNoInternals(r.text)).toEqual([]);
    expect(r.text).not.toContain('ContextError');
    expect(r.text).not.toContain('JWT');
  };

  it('a garbage request → 400 HTML without a stack', async () => {
    expectHtmlError(await http(`${node1.base}/mfa?request=bad.jwt.value`));
    expectHtmlError(await http(`${node1.base}/mfa?request=${'a'.repeat(100)}`));
  });

  it('an expired, wrongly signed or wrong-audience request → 400 HTML; a valid one shows the enrolment page', async () => {
    const expired = await request({}, { now: new Date(Date.now() - 60 * 60_000), ttl: 60 });
    const expiredPage = await http(`${node1.base}/mfa?request=${encodeURIComponent(expired)}`);
    expectHtmlError(expiredPage);
    expect(expiredPage.text).toContain('has expired');
    const wrongKey = await request({}, { secret: randomBytes(32).toString('base64url') });
    const wrongKeyPage = await http(`${node1.base}/mfa?request=${encodeURIComponent(wrongKey)}`);
    expectHtmlError(wrongKeyPage);
    expect(wrongKeyPage.text).toContain('not valid');
    const wrongAud = await request({}, { aud: 'email-otp' });
    expectHtmlError(await http(`${node1.base}/mfa?request=${encodeURIComponent(wrongAud)}`));
    const badReturn = await request({ return_to: 'javascript:alert(1)' });
    expectHtmlError(await http(`${node1.base}/mfa?request=${encodeURIComponent(badReturn)}`));
    // None of the refused requests ran begin (no record was created).
    expect(await node1.runtime.store.get('heidi@adatum.test')).toBeUndefined();

    // Control: the same request, unexpired and correctly signed, renders the QR page.
    const valid = await request({});
    const page = await http(`${node1.base}/mfa?request=${encodeURIComponent(valid)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const img = /src="(data:image\/png;base64,[^"]+)"/.exec(page.text);
    expect(img).not.toBeNull();
    const scanned = await decodeQrDataUrl(img![1]!, dir, 'heidi');
    expect(scanned).toMatch(/^otpauth:\/\/totp\//);
    expect(page.text).not.toMatch(/<script/i);
  });
});

describe('hosted page: the whole sign-in by form posts (no browser)', () => {
  const hidden = (html: string, name: string): string => {
    const m = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(html);
    if (m === null) throw new Error(`no hidden field "${name}" in the page`);
    return m[1]!.replace(/&amp;/g, '&');
  };

  it('GET /mfa shows the QR, POST /mfa with oathtool’s code → 303 to return_to with a response JWT that verifies', async () => {
    const upn = 'olivia@adatum.test';
    const state = `st-${randomBytes(8).toString('hex')}`;
    const token = await signJwt(
      { sub: upn, return_to: 'https://app.adatum.test/cb?x=1', state },
      { secret: apiKey, now: new Date(), ttlSeconds: 300, audience: 'qr-otp' },
    );
    const page = await http(`${node1.base}/mfa?request=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    const img = /src="(data:image\/png;base64,[^"]+)"/.exec(page.text);
    expect(img).not.toBeNull();
    const secret = parseOtpauthUri(await decodeQrDataUrl(img![1]!, dir, 'olivia')).secret;
    const form = new URLSearchParams({
      request: hidden(page.text, 'request'),
      context: hidden(page.text, 'context'),
      page: hidden(page.text, 'page'),
      action: hidden(page.text, 'action'),
    });

    // A wrong code first: the page shows the form again (200), nothing redirects.
    const wrong = new URLSearchParams(form);
    wrong.set('code', await wrongCode(secret, Math.floor(Date.now() / 1000), 99));
    const again = await http(`${node1.base}/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: wrong.toString(),
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('location')).toBeNull();

    form.set('code', (await phoneCode(secret)).code);
    const done = await http(`${node1.base}/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(done.status).toBe(303);
    const location = new URL(done.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('https://app.adatum.test/cb');
    expect(location.searchParams.get('x')).toBe('1');
    const response = await verifyPageResponse(location.searchParams.get('response'), {
      secret: apiKey,
      now: new Date(),
      audience: 'https://app.adatum.test',
      issuer: 'qr-otp',
      expectedState: state,
    });
    expect(response).toMatchObject({ upn, state, amr: ['otp'], authenticationMethod: OTP_METHOD });
    expect(await node1.runtime.store.get(upn)).toMatchObject({
      logon: 1,
      logoncount: 1,
      failedlogoncount: 0,
    });

    // Replaying the same form post: the code is now reused, no second redirect.
    const replay = await http(`${node1.base}/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('location')).toBeNull();
  });
});

describe('farm: a second node on the same SQLite file', () => {
  let node2: QrNode;

  beforeAll(async () => {
    node2 = await startQrNode(config, { configDir: dir });
    extraNodes.push(node2);
  });

  it('finishes a sign-in begun on node 1; node 1 then refuses the same code as reused', async () => {
    expect(node2.base).not.toBe(node1.base);
    const upn = 'ivan@adatum.test';
    const { context, secret } = await enrol(upn, node1);
    const { code } = await phoneCode(secret);
    expect((await end(context, code, node2)).json).toEqual(SUCCESS);
    expect((await begin(upn, node1)).json.status).toBe('enter_code');
    const again = await begin(upn, node1);
    expect((await end(again.json.context, code, node1)).json).toMatchObject({
      ok: false,
      reason: 'reused_code',
    });
  });

  it('the same code sent to both nodes at the same moment: exactly one succeeds', async () => {
    const upn = 'judy@adatum.test';
    const { context, secret } = await enrol(upn, node2);
    const { code } = await phoneCode(secret);
    const results = await Promise.all([end(context, code, node1), end(context, code, node2)]);
    const oks = results.filter((r) => r.json.ok === true);
    const reused = results.filter((r) => r.json.reason === 'reused_code');
    expect(oks).toHaveLength(1);
    expect(reused).toHaveLength(1);
    expect((await node1.runtime.store.get(upn))!.logoncount).toBe(1);
  });

  it('a lockout reached on node 1 holds on node 2 (the counters live in the store)', async () => {
    const upn = 'ken@adatum.test';
    const { context, secret } = await enrol(upn, node1);
    const reasons: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const node = i % 2 === 0 ? node1 : node2;
      const bad = await wrongCode(secret, Math.floor(Date.now() / 1000), 10 + i);
      reasons.push((await end(context, bad, node)).json.reason);
    }
    expect(reasons).toEqual(['invalid_code', 'invalid_code', 'locked']);
    const { code } = await phoneCode(secret);
    expect((await end(context, code, node2)).json.reason).toBe('locked');
    expect((await begin(upn, node2)).json.status).toBe('locked');
  });
});
