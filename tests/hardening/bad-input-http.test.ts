// Bad input over a real socket (issue 9): fast-check drives a real `securemfa-qr-otp serve`
// child process (the win-otp portal on) on 127.0.0.1 with arbitrary request bodies, content
// types, bearer and x-api-key headers, contexts and codes on the adapter API, arbitrary request
// JWTs and form posts on the hosted page, arbitrary envelopes on the portal, and raw garbage on
// the TCP socket. Every answer is < 500; every 4xx of the JSON APIs says `error` and
// `error_description` (a reason) and carries no stack trace or path; the host never logs a
// server error, never prints an unhandled rejection, and still serves afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { killAllChildren, startServe, type ServeProcess } from '../helpers/e2e-cli.js';
import { expectNoInternals, http, postJson, type HttpResult } from '../helpers/e2e-qr-host.js';
import { logRecords, QR_BIN, writeConfigFile } from '../helpers/hardening-host.js';

jest.setTimeout(120_000);

/** Property runs per endpoint (each one a real HTTP request). */
const RUNS = 120;

let dir: string;
let serve: ServeProcess;
let base: string;
let logFile: string;
const apiKey = randomBytes(32).toString('base64url');
const portalKey = randomBytes(24).toString('base64url');
let validContext: string;
let responses = 0;
let socketRuns = 0;
/** Statuses seen, for the run's summary line. */
const statuses: Record<number, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hardening-badinput-'));
  logFile = join(dir, 'provider.log');
  const file = await writeConfigFile(dir, 'SecureMfaOtpProvider.json', {
    company: 'Hardening',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, 'fuzz.db'),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    rate_limit_per_ip_per_minute: '1000000',
    rate_limit_per_user_per_minute: '1000000',
    win_portal_enable: 'true',
    win_portal_passphrase: randomBytes(18).toString('base64url'),
    api_headers_value: portalKey,
    log_file: logFile,
  });
  serve = await startServe(QR_BIN, ['serve', '-c', file, '--port', '0'], { cwd: dir });
  base = serve.url;
  const begun = await postJson(base, '/adapter/begin', { upn: 'fuzz@adatum.test' }, apiKey);
  expect(begun.json.status).toBe('enroll');
  validContext = begun.json.context as string;
}, 60_000);

afterAll(async () => {
  await serve?.stop();
  killAllChildren();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Every answer: below 500, no internals; a JSON-API 4xx carries error + error_description. */
function expectHandled(r: HttpResult, json = true): void {
  responses += 1;
  statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  expect(r.status).toBeGreaterThanOrEqual(200);
  expect(r.status).toBeLessThan(500);
  expect(expectNoInternals(r.text)).toEqual([]);
  if (json && r.status >= 400) {
    expect(typeof r.json?.error).toBe('string');
    expect(r.json.error).toMatch(/^[a-z_]+$/);
    expect(typeof r.json.error_description).toBe('string');
    expect(r.json.error_description.length).toBeGreaterThan(3);
  }
}

const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom('upn', 'lang', 'ip', 'userAgent', 'context', 'code', 'envelope', '__proto__'),
    fc.oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.string({ maxLength: 300 }),
      fc.constant('x'.repeat(9000)),
      fc.constantFrom('alice@adatum.test', '', ' ', '*)(objectClass=*', "'; DROP TABLE secrets;--"),
    ),
    { maxKeys: 5 },
  ),
);
/** A body as sent: JSON of any value, or any raw text (often not JSON at all). */
const bodyArb = fc.oneof(
  anyJson.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', '{', '{"upn":', '[]', 'null', '{"upn":"a","upn":"b"}', '\ufeff{}'),
  fc.constant(JSON.stringify({ upn: 'x'.repeat(20_000) })),
);
const contentTypeArb = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  '',
);
const bearerArb = fc.oneof(
  fc.constant(`Bearer ${apiKey}`),
  fc.constant(`bearer ${apiKey}`),
  fc.constant(undefined),
  fc.string({ maxLength: 40 }).map((s) => `Bearer ${s}`),
  fc.constant(`Basic ${Buffer.from(`a:${apiKey}`).toString('base64')}`),
);

function send(
  path: string,
  body: string,
  headers: Record<string, string | undefined>,
  method = 'POST',
): Promise<HttpResult> {
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== '') h[k] = v;
  return http(`${base}${path}`, { method, headers: h, body: method === 'GET' ? undefined : body });
}

describe('adapter API over a real socket: any body, content type and bearer', () => {
  it('POST /adapter/begin never answers 5xx; 4xx says what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, contentTypeArb, bearerArb, async (body, type, auth) => {
        const r = await send('/adapter/begin', body, { 'content-type': type, authorization: auth });
        expectHandled(r);
        if (r.status === 200) {
          expect(['enroll', 'enter_code', 'locked', 'disabled', 'unavailable']).toContain(
            r.json.status,
          );
          expect(auth?.toLowerCase()).toBe(`bearer ${apiKey}`.toLowerCase());
        }
        if (auth === undefined || !auth.endsWith(apiKey) || auth.startsWith('Basic')) {
          expect(r.status).not.toBe(200);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('POST /adapter/end with any context (valid, altered, random) and any code never answers 5xx', async () => {
    const contextArb = fc.oneof(
      fc.constant(validContext),
      fc.nat({ max: validContext.length - 1 }).map((i) => {
        const c = validContext[i] === 'A' ? 'B' : 'A';
        return validContext.slice(0, i) + c + validContext.slice(i + 1);
      }),
      fc.string({ maxLength: 100 }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const codeArb = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^[0-9]{6}$/),
      fc.jsonValue({ maxDepth: 1 }),
      fc.constant('9'.repeat(100)),
    );
    await fc.assert(
      fc.asyncProperty(contextArb, codeArb, fc.boolean(), async (context, code, extra) => {
        const payload: Record<string, unknown> = { context, code };
        if (extra) Object.assign(payload, { ip: 42, userAgent: ['x'], lang: {} });
        const r = await postJson(base, '/adapter/end', payload, apiKey);
        expectHandled(r);
        if (r.status === 200) {
          expect(typeof r.json.ok).toBe('boolean');
          if (r.json.ok === false) {
            expect(['invalid_code', 'reused_code', 'locked', 'disabled', 'expired']).toContain(
              r.json.reason,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('GET and other methods on the adapter routes with any query never answer 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
        fc.constantFrom(
          '/adapter/begin',
          '/adapter/end',
          '/adapter/metadata',
          '/adapter/%00',
          '/adapter/../healthz',
        ),
        fc.string({ maxLength: 30 }),
        bearerArb,
        async (method, path, query, auth) => {
          const r = await send(
            `${path}?q=${encodeURIComponent(query)}`,
            '',
            { authorization: auth },
            method,
          );
          expectHandled(r);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('hosted page over a real socket: any request JWT and any form post', () => {
  it('GET /mfa?request=<anything> answers a page (< 500), never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map((p) => p.join('.')),
          fc.constant('x'.repeat(9000)),
        ),
        fc.option(fc.string({ maxLength: 10 })),
        async (token, lang) => {
          const q = `request=${encodeURIComponent(token)}${lang === null ? '' : `&lang=${encodeURIComponent(lang)}`}`;
          const r = await http(`${base}/mfa?${q}`);
          expectHandled(r, false);
          expect(r.status).toBe(400);
          expect(r.headers.get('content-type')).toMatch(/^text\/html/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('POST /mfa with any form fields and content type answers < 500', async () => {
    const field = fc.oneof(fc.string({ maxLength: 60 }), fc.constant('x'.repeat(5000)));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('request', 'context', 'page', 'code', 'action', 'lang', 'x'),
          field,
          { maxKeys: 6 },
        ),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
        async (fields, type) => {
          const body =
            type === 'application/json'
              ? JSON.stringify(fields)
              : new URLSearchParams(fields).toString();
          const r = await send('/mfa', body, { 'content-type': type });
          expectHandled(r, false);
          expect(r.status).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('win-otp portal over a real socket: any envelope and any x-api-key', () => {
  it('POST /api/v1/win/validate never answers 5xx; 4xx says what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }).map((e) => JSON.stringify({ envelope: e })),
          fc.base64String({ maxLength: 400 }).map((b) => JSON.stringify({ envelope: `w1.${b}` })),
          fc
            .uint8Array({ minLength: 80, maxLength: 300 })
            .map((b) => JSON.stringify({ envelope: `w1.${Buffer.from(b).toString('base64url')}` })),
          bodyArb,
        ),
        fc.oneof(fc.constant(portalKey), fc.constant(undefined), fc.string({ maxLength: 30 })),
        async (body, key) => {
          const r = await send('/api/v1/win/validate', body, {
            'content-type': 'application/json',
            'x-api-key': key,
          });
          expectHandled(r);
          expect(r.status).toBeGreaterThanOrEqual(400);
          if (key !== portalKey) expect(r.status).toBe(401);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('the TCP socket: raw garbage', () => {
  it('random bytes and broken HTTP on the socket do not crash the host', async () => {
    const { port } = new URL(base);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 400 }).map((b) => Buffer.from(b)),
          fc
            .constantFrom(
              'GET / HTTP/1.1\r\n\r\n',
              'POST /adapter/begin HTTP/1.1\r\nHost: x\r\nContent-Length: 99999\r\n\r\n{',
              'POST /adapter/end HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
              'GET /healthz HTTP/1.1\r\nHost: x\r\n' + 'X: y\r\n'.repeat(2000) + '\r\n',
              '\r\n\r\n\r\n',
            )
            .map((s) => Buffer.from(s)),
        ),
        async (bytes) => {
          const answer = await new Promise<string>((done) => {
            let received = '';
            const socket = connect({ host: '127.0.0.1', port: Number(port) });
            const finish = (): void => {
              socket.destroy();
              done(received);
            };
            socket.setTimeout(1500, finish);
            socket.once('error', finish);
            socket.once('close', finish);
            socket.once('connect', () => socket.end(bytes));
            socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
          });
          // Whatever the host answers to garbage (400, 431 or nothing), it is not a server error.
          expect(answer).not.toMatch(/^HTTP\/1\.[01] 5\d\d/m);
          socketRuns += 1;
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('after the fuzzing', () => {
  it('the host still serves, logged no server error, and printed no unhandled rejection', async () => {
    expect(responses).toBeGreaterThan(500);
    expect(socketRuns).toBe(60);
    process.stdout.write(
      `[hardening] bad input: ${responses} fuzzed HTTP requests + ${socketRuns} raw socket payloads; statuses ${JSON.stringify(statuses)}\n`,
    );
    expect(Object.keys(statuses).filter((s) => Number(s) >= 500)).toEqual([]);
    const health = await http(`${base}/healthz`);
    expect([health.status, health.json]).toEqual([200, { status: 'ok' }]);
    const ready = await http(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(serve.child.exitCode).toBeNull();
    const records = await logRecords(logFile);
    expect(records.filter((r) => r.level === 'error')).toEqual([]);
    expect(serve.stderr()).not.toMatch(/unhandled|UnhandledPromiseRejection|internal error/i);
  });
});
