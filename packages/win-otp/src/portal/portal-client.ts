/**
 * The agent's side of `POST /api/v1/win/validate`: seal the request (fresh state, timestamp),
 * send it with the x-api-key header within api_timeout (directly or through the configured
 * proxy), and verify the answer — MAC, echoed state, timestamp — before believing a word of it.
 *
 * Outcomes are values, not exceptions: `answer` (verified), `unreachable` (no connection, a
 * timeout, 502/503/504 — the only outcome that may fall back to offline validation), `refused`
 * (the portal said no to the message or the key: 400/401/404/429…), `tampered` (the answer did
 * not verify). axios errors never leave this module.
 *
 * @see seed 004 "api_timeout", "api_proxy_*", "API response message protection against replay or tampering"
 * @module portal
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import {
  CryptoError,
  openWinResponse,
  sealWinRequest,
  type WinEnvelope,
  type WinRequestBody,
  type WinResponse,
} from '@securemfa/core';
import type { AgentConfig } from '../config/agent-keys.js';
import { portalUrl } from '../config/derived-settings.js';
import { createTunnelAgent } from './proxy-tunnel.js';

/** The header the portal authenticates agents with. */
export const API_KEY_HEADER = 'x-api-key';
/** Largest answer read. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What one call ended with. */
export type PortalOutcome =
  | { kind: 'answer'; response: WinResponse }
  | { kind: 'unreachable'; detail: string }
  | { kind: 'refused'; status: number; error: string; detail: string }
  | { kind: 'tampered'; detail: string };

/** Options of {@link createPortalClient}. */
export interface PortalClientOptions {
  config: Pick<
    AgentConfig,
    | 'api_endpoint'
    | 'api_timeout'
    | 'api_headers_value'
    | 'api_proxy_enable'
    | 'api_proxy_server'
    | 'api_proxy_port'
    | 'api_max_clock_skew_seconds'
  >;
  envelope: WinEnvelope;
  clock: () => Date;
  /** Sent as the request's `agent` field and User-Agent (name/version host). */
  agentName: string;
  /** Extra trusted CAs (PEM) for an https portal (library use; the CLI uses Node's store). */
  ca?: string | Buffer | undefined;
}

/** Calls the portal. */
export interface PortalClient {
  /** The URL called. */
  readonly url: string;
  call(body: Omit<WinRequestBody, 'agent'>): Promise<PortalOutcome>;
}

const UNREACHABLE_STATUS = new Set([502, 503, 504]);

function describeNetworkError(err: unknown, timeoutMs: number): string {
  const e = err as { code?: string; message?: string; name?: string };
  if (
    e.code === 'ECONNABORTED' ||
    e.code === 'ETIMEDOUT' ||
    e.name === 'CanceledError' ||
    e.code === 'ERR_CANCELED'
  ) {
    return `no answer within ${timeoutMs} ms`;
  }
  return e.code ?? e.message ?? 'network error';
}

/**
 * Create the portal client.
 *
 * @param options - config, envelope, clock, agent name
 * @returns the client
 * @example
 * ```ts
 * const client = createPortalClient({ config, envelope, clock: () => new Date(), agentName: 'win-otp/0.1.0 ws1' });
 * const outcome = await client.call({ op: 'validate', upn: 'alice@adatum.labnet', code: '123456' });
 * ```
 */
export function createPortalClient(options: PortalClientOptions): PortalClient {
  const { config, envelope, clock } = options;
  const url = portalUrl(config);
  const isHttps = url.startsWith('https:');
  const timeout = config.api_timeout;
  const request: AxiosRequestConfig = {
    timeout,
    maxRedirects: 0,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: 16 * 1024,
    // Never the environment's HTTP(S)_PROXY: only what the config says.
    proxy: false,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': `securemfa-win-otp (${options.agentName})`,
      [API_KEY_HEADER]: config.api_headers_value,
    },
    httpAgent: new http.Agent({ keepAlive: false }),
    httpsAgent: new https.Agent({
      keepAlive: false,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
    }),
  };
  if (config.api_proxy_enable) {
    if (isHttps) {
      request.httpsAgent = createTunnelAgent({
        proxyHost: config.api_proxy_server,
        proxyPort: config.api_proxy_port,
        timeoutMs: timeout,
        ca: options.ca,
      });
    } else {
      request.proxy = {
        protocol: 'http',
        host: config.api_proxy_server,
        port: config.api_proxy_port,
      };
    }
  }
  const http$: AxiosInstance = axios.create(request);

  return {
    url,
    async call(body) {
      const sealed = sealWinRequest(
        envelope,
        { ...body, agent: options.agentName },
        { now: clock() },
      );
      let status: number;
      let text: string;
      try {
        const res = await http$.post<string>(url, JSON.stringify({ envelope: sealed.envelope }), {
          signal: AbortSignal.timeout(timeout),
        });
        status = res.status;
        text = typeof res.data === 'string' ? res.data : '';
      } catch (err) {
        return { kind: 'unreachable', detail: describeNetworkError(err, timeout) };
      }
      if (UNREACHABLE_STATUS.has(status)) {
        return { kind: 'unreachable', detail: `the portal answered HTTP ${status}` };
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
      if (status !== 200) {
        const error = typeof o.error === 'string' ? o.error.slice(0, 64) : 'http_error';
        const description =
          typeof o.error_description === 'string' ? o.error_description.slice(0, 200) : '';
        return {
          kind: 'refused',
          status,
          error,
          detail: `HTTP ${status} ${error}${description === '' ? '' : `: ${description}`}`,
        };
      }
      if (typeof o.envelope !== 'string') {
        return { kind: 'tampered', detail: 'the answer is not a sealed message' };
      }
      try {
        const response = openWinResponse(envelope, o.envelope, {
          state: sealed.state,
          now: clock(),
          maxSkewSeconds: config.api_max_clock_skew_seconds,
        });
        return { kind: 'answer', response };
      } catch (err) {
        if (!(err instanceof CryptoError)) throw err;
        const cause = err.cause instanceof Error ? err.cause.message : 'rejected';
        return { kind: 'tampered', detail: cause };
      }
    },
  };
}
