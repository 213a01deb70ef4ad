// The API OTP channel (createHttpChannel, axios) against real HTTP and HTTPS servers on
// 127.0.0.1: the URI per user, both body forms, the auth header, what the user is shown for
// 200/403/other answers, bounded retries with backoff for connection errors and 5xx only, the
// time cap, hanging / dropping / absent gateways, TLS trust, verboselog without secrets, verify,
// and no unhandled promise rejection (checked in a child process, where one can be seen).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ChannelError, ConfigError, type OtpMessage } from '@securemfa/core';
import { createHttpChannel, type HttpChannel } from '@securemfa/api-otp';
import { closedPort, killNodeScripts, runNodeScript } from '@securemfa/testkit';
import {
  acceptAll,
  makeLoopbackCertificate,
  startHttpGateway,
  type GatewayBehaviour,
  type HttpGateway,
} from '../helpers/http-gateway.js';
import { apiConfig } from '../helpers/http-gateway-config.js';
import { captureLog, type CapturedLog } from '../helpers/http-gateway-logger.js';

jest.setTimeout(30_000);

const HEADER_VALUE = 'gw-key-Zq81vX0pLm3c9T';
const CODE = '482913';

let dir: string;
let gw: HttpGateway;
let tlsGw: HttpGateway;
let ca: string;
const channels: HttpChannel[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-channel-'));
  gw = await startHttpGateway();
  const cert = await makeLoopbackCertificate(dir);
  ca = cert.cert;
  tlsGw = await startHttpGateway({ tls: cert });
});

afterAll(async () => {
  killNodeScripts();
  for (const c of channels) await c.close();
  await gw?.close();
  await tlsGw?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  gw.reset();
  gw.behave(acceptAll);
  tlsGw.reset();
  tlsGw.behave(acceptAll);
});

/** A channel over a config made from seed-style keys. */
function channel(
  json: Record<string, unknown>,
  extra: { log?: CapturedLog; ca?: string; maxAttempts?: number } = {},
): HttpChannel {
  const c = createHttpChannel({
    config: apiConfig({ api_endpoint: `${gw.origin}/prod/`, api_timeout: '1000', ...json }),
    logger: (extra.log ?? captureLog()).logger,
    timeZone: 'UTC',
    random: () => 0.5,
    ...(extra.ca === undefined ? {} : { ca: extra.ca }),
    ...(extra.maxAttempts === undefined ? {} : { maxAttempts: extra.maxAttempts }),
  });
  channels.push(c);
  return c;
}

const validUntil = new Date(Date.UTC(2021, 0, 14, 16, 35, 0));
function message(
  c: HttpChannel,
  upn = 'Test1.Test1@adatum.labnet',
  extra: Partial<OtpMessage> = {},
) {
  const attributes = { mail: 'test1@mail.example', ...(extra.attributes ?? {}) };
  const to = c.recipient(upn, attributes);
  if (to === undefined) throw new Error(`no recipient for ${upn}`);
  return {
    upn,
    to,
    code: CODE,
    validUntil,
    lang: 'en',
    ip: '10.101.101.101',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    ...extra,
    attributes,
  } satisfies OtpMessage;
}

/** Run deliver and return the ChannelError it must throw, with the time it took. */
async function failure(
  c: HttpChannel,
  msg: OtpMessage,
  signal: AbortSignal = AbortSignal.timeout(c.deliveryTimeoutMs + 5000),
): Promise<{ err: ChannelError; ms: number }> {
  const t0 = performance.now();
  try {
    await c.deliver(msg, signal);
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    return { err: err as ChannelError, ms: performance.now() - t0 };
  }
  throw new Error('deliver succeeded, a ChannelError was expected');
}

describe('the POST: URI, body, headers', () => {
  it('POSTs "api_code_text code" (labelled application/json, as the originals) to /prod/<anchor>; the 200 body is shown', async () => {
    const c = channel({ api_code_text: 'securemfa api otp code:' });
    const receipt = await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(gw.requests).toHaveLength(1);
    const [req] = gw.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/prod/test1test1');
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(req!.body).toBe(`securemfa api otp code: ${CODE}`);
    expect(req!.headers['x-api-key']).toBeUndefined();
    expect(req!.headers['user-agent']).toMatch(/^securemfa-api-otp/);
    expect(receipt).toEqual({
      destination: `127.0.0.1:${gw.port}`,
      userMessage: '{"body": "Message received."}',
    });
  });

  it('labels the code text text/plain with api_text_content_type text/plain', async () => {
    const c = channel({ api_code_text: 'Code:', api_text_content_type: 'text/plain' });
    await c.deliver(message(c), AbortSignal.timeout(10_000));
    const req = gw.requests.at(-1);
    expect(req!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(req!.body).toBe(`Code: ${CODE}`);
  });

  it.each([
    ['with a trailing slash', '/prod/'],
    ['without a trailing slash', '/prod'],
  ])('joins the endpoint %s correctly', async (_label, path) => {
    const c = channel({ api_endpoint: `${gw.origin}${path}` });
    await c.deliver(message(c, 'first_last-2@adatum.labnet'), AbortSignal.timeout(10_000));
    expect(gw.requests.map((r) => r.url)).toEqual(['/prod/firstlast2']);
  });

  it('with api_allparams_inbody: the JSON object with the custom attributes, as application/json', async () => {
    const c = channel({
      company: 'Adatum Ltd',
      api_allparams_inbody: 'true',
      api_customparams_enable: 'true',
      api_customparams_msid: 'mobile',
      api_customparams_naming: 'msDS-cloudExtensionAttribute10',
      api_customparams_login: 'msDS-cloudExtensionAttribute11',
    });
    // The adapter asks the directory for these (plus mail and mobile).
    expect([...(c.attributes ?? [])].sort()).toEqual(
      ['mobile', 'msDS-cloudExtensionAttribute10', 'msDS-cloudExtensionAttribute11'].sort(),
    );
    await c.deliver(
      message(c, 'test1@adatum.labnet', {
        attributes: { mobile: '+447700900123', 'msDS-cloudExtensionAttribute10': 'naming-A1' },
      }),
      AbortSignal.timeout(10_000),
    );
    const [req] = gw.requests;
    expect(req!.url).toBe('/prod/test1');
    expect(req!.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(req!.body)).toEqual({
      upn: 'test1@adatum.labnet',
      otp: CODE,
      email: 'test1@mail.example',
      logonip: '10.101.101.101',
      useragent: 'Mozilla/5.0 (X11; Linux x86_64)',
      product: 'mfa-otp-api',
      company: 'Adatum Ltd',
      comments: 'OTP code is valid until 14/01/2021 16:35:00',
      msid: '+447700900123',
      naming: 'naming-A1',
      login: '',
    });
  });

  it('leaves the custom attributes out while api_customparams_enable is false', async () => {
    const c = channel({
      api_allparams_inbody: 'true',
      api_customparams_enable: 'false',
      api_customparams_msid: 'mobile',
    });
    expect(c.attributes).toEqual([]);
    await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(JSON.parse(gw.requests[0]!.body)).not.toHaveProperty('msid');
  });

  it('sends api_headers_key: api_headers_value when api_auth_endpoint_enabled', async () => {
    const c = channel({
      api_auth_endpoint_enabled: 'true',
      api_headers_key: 'x-api-key',
      api_headers_value: HEADER_VALUE,
    });
    await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(gw.requests[0]!.headers['x-api-key']).toBe(HEADER_VALUE);
  });

  it('masks the code (and the key) in a 200 body that echoes the request', async () => {
    gw.behave((req) => ({
      status: 200,
      body: `received: ${req.body} key=${String(req.headers['x-api-key'])}`,
    }));
    const c = channel({
      api_auth_endpoint_enabled: 'true',
      api_headers_value: HEADER_VALUE,
    });
    const receipt = await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(receipt.userMessage).toBe('received: securemfa api otp code: ****** key=******');
    expect(receipt.userMessage).not.toContain(CODE);
    expect(receipt.userMessage).not.toContain(HEADER_VALUE);
  });

  it.each([201, 202, 204])(
    'treats HTTP %s as delivered, without showing a body',
    async (status) => {
      gw.behave(() => ({ status, body: status === 204 ? '' : 'queued' }));
      const c = channel({});
      expect(await c.deliver(message(c), AbortSignal.timeout(10_000))).toEqual({
        destination: `127.0.0.1:${gw.port}`,
      });
    },
  );

  it('has no recipient (so no POST) for an anchor that is empty, or without api_endpoint', () => {
    expect(channel({}).recipient('иван@adatum.labnet', {})).toBeUndefined();
    expect(channel({ api_endpoint: '' }).recipient('alice@adatum.labnet', {})).toBeUndefined();
    expect(channel({}).recipient('Alice@adatum.labnet', {})).toBe('alice');
  });

  it('refuses an api_headers_value an HTTP header cannot carry (ConfigError naming the key)', () => {
    expect(() =>
      createHttpChannel({
        config: apiConfig({
          api_endpoint: `${gw.origin}/prod/`,
          api_auth_endpoint_enabled: 'true',
          api_headers_value: 'ключ',
        }),
        logger: captureLog().logger,
      }),
    ).toThrow(ConfigError);
    expect(() =>
      createHttpChannel({
        config: apiConfig({
          api_endpoint: `${gw.origin}/prod/`,
          api_auth_endpoint_enabled: 'true',
          api_headers_value: 'ключ',
        }),
        logger: captureLog().logger,
      }),
    ).toThrow(/^api_headers_value: holds characters an HTTP header cannot carry/);
  });
});

describe('answers that are not a success', () => {
  it('403: ERR_CHANNEL_AUTH, the sanitised body for the user, never retried', async () => {
    gw.behave(() => ({
      status: 403,
      body: '<html><body><h1>Forbidden</h1>\n<p>Invalid API key</p></body></html>',
      headers: { 'content-type': 'text/html' },
    }));
    const c = channel({});
    const { err } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_AUTH');
    expect(err.userMessage).toBe('Forbidden Invalid API key');
    expect(err.message).toContain(`/prod/test1test1: HTTP 403`);
    expect(gw.requests).toHaveLength(1);
  });

  it('403 with an empty body: the status code for the user', async () => {
    gw.behave(() => ({ status: 403 }));
    const c = channel({});
    const { err } = await failure(c, message(c));
    expect(err.userMessage).toBe('We could not send your code. Try again later. (HTTP 403)');
  });

  it.each([400, 401, 404, 409, 429])(
    'HTTP %s: only the status code is shown (not the body), never retried',
    async (status) => {
      gw.behave(() => ({ status, body: 'internal detail the user must not see' }));
      const c = channel({});
      const { err } = await failure(c, message(c));
      expect(err.code).toBe(status === 401 ? 'ERR_CHANNEL_AUTH' : 'ERR_CHANNEL_REJECTED');
      expect(err.userMessage).toBe(
        `We could not send your code. Try again later. (HTTP ${status})`,
      );
      expect(err.userMessage).not.toContain('internal detail');
      expect(gw.requests).toHaveLength(1);
    },
  );

  it('the status text follows the user’s language', async () => {
    gw.behave(() => ({ status: 404 }));
    const c = channel({});
    const { err } = await failure(c, { ...message(c), lang: 'de' });
    expect(err.userMessage).toMatch(/\(HTTP 404\)$/);
    expect(err.userMessage).not.toContain('We could not send');
  });

  it('a redirect is not followed (the code would travel elsewhere): HTTP 302, one request', async () => {
    const other = await startHttpGateway();
    try {
      gw.behave(() => ({ status: 302, headers: { location: `${other.origin}/steal` } }));
      const c = channel({});
      const { err } = await failure(c, message(c));
      expect(err.code).toBe('ERR_CHANNEL_REJECTED');
      expect(err.userMessage).toMatch(/\(HTTP 302\)$/);
      expect(err.hint).toMatch(/redirects are not followed/);
      expect(gw.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe('retries: connection errors and 5xx only, bounded in count and time', () => {
  it('500 every time: 3 attempts with growing pauses, then the status code only', async () => {
    gw.behave(() => ({ status: 500, body: 'stack trace …' }));
    const c = channel({});
    const { err, ms } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_REJECTED');
    expect(err.userMessage).toBe('We could not send your code. Try again later. (HTTP 500)');
    expect(err.message).toMatch(/HTTP 500 \(3 attempts in \d+ ms\)/);
    expect(gw.requests).toHaveLength(3);
    // random() = 0.5: pauses of 188 ms and 375 ms (250 × 2^n × 0.75)
    const gaps = [gw.requests[1]!.at - gw.requests[0]!.at, gw.requests[2]!.at - gw.requests[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(180);
    expect(gaps[1]).toBeGreaterThanOrEqual(365);
    expect(gaps[1]).toBeGreaterThan(gaps[0]!);
    expect(ms).toBeLessThan(c.deliveryTimeoutMs);
  });

  it('503 then 200: delivered on the second attempt', async () => {
    gw.behave((_r, i) => (i === 0 ? { status: 503 } : { status: 200, body: 'ok' }));
    const c = channel({});
    const receipt = await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(receipt.userMessage).toBe('ok');
    expect(gw.requests).toHaveLength(2);
    expect(gw.requests[1]!.body).toBe(gw.requests[0]!.body);
  });

  it('the gateway closes the connection: retried on a new connection each time, then ERR_CHANNEL_UNREACHABLE', async () => {
    gw.behave(() => 'close');
    const c = channel({});
    const { err } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(err.message).toMatch(
      /cannot reach the API gateway http:\/\/127\.0\.0\.1:\d+\/prod\/test1test1: ECONNRESET \(3 attempts/,
    );
    expect(err.userMessage).toBeUndefined(); // the standard "could not send" text is shown
    expect(gw.requests).toHaveLength(3);
    expect(new Set(gw.requests.map((r) => r.remotePort)).size).toBe(3);
  });

  it('closes once, then answers: delivered', async () => {
    gw.behave((_r, i) => (i === 0 ? 'close' : { status: 200, body: 'ok' }));
    const c = channel({});
    await expect(c.deliver(message(c), AbortSignal.timeout(10_000))).resolves.toMatchObject({
      userMessage: 'ok',
    });
    expect(gw.requests).toHaveLength(2);
  });

  it('the gateway is down: refused 3 times, quickly, then ERR_CHANNEL_UNREACHABLE with the errno', async () => {
    const port = await closedPort();
    const c = channel({ api_endpoint: `http://127.0.0.1:${port}/prod/` });
    const { err, ms } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(err.message).toBe(
      `cannot reach the API gateway http://127.0.0.1:${port}/prod/test1test1: ECONNREFUSED (3 attempts in ${/in (\d+) ms/.exec(err.message)![1]} ms)`,
    );
    expect(err.hint).toMatch(/reachable from this host/);
    // two pauses (188 + 375 ms) and three refused connects
    expect(ms).toBeGreaterThanOrEqual(550);
    expect(ms).toBeLessThan(2000);
  });

  it('a hanging gateway: ERR_CHANNEL_TIMEOUT after api_timeout, not retried', async () => {
    gw.behave(() => 'hang');
    const c = channel({ api_timeout: '400' });
    const { err, ms } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_TIMEOUT');
    expect(err.message).toMatch(/did not answer within 400 ms \(1 attempt in \d+ ms\)/);
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1500);
    expect(gw.requests).toHaveLength(1);
  });

  it('a gateway that answers 500 slowly: attempts stop when api_timeout × attempts is used up', async () => {
    gw.behave(() => ({ status: 500, delayMs: 450 }));
    const c = channel({ api_timeout: '500' }); // budget 1500 ms
    expect(c.deliveryTimeoutMs).toBe(1500);
    const { err, ms } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_REJECTED');
    // 450 + 188 + 450 = 1088 used; a third try would need 375 ms of pause: 1088 + 375 + 100 > 1500
    expect(gw.requests).toHaveLength(2);
    expect(err.message).toMatch(/time budget used up/);
    expect(ms).toBeLessThanOrEqual(1500 + 150);
  });

  it('the caller’s deadline ends the retries: ERR_CHANNEL_TIMEOUT, cut off', async () => {
    gw.behave(() => ({ status: 503 }));
    const c = channel({});
    const { err, ms } = await failure(c, message(c), AbortSignal.timeout(100));
    expect(err.code).toBe('ERR_CHANNEL_TIMEOUT');
    expect(err.message).toMatch(/cut off by the delivery deadline/);
    expect(ms).toBeLessThan(600);
  });

  it('maxAttempts 1: no retry at all', async () => {
    gw.behave(() => ({ status: 502 }));
    const c = channel({}, { maxAttempts: 1 });
    await failure(c, message(c));
    expect(gw.requests).toHaveLength(1);
  });
});

describe('HTTPS', () => {
  it('POSTs over TLS to a gateway whose CA is trusted', async () => {
    const c = channel({ api_endpoint: `${tlsGw.origin}/prod/` }, { ca });
    const receipt = await c.deliver(message(c), AbortSignal.timeout(10_000));
    expect(receipt.destination).toBe(`127.0.0.1:${tlsGw.port}`);
    expect(tlsGw.requests.map((r) => [r.url, r.body])).toEqual([
      ['/prod/test1test1', `securemfa api otp code: ${CODE}`],
    ]);
  });

  it('refuses an untrusted certificate: ERR_CHANNEL_UNREACHABLE with the TLS code, no retry, nothing sent', async () => {
    const c = channel({ api_endpoint: `${tlsGw.origin}/prod/` });
    const { err } = await failure(c, message(c));
    expect(err.code).toBe('ERR_CHANNEL_UNREACHABLE');
    expect(err.message).toMatch(
      /TLS with the API gateway https:\/\/127\.0\.0\.1:\d+\/prod\/test1test1 failed: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN) \(1 attempt/,
    );
    expect(tlsGw.requests).toHaveLength(0);
  });
});

describe('verboselog', () => {
  it('logs the POST (method, URI, content type, header name, body) without the code or the header value', async () => {
    const log = captureLog({ verbose: true });
    const c = channel(
      {
        api_auth_endpoint_enabled: 'true',
        api_headers_key: 'Ocp-Apim-Subscription-Key',
        api_headers_value: HEADER_VALUE,
        api_allparams_inbody: 'true',
      },
      { log },
    );
    await c.deliver(message(c), AbortSignal.timeout(10_000));
    gw.behave(() => ({ status: 500, body: `echo ${CODE} ${HEADER_VALUE}` }));
    await failure(c, message(c));
    await log.flush();
    const post = log.records.find((r) => r.message === 'POST to the API gateway');
    expect(post).toMatchObject({
      level: 'debug',
      method: 'POST',
      url: `${gw.origin}/prod/test1test1`,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Ocp-Apim-Subscription-Key': '********',
      },
    });
    expect(JSON.parse(post!.body as string)).toMatchObject({
      otp: '******',
      upn: 'Test1.Test1@adatum.labnet',
    });
    expect(log.records.some((r) => r.message === 'API gateway accepted the code')).toBe(true);
    expect(
      log.records.filter((r) => r.message === 'API gateway attempt failed; retrying'),
    ).toHaveLength(2);
    // The gateway really got both …
    expect(gw.requests[0]!.headers['ocp-apim-subscription-key']).toBe(HEADER_VALUE);
    expect(JSON.parse(gw.requests[0]!.body).otp).toBe(CODE);
    // … and no record carries either.
    expect(log.text()).not.toContain(CODE);
    expect(log.text()).not.toContain(HEADER_VALUE);
  });

  it('writes no debug record without verboselog', async () => {
    const log = captureLog({ verbose: false });
    const c = channel({}, { log });
    await c.deliver(message(c), AbortSignal.timeout(10_000));
    await log.flush();
    expect(log.records.filter((r) => r.level === 'debug')).toEqual([]);
  });
});

describe('verify: reachability without sending a code', () => {
  it('sends HEAD to the endpoint itself (no user resource, no body, no code) with the auth header', async () => {
    gw.behave(() => ({ status: 403, body: '{"message":"Missing Authentication Token"}' }));
    const log = captureLog();
    const c = channel(
      { api_auth_endpoint_enabled: 'true', api_headers_value: HEADER_VALUE },
      { log },
    );
    const proved = await c.verify(AbortSignal.timeout(5000));
    expect(proved).toMatch(
      /answers \(HEAD: HTTP 403\); the key is only checked by a real delivery$/,
    );
    expect(proved).not.toContain(HEADER_VALUE);
    expect(gw.requests.map((r) => [r.method, r.url, r.body])).toEqual([['HEAD', '/prod/', '']]);
    expect(gw.requests[0]!.headers['x-api-key']).toBe(HEADER_VALUE);
    await log.flush();
    expect(log.records.find((r) => r.message === 'API gateway reachable')).toMatchObject({
      status: 403,
    });
  });

  it('fails for a gateway that is down, or answers 503', async () => {
    const c1 = channel({ api_endpoint: `http://127.0.0.1:${await closedPort()}/prod/` });
    await expect(c1.verify(AbortSignal.timeout(5000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    gw.behave(() => ({ status: 503 }));
    await expect(channel({}).verify(AbortSignal.timeout(5000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_REJECTED',
      message: expect.stringMatching(/answers HEAD with HTTP 503/),
    });
  });

  it('fails when api_endpoint is empty', async () => {
    await expect(
      channel({ api_endpoint: '' }).verify(AbortSignal.timeout(1000)),
    ).rejects.toMatchObject({
      code: 'ERR_CHANNEL_REJECTED',
      message: 'api_endpoint is empty: no code can be sent',
    });
  });
});

describe('hygiene', () => {
  it('a closed channel refuses to deliver', async () => {
    const c = channel({});
    const msg = message(c);
    await c.close();
    await expect(c.deliver(msg, AbortSignal.timeout(1000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
    });
  });

  // Jest's sandbox cannot see an unhandled rejection (its `process` is a copy; jest-circus
  // listens on the real one), so the failure scenarios run in a child Node process with
  // --unhandled-rejections=strict, against this file's gateway: see api-otp-channel-child.mjs.
  const CHILD = fileURLToPath(new URL('../helpers/api-otp-channel-child.mjs', import.meta.url));
  /** The gateway's answer by the first path segment the child's endpoints use. */
  const byPath: GatewayBehaviour = (req) => {
    const segment = req.url.split('/')[1];
    if (segment === 'hang' || segment === 'close') return segment;
    const status = /^s(\d{3})$/.exec(segment ?? '')?.[1];
    return status === undefined ? { status: 404 } : { status: Number(status), body: 'no' };
  };
  const EXPECTED = [
    { scenario: '403', code: 'ERR_CHANNEL_AUTH' },
    { scenario: '500', code: 'ERR_CHANNEL_REJECTED' },
    { scenario: 'hang', code: 'ERR_CHANNEL_TIMEOUT' },
    { scenario: 'close', code: 'ERR_CHANNEL_UNREACHABLE' },
    { scenario: 'down', code: 'ERR_CHANNEL_UNREACHABLE' },
    { scenario: 'deadline', code: 'ERR_CHANNEL_TIMEOUT' },
  ];

  async function runChild(control: boolean) {
    gw.behave(byPath);
    const downPort = await closedPort();
    const run = await runNodeScript(
      CHILD,
      [JSON.stringify({ origin: gw.origin, downPort, control })],
      {
        cwd: dir,
        env: { NODE_OPTIONS: '--unhandled-rejections=strict' },
        timeoutMs: 20_000,
      },
    );
    const lines = run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as unknown);
    const seen = (segment: string) =>
      gw.requests.filter((r) => r.url === `/${segment}/test1`).length;
    return { run, lines, seen };
  }

  it('leaves no unhandled promise rejection behind (403, 500, hang, close, down, deadline in a strict child process)', async () => {
    const { run, lines, seen } = await runChild(false);
    expect(run.stderr).toBe('');
    expect([run.code, run.signal, run.timedOut]).toEqual([0, null, false]);
    // The scenarios really ran through the channel and the gateway.
    expect(lines).toEqual(EXPECTED);
    expect(['s403', 's500', 'hang', 'close'].map(seen)).toEqual([1, 3, 1, 3]);
  });

  it('control: the same child with one deliberately unhandled rejection fails (exit 1), even with an unhandledRejection listener', async () => {
    const { run, lines } = await runChild(true);
    expect(lines).toEqual(EXPECTED);
    expect([run.code, run.signal, run.timedOut]).toEqual([1, null, false]);
    expect(run.stderr).toContain('control: a deliberately unhandled rejection');
  });
});
