// A real QR OTP provider node for end-to-end tests: config from a plain object (checkConfig, the
// same validation a file gets), the composition root `createProviderRuntime`, the host
// `createRuntimeHost`, listening on 127.0.0.1 with an ephemeral port. Plus a small JSON client
// over the global fetch.
import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createProviderRuntime,
  type ProviderRuntime,
  type QrOtpConfig,
} from '@securemfa/core';
import { createRuntimeHost, type RuntimeHost } from '@securemfa/core/http';
import { qrOtpProvider } from '@securemfa/qr-otp';
import { mintPageRequest, type PageRequestOptions } from './browser-relying-app.js';
import { validConfig } from './valid-config.js';

/**
 * A normalised QrOtpConfig from a plain object, failing loudly on any config error.
 *
 * @param json - the file's keys
 * @returns the config
 */
export function qrConfig(json: Record<string, unknown>): QrOtpConfig {
  return validConfig('qr-otp', json);
}

/** A running node. */
export interface QrNode {
  runtime: ProviderRuntime<QrOtpConfig>;
  host: RuntimeHost;
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

/** Options of {@link startQrNode}. */
export interface QrNodeOptions {
  /** The config folder (relative paths of the config resolve against it). */
  configDir: string;
  /** A log file (default: no log output). */
  logFile?: string;
  /** An injected clock. */
  clock?: () => Date;
  /** Users the /demo page signs in as (as `serve --demo`). */
  demoUsers?: readonly string[];
  /** The logger's source (default `e2e-qr-otp`). */
  logSource?: string;
}

/**
 * Start a node.
 *
 * @param config - normalised config
 * @param options - config folder, log file, injected clock, demo users
 * @returns the node (close it in afterAll)
 */
export async function startQrNode(config: QrOtpConfig, options: QrNodeOptions): Promise<QrNode> {
  const logger = createLogger({
    source: options.logSource ?? 'e2e-qr-otp',
    console: false,
    file: options.logFile,
    secrets: [config.adapter_api_key, config.data_encryption_passphrase],
  });
  const runtime = await createProviderRuntime({
    definition: qrOtpProvider,
    config,
    configDir: options.configDir,
    logger,
    clock: options.clock,
  });
  let host: RuntimeHost;
  try {
    host = await createRuntimeHost(runtime, {
      configDir: options.configDir,
      demoUsers: options.demoUsers,
      processMetrics: false,
    });
    await host.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await runtime.close();
    await logger.close();
    throw err;
  }
  const { port } = host.app.server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    runtime,
    host,
    base: `http://127.0.0.1:${port}`,
    close() {
      closed ??= (async () => {
        await host.app.close();
        await runtime.close();
        await logger.close();
      })();
      return closed;
    },
  };
}

/** A response read completely. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (undefined when the body is not JSON). */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- wire JSON, asserted by tests
}

/** Per-request upper bound: nothing in a test waits longer on one request. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One HTTP request with a timeout; the body is read completely.
 *
 * @param url - absolute URL
 * @param init - method, headers, body
 * @returns status, headers, text and parsed JSON
 */
export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(url, {
    redirect: 'manual',
    ...init,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** What {@link openHostedPage} signs into the request JWT and sends. */
export interface HostedPageRequest extends PageRequestOptions {
  /** Request headers (Accept-Language, X-Forwarded-For …). */
  headers?: Record<string, string>;
}

/**
 * GET the hosted page (`/mfa`) as a relying app sends a browser there: a freshly signed request
 * JWT (sub, return_to, state, lang; {@link mintPageRequest}) valid for five minutes unless
 * `ttlSeconds` says otherwise.
 *
 * @param base - node base URL
 * @param request - key, audience, user, return address, state, language, headers
 * @returns the response
 */
export async function openHostedPage(
  base: string,
  request: HostedPageRequest,
): Promise<HttpResult> {
  const token = await mintPageRequest(request);
  return http(`${base}/mfa?request=${encodeURIComponent(token)}`, {
    headers: request.headers ?? {},
  });
}

/**
 * POST JSON with a bearer key.
 *
 * @param base - node base URL
 * @param path - route
 * @param body - a value to serialise, or a raw string sent as is
 * @param key - bearer key; undefined sends no Authorization header
 * @returns the response
 */
export function postJson(
  base: string,
  path: string,
  body: unknown,
  key: string | undefined,
): Promise<HttpResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  return http(`${base}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A JSON error body must not carry a stack trace, a file path or an internal error name. */
export function expectNoInternals(text: string): string[] {
  const leaks: string[] = [];
  if (/\bat [\w.<>]+ \(/.test(text) || /\n\s+at /.test(text)) leaks.push('stack frame');
  if (/"stack"/.test(text)) leaks.push('stack field');
  if (/\/work\/|node_modules|\.js:\d+/.test(text)) leaks.push('file path');
  if (/TypeError|SyntaxError|FST_ERR/.test(text)) leaks.push('internal error name');
  return leaks;
}
