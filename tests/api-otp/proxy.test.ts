// proxy_enable / proxy_server / proxy_port (seed 000 "Proxy Configuration") against real proxies
// on 127.0.0.1: Debian's tinyproxy and a forward proxy written on node:http. With the proxy on,
// the proxy sees every request — an absolute-URI POST for an http:// gateway, a CONNECT tunnel
// for https:// (TLS end to end: the proxy never sees the path or the code); with it off, the
// proxy sees nothing, even when HTTP(S)_PROXY point at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { OtpMessage } from '@securemfa/core';
import { createHttpChannel, type HttpChannel } from '@securemfa/api-otp';
import { closedPort } from '@securemfa/testkit';
import {
  makeLoopbackCertificate,
  startHttpGateway,
  type HttpGateway,
} from '../helpers/http-gateway.js';
import { apiConfig } from '../helpers/http-gateway-config.js';
import { captureLog } from '../helpers/http-gateway-logger.js';
import { startHttpProxy, type HttpProxy } from '../helpers/http-proxy.js';
import { startTinyproxy, type Tinyproxy } from '../helpers/http-proxy-tinyproxy.js';

jest.setTimeout(30_000);

const CODE = '731904';
let dir: string;
let gw: HttpGateway;
let tlsGw: HttpGateway;
let ca: string;
let proxy: HttpProxy;
let tiny: Tinyproxy;
const channels: HttpChannel[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'api-proxy-'));
  const cert = await makeLoopbackCertificate(dir);
  ca = cert.cert;
  gw = await startHttpGateway();
  tlsGw = await startHttpGateway({ tls: cert });
  proxy = await startHttpProxy();
  tiny = await startTinyproxy(dir);
});

afterAll(async () => {
  for (const c of channels) await c.close();
  await tiny?.close();
  await proxy?.close();
  await gw?.close();
  await tlsGw?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  gw.reset();
  tlsGw.reset();
  proxy.reset();
});

function channel(json: Record<string, unknown>): HttpChannel {
  const c = createHttpChannel({
    config: apiConfig({ api_timeout: '2000', ...json }),
    logger: captureLog().logger,
    ca,
    random: () => 0.5,
  });
  channels.push(c);
  return c;
}

const msg = (upn = 'Test1.Test1@adatum.labnet'): OtpMessage => ({
  upn,
  to: upn
    .split('@')[0]!
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase(),
  code: CODE,
  validUntil: new Date(),
  lang: 'en',
  attributes: {},
});

describe('a forward proxy written on node:http', () => {
  const on = (endpoint: string) => ({
    api_endpoint: endpoint,
    proxy_enable: 'true',
    proxy_server: proxy.host,
    proxy_port: String(proxy.port),
  });

  it('on, http:// gateway: the proxy forwards the absolute-URI POST', async () => {
    await channel(on(`${gw.origin}/prod/`)).deliver(msg(), AbortSignal.timeout(10_000));
    expect(proxy.entries.map((e) => [e.method, e.target])).toEqual([
      ['POST', `${gw.origin}/prod/test1test1`],
    ]);
    expect(gw.requests).toHaveLength(1);
    expect(gw.requests[0]!.headers.via).toBe('1.1 securemfa-test-proxy');
    expect(gw.requests[0]!.body).toBe(`securemfa api otp code: ${CODE}`);
  });

  it('on, https:// gateway: a CONNECT tunnel; the proxy sees host:port only, TLS is end to end', async () => {
    await channel(on(`${tlsGw.origin}/prod/`)).deliver(msg(), AbortSignal.timeout(10_000));
    expect(proxy.entries.map((e) => [e.method, e.target])).toEqual([
      ['CONNECT', `127.0.0.1:${tlsGw.port}`],
    ]);
    expect(JSON.stringify(proxy.entries)).not.toContain('/prod/');
    expect(tlsGw.requests.map((r) => [r.url, r.body])).toEqual([
      ['/prod/test1test1', `securemfa api otp code: ${CODE}`],
    ]);
    expect(tlsGw.requests[0]!.headers.via).toBeUndefined();
  });

  it('off: the proxy sees nothing', async () => {
    await channel({
      api_endpoint: `${gw.origin}/prod/`,
      proxy_enable: 'false',
      proxy_server: proxy.host,
      proxy_port: String(proxy.port),
    }).deliver(msg(), AbortSignal.timeout(10_000));
    await channel({ api_endpoint: `${tlsGw.origin}/prod/` }).deliver(
      msg(),
      AbortSignal.timeout(10_000),
    );
    expect(proxy.entries).toEqual([]);
    expect(gw.requests).toHaveLength(1);
    expect(gw.requests[0]!.headers.via).toBeUndefined();
    expect(tlsGw.requests).toHaveLength(1);
  });

  it('off: HTTP_PROXY / HTTPS_PROXY in the environment are ignored too', async () => {
    const saved = {
      http: process.env.HTTP_PROXY,
      https: process.env.HTTPS_PROXY,
      no: process.env.NO_PROXY,
    };
    process.env.HTTP_PROXY = `http://${proxy.host}:${proxy.port}`;
    process.env.HTTPS_PROXY = `http://${proxy.host}:${proxy.port}`;
    delete process.env.NO_PROXY;
    try {
      await channel({ api_endpoint: `${gw.origin}/prod/` }).deliver(
        msg(),
        AbortSignal.timeout(10_000),
      );
      await channel({ api_endpoint: `${tlsGw.origin}/prod/` }).deliver(
        msg(),
        AbortSignal.timeout(10_000),
      );
    } finally {
      for (const [k, v] of [
        ['HTTP_PROXY', saved.http],
        ['HTTPS_PROXY', saved.https],
        ['NO_PROXY', saved.no],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(proxy.entries).toEqual([]);
    expect(gw.requests).toHaveLength(1);
    expect(tlsGw.requests).toHaveLength(1);
  });

  it('verify goes through the proxy as well (HEAD, or CONNECT for https)', async () => {
    await channel(on(`${gw.origin}/prod/`)).verify(AbortSignal.timeout(5000));
    await channel(on(`${tlsGw.origin}/prod/`)).verify(AbortSignal.timeout(5000));
    expect(proxy.entries.map((e) => [e.method, e.target])).toEqual([
      ['HEAD', `${gw.origin}/prod/`],
      ['CONNECT', `127.0.0.1:${tlsGw.port}`],
    ]);
    expect(gw.requests.map((r) => r.method)).toEqual(['HEAD']);
    expect(tlsGw.requests.map((r) => r.method)).toEqual(['HEAD']);
  });

  it('a proxy that is down: retried, then ERR_CHANNEL_UNREACHABLE naming the proxy', async () => {
    const port = await closedPort();
    const c = channel({
      api_endpoint: `${gw.origin}/prod/`,
      proxy_enable: 'true',
      proxy_server: '127.0.0.1',
      proxy_port: String(port),
    });
    await expect(c.deliver(msg(), AbortSignal.timeout(10_000))).rejects.toMatchObject({
      code: 'ERR_CHANNEL_UNREACHABLE',
      message: expect.stringMatching(
        new RegExp(`via proxy 127\\.0\\.0\\.1:${port}: ECONNREFUSED \\(3 attempts`),
      ),
      hint: expect.stringMatching(/proxy_server, proxy_port/),
    });
    expect(gw.requests).toHaveLength(0);
  });
});

describe('tinyproxy (Debian)', () => {
  const on = (endpoint: string) => ({
    api_endpoint: endpoint,
    proxy_enable: 'true',
    proxy_server: tiny.host,
    proxy_port: String(tiny.port),
  });

  /** Wait (bounded) until tinyproxy has logged `n` request lines. */
  async function tinyLines(n: number): Promise<string[]> {
    const deadline = Date.now() + 5000;
    while (tiny.requestLines().length < n && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    return tiny.requestLines();
  }

  it('on: forwards the POST to an http:// gateway and tunnels CONNECT to an https:// one; off: sees nothing', async () => {
    const before = tiny.requestLines().length;
    await channel(on(`${gw.origin}/prod/`)).deliver(msg(), AbortSignal.timeout(10_000));
    await channel(on(`${tlsGw.origin}/prod/`)).deliver(
      msg('bob.smith@adatum.labnet'),
      AbortSignal.timeout(10_000),
    );
    const lines = (await tinyLines(before + 2)).slice(before);
    expect(lines).toEqual([
      `POST ${gw.origin}/prod/test1test1 HTTP/1.1`,
      `CONNECT 127.0.0.1:${tlsGw.port} HTTP/1.1`,
    ]);
    expect(gw.requests.map((r) => [r.url, r.body])).toEqual([
      ['/prod/test1test1', `securemfa api otp code: ${CODE}`],
    ]);
    expect(String(gw.requests[0]!.headers.via)).toMatch(/tinyproxy/);
    expect(tlsGw.requests.map((r) => r.url)).toEqual(['/prod/bobsmith']);

    // Off: straight to the gateways; tinyproxy logs nothing new.
    await channel({
      api_endpoint: `${gw.origin}/prod/`,
      proxy_server: tiny.host,
      proxy_port: String(tiny.port),
    }).deliver(msg(), AbortSignal.timeout(10_000));
    await channel({ api_endpoint: `${tlsGw.origin}/prod/` }).deliver(
      msg(),
      AbortSignal.timeout(10_000),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(tiny.requestLines()).toHaveLength(before + 2);
    expect(gw.requests).toHaveLength(2);
    expect(gw.requests[1]!.headers.via).toBeUndefined();
    expect(tlsGw.requests).toHaveLength(2);
  });

  it('the gateway behind tinyproxy is down: the proxy’s 5xx is retried, then the status code', async () => {
    const port = await closedPort();
    const c = channel(on(`http://127.0.0.1:${port}/prod/`));
    const err = await c.deliver(msg(), AbortSignal.timeout(10_000)).then(
      () => undefined,
      (e: unknown) => e,
    );
    // tinyproxy answers 500 "Unable to connect" when it cannot reach the target. One match, so
    // that a failure shows the channel's message (why it was not the proxy's 5xx) too.
    expect(err).toMatchObject({
      code: 'ERR_CHANNEL_REJECTED',
      userMessage: expect.stringMatching(/\(HTTP 5\d\d\)$/),
      message: expect.stringMatching(
        new RegExp(`via proxy 127\\.0\\.0\\.1:${tiny.port} with HTTP 5\\d\\d \\(3 attempts`),
      ),
    });
  });
});
