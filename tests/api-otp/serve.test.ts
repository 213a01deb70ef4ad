// The API OTP provider end to end over the HTTP API of `securemfa-api-otp serve` (a real child
// process, a real SQLite file): begin → the gateway on 127.0.0.1 receives the POST at
// /prod/<anchor> with the configured body and header → the code taken from that POST → end
// succeeds. Plus what the user is shown when the gateway refuses, fails or hangs (and event 5553
// in the log, with no code or key in it), the JSON body with custom attributes from the store
// directory, `install` + `verify` (HEAD, no code sent), and the manual's sample config.
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  createProviderRuntime,
  createSilentLogger,
  generateSecret,
  loadConfig,
  MemoryStore,
  openStore,
  type ApiOtpConfig,
} from '@securemfa/core';
import { apiOtpProvider, createHttpChannel } from '@securemfa/api-otp';
import { closedPort } from '@securemfa/testkit';
import { killAllChildren, runCli, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { apiConfig } from '../helpers/http-gateway-config.js';
import {
  acceptAll,
  startHttpGateway,
  type GatewayRequest,
  type HttpGateway,
} from '../helpers/http-gateway.js';

jest.setTimeout(60_000);

const BIN = fileURLToPath(new URL('../../packages/api-otp/dist/bin.js', import.meta.url));
const SEED = fileURLToPath(
  new URL(
    '../../tools/testkit/fixtures/seeds/SecureMfaApiOtpProvider.seed000.json',
    import.meta.url,
  ),
);
const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
const OTP_METHOD = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';
const HEADER_VALUE = `gw-${randomBytes(12).toString('hex')}`;

let dir: string;
let gw: HttpGateway;
let apiKey: string;
let textServe: ServeProcess;
let jsonServe: ServeProcess;
let textConfigFile: string;
let textLog: string;

/** The seed's key style: every value a string. */
function baseConfig(extra: Record<string, string>): Record<string, string> {
  return {
    company: 'Adatum E2E',
    auth_mode: 'SQLITE',
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    api_timeout: '1500',
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
    ...extra,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-api-serve-'));
  apiKey = randomBytes(32).toString('base64url');
  gw = await startHttpGateway();
  textLog = join(dir, 'text-provider.log');
  textConfigFile = join(dir, 'SecureMfaApiOtpProvider.json');
  await writeFile(
    textConfigFile,
    JSON.stringify(
      baseConfig({
        sqlite_path: join(dir, 'text.db'),
        api_endpoint: `${gw.origin}/prod/`,
        api_code_text: 'securemfa api otp code:',
        api_auth_endpoint_enabled: 'true',
        api_headers_key: 'x-api-key',
        api_headers_value: HEADER_VALUE,
        api_allparams_inbody: 'false',
        verboselog: 'true',
        log_file: textLog,
      }),
      null,
      2,
    ),
  );
  // The JSON node: custom attributes from the store directory (no AD configured), so the user's
  // record carries them — written before the node starts, as support-tools would.
  const jsonDb = join(dir, 'json.db');
  const store = await openStore({ kind: 'sqlite', path: jsonDb, migrate: true });
  await store.enrol('Carol.Jones@adatum.labnet', generateSecret(), new Date(), {
    email: 'carol@mail.example',
    mobile: '+447700900555',
  });
  await store.close();
  const jsonConfigFile = join(dir, 'json.json');
  await writeFile(
    jsonConfigFile,
    JSON.stringify(
      baseConfig({
        sqlite_path: jsonDb,
        data_encryption: 'false',
        api_endpoint: `${gw.origin}/prod`, // no trailing slash
        api_allparams_inbody: 'true',
        api_customparams_enable: 'true',
        api_customparams_msid: 'mobile',
        api_customparams_naming: 'msDS-cloudExtensionAttribute10',
      }),
    ),
  );
  [textServe, jsonServe] = await Promise.all([
    startServe(BIN, ['serve', '-c', textConfigFile, '--port', '0'], { cwd: dir }),
    startServe(BIN, ['serve', '-c', jsonConfigFile, '--port', '0'], { cwd: dir }),
  ]);
});

afterAll(async () => {
  await textServe?.stop();
  await jsonServe?.stop();
  killAllChildren();
  await gw?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  gw.reset();
  gw.behave(acceptAll);
});

/** A wire JSON reply (shape asserted by the tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, asserted by the tests
type Reply = { status: number; json: any };

async function post(base: string, path: string, body: unknown): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, json: await res.json() };
}
const begin = (node: ServeProcess, upn: string) =>
  post(node.url, '/adapter/begin', { upn, ip: '203.0.113.7', userAgent: 'e2e-browser/1.0' });
const end = (node: ServeProcess, context: string, code: string) =>
  post(node.url, '/adapter/end', {
    context,
    code,
    ip: '203.0.113.7',
    userAgent: 'e2e-browser/1.0',
  });

/** The code in the text body the gateway received. */
function codeFrom(req: GatewayRequest): string {
  const m = /^securemfa api otp code: (\d{6})$/.exec(req.body);
  if (m === null) throw new Error(`no code in ${JSON.stringify(req.body)}`);
  return m[1]!;
}

/** Log records of the text node so far (JSON lines). */
async function logRecords(): Promise<Record<string, unknown>[]> {
  await new Promise((r) => setTimeout(r, 300)); // the file transport writes asynchronously
  const text = await readFile(textLog, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('begin → POST at /prod/<anchor> → code from the gateway → end', () => {
  it('signs in with the code the gateway received; the same code again is refused as reused', async () => {
    const b = await begin(textServe, 'Test1.Test1@adatum.labnet');
    expect(b.status).toBe(200);
    expect(b.json.status).toBe('code_sent');
    // the gateway's 200 body follows the standard message, as the originals show it
    expect(b.json.presentation.message).toMatch(/\{"body": "Message received\."\}$/);
    expect(b.json.presentation.destination).toBe(`127.0.0.1:${gw.port}`);

    expect(gw.requests).toHaveLength(1);
    const req = gw.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/prod/test1test1');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['x-api-key']).toBe(HEADER_VALUE);
    expect(req.headers['user-agent']).toBe(`securemfa-api-otp/${apiOtpProvider.version}`);
    const code = codeFrom(req);

    const e = await end(textServe, b.json.context, code);
    expect(e.status).toBe(200);
    expect(e.json).toEqual({ ok: true, claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_METHOD }] });

    const again = await end(textServe, b.json.context, code);
    expect(again.json).toMatchObject({ ok: false, reason: 'reused_code' });
  });

  it('a wrong code is invalid_code', async () => {
    const b = await begin(textServe, 'wrong.code@adatum.labnet');
    const code = codeFrom(gw.requests[0]!);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await end(textServe, b.json.context, wrong)).json).toMatchObject({
      ok: false,
      reason: 'invalid_code',
    });
  });

  it('with api_allparams_inbody: the JSON body, with custom attributes from the store directory', async () => {
    const b = await begin(jsonServe, 'Carol.Jones@adatum.labnet');
    expect(b.json.status).toBe('code_sent');
    const req = gw.requests[0]!;
    expect(req.url).toBe('/prod/caroljones');
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req.headers['x-api-key']).toBeUndefined();
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      upn: 'Carol.Jones@adatum.labnet',
      email: 'carol@mail.example',
      logonip: '203.0.113.7',
      useragent: 'e2e-browser/1.0',
      product: 'mfa-otp-api',
      company: 'Adatum E2E',
      msid: '+447700900555', // mobile, from the store record
      naming: '', // an attribute the store does not keep
    });
    expect(body.comments).toMatch(/^OTP code is valid until \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    expect(body.otp).toMatch(/^\d{6}$/);
    const e = await end(jsonServe, b.json.context, body.otp);
    expect(e.json.ok).toBe(true);
  });
});

describe('what the user sees when the gateway does not deliver', () => {
  it('403: the gateway’s body; 500: the status code only, after 3 attempts; both logged as event 5553', async () => {
    gw.behave(() => ({ status: 403, body: '{"message":"Forbidden"}' }));
    const refused = await begin(textServe, 'denied.user@adatum.labnet');
    expect(refused.json.status).toBe('unavailable');
    expect(refused.json.presentation.message).toBe('{"message":"Forbidden"}');
    expect(gw.requests).toHaveLength(1);

    gw.reset();
    gw.behave(() => ({ status: 500, body: 'NullReferenceException at Gateway.Send()' }));
    const failed = await begin(textServe, 'failing.user@adatum.labnet');
    expect(failed.json.status).toBe('unavailable');
    expect(failed.json.presentation.message).toBe(
      'We could not send your code. Try again later. (HTTP 500)',
    );
    expect(gw.requests).toHaveLength(3);

    const records = await logRecords();
    const events = records.filter((r) => r.eventId === 5553);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          upn: 'denied.user@adatum.labnet',
          reason: 'ERR_CHANNEL_AUTH',
          outcome: 'failure',
        }),
        expect.objectContaining({
          upn: 'failing.user@adatum.labnet',
          reason: 'ERR_CHANNEL_REJECTED',
        }),
      ]),
    );
  });

  it('a hanging gateway: the standard message after api_timeout, event 5553 ERR_CHANNEL_TIMEOUT', async () => {
    gw.behave(() => 'hang');
    const t0 = Date.now();
    const b = await begin(textServe, 'slow.user@adatum.labnet');
    const ms = Date.now() - t0;
    expect(b.json.status).toBe('unavailable');
    expect(b.json.presentation.message).toBe('We could not send your code. Try again later.');
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(4000);
    expect(gw.requests).toHaveLength(1);
    const records = await logRecords();
    expect(records).toContainEqual(
      expect.objectContaining({
        eventId: 5553,
        upn: 'slow.user@adatum.labnet',
        reason: 'ERR_CHANNEL_TIMEOUT',
      }),
    );
  });

  it('verboselog logged the POSTs, and no log line holds a code or the header value', async () => {
    const records = await logRecords();
    const posts = records.filter((r) => r.message === 'POST to the API gateway');
    expect(posts.length).toBeGreaterThanOrEqual(4);
    expect(posts[0]).toMatchObject({
      level: 'debug',
      method: 'POST',
      url: `${gw.origin}/prod/test1test1`,
      body: 'securemfa api otp code: ******',
      headers: { 'x-api-key': '********' },
    });
    const text = await readFile(textLog, 'utf8');
    expect(text).not.toContain(HEADER_VALUE);
    expect(text).not.toMatch(/code: \d{6}/);
    expect(text).not.toMatch(/"(otp|code)":"\d{6}"/);
  });
});

describe('the runtime gives the channel its whole retry budget', () => {
  it('api_timeout × 3 beyond the adapter’s default 10 s: all 3 attempts run, the reason is the status', async () => {
    // Each answer takes 3.6 s: 3 attempts + 2 pauses ≈ 11.4 s, within 3 × 4000 ms, but beyond
    // the 10 s the adapter would allow a delivery that did not declare its budget.
    gw.behave(() => ({ status: 503, delayMs: 3600 }));
    const runtime = await createProviderRuntime({
      definition: apiOtpProvider,
      config: apiConfig({ api_endpoint: `${gw.origin}/prod/`, api_timeout: '4000' }),
      configDir: dir,
      logger: createSilentLogger(),
      store: new MemoryStore(),
    });
    try {
      const t0 = Date.now();
      const b = await runtime.adapter.begin('budget.user@adatum.labnet');
      expect(Date.now() - t0).toBeGreaterThan(10_000);
      expect(b.status).toBe('unavailable');
      expect(b.presentation.message).toBe(
        'We could not send your code. Try again later. (HTTP 503)',
      );
      expect(gw.requests).toHaveLength(3);
    } finally {
      await runtime.close();
    }
  });
});

describe('install, verify: the gateway is checked without sending a code', () => {
  it('verify passes after install; the gateway sees one HEAD on the endpoint and no POST', async () => {
    const install = await runCli(
      BIN,
      ['install', '-c', textConfigFile, '--service-dir', join(dir, 'units')],
      { cwd: dir },
    );
    expect(install.code).toBe(0);
    gw.reset();
    gw.behave(() => ({ status: 403, body: '{"message":"Missing Authentication Token"}' }));
    const verify = await runCli(BIN, ['verify', '-c', textConfigFile], { cwd: dir });
    expect(verify.stdout).toMatch(/^ok\s+channel\s+api: /m);
    expect(verify.code).toBe(0);
    expect(gw.requests.map((r) => [r.method, r.url])).toEqual([['HEAD', '/prod/']]);
    expect(gw.requests[0]!.headers['x-api-key']).toBe(HEADER_VALUE);
    expect(verify.stdout + verify.stderr).not.toContain(HEADER_VALUE);
  });

  it('verify fails (exit 1) with the reason when the gateway is down', async () => {
    const port = await closedPort();
    const file = join(dir, 'down.json');
    await writeFile(
      file,
      JSON.stringify(
        baseConfig({
          sqlite_path: join(dir, 'text.db') /* installed above */,
          api_endpoint: `http://127.0.0.1:${port}/prod/`,
        }),
      ),
    );
    const verify = await runCli(BIN, ['verify', '-c', file], { cwd: dir });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(
      new RegExp(
        `^FAIL\\s+channel\\s+cannot reach the API gateway http://127\\.0\\.0\\.1:${port}/prod/: ECONNREFUSED`,
        'm',
      ),
    );
  });
});

describe('the manual’s sample SecureMfaApiOtpProvider.json', () => {
  it('config check accepts it unchanged (exit 0) and prints it with secrets masked', async () => {
    const r = await runCli(BIN, ['config', 'check', '-c', SEED], { cwd: dir });
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.stdout);
    expect(shown).toMatchObject({
      api_endpoint: 'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/',
      api_timeout: 5000,
      api_allparams_inbody: true,
      api_headers_value: '********',
      proxy_server: 'proxy.adatum.labnet',
      proxy_port: 8080,
      api_customparams: { msid: 'mobile', naming: 'msDS-cloudExtensionAttribute10' },
    });
    expect(r.stdout).not.toContain('V8UK9mBCgL6ztXtiJUurL3Fhn5Xjbejy1ZAhwokT');
  });

  it('loads, and the provider builds its channel from it: URI and time budget as the manual says', async () => {
    const { config } = await loadConfig('api-otp', { file: SEED });
    const c = await apiOtpProvider.createChannel({
      config: config as ApiOtpConfig,
      logger: createSilentLogger(),
      clock: () => new Date(),
    });
    try {
      expect(c.mode).toBe('send');
      if (c.mode !== 'send') return;
      expect(c.recipient('Test1.Test1@adatum.labnet', {})).toBe('test1test1');
      expect((c as ReturnType<typeof createHttpChannel>).deliveryTimeoutMs).toBe(15_000);
      expect(c.attributes).toEqual([]); // api_customparams_enable is "false" in the sample
    } finally {
      if (c.mode === 'send') await c.close();
    }
  });
});
