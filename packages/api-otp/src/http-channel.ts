/**
 * The API delivery channel: a `SendChannel` that POSTs the code to an HTTP API gateway with
 * axios (seed 000) — AWS API Gateway → SNS for SMS or e-mail, Azure API Management, or any
 * RESTful endpoint with one resource per user.
 *
 * - URI: `api_endpoint` + the user's anchor (gateway-uri.ts, anchor.ts).
 * - Body: the code text or the JSON object with custom directory attributes (request-body.ts).
 * - `api_auth_endpoint_enabled`: the header `api_headers_key: api_headers_value`.
 * - `proxy_enable`: every request goes through the HTTP proxy `proxy_server:proxy_port` —
 *   an absolute-URI request for an http:// gateway, a CONNECT tunnel for https:// (TLS stays
 *   end to end; the proxy sees only host and port). Off: a direct connection, and the
 *   HTTP(S)_PROXY environment variables are ignored (the config decides, not the environment).
 * - Time: each attempt is bounded by `api_timeout`; connection errors and 5xx are retried with
 *   backoff, all attempts together within `api_timeout × attempts` (retry-policy.ts).
 * - Answers: 2xx = delivered (a 200 body is shown to the user, sanitised); anything else is a
 *   `ChannelError` (gateway-failure.ts). Redirects are not followed: following one would send
 *   the code and the key header to wherever the gateway points.
 * - verboselog: the POST is logged (method, URI without credentials, content type, header
 *   names, body with the code masked); the header value and the code never are.
 *
 * @see seed 000 "Enable API Endpoint", "Authentication", "Proxy Configuration", "Customizations"
 * @module http-channel
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosProxyConfig } from 'axios';
import {
  ChannelError,
  ConfigError,
  MASK,
  type ApiOtpConfig,
  type DeliveryReceipt,
  type Logger,
  type OtpMessage,
  type SendChannel,
} from '@securemfa/core';
import { userAnchor } from './anchor.js';
import {
  classifyError,
  classifyStatus,
  failureToError,
  type AttemptFailure,
} from './gateway-failure.js';
import { gatewayUri, loggableUri, parseEndpoint } from './gateway-uri.js';
import { buildGatewayBody } from './request-body.js';
import { sanitiseResponseText } from './response-text.js';
import { createRetryPolicy, DEFAULT_MAX_ATTEMPTS, nextAttempt } from './retry-policy.js';

/** The config keys the channel reads. */
export type HttpChannelConfig = Pick<
  ApiOtpConfig,
  | 'api_endpoint'
  | 'api_timeout'
  | 'api_code_text'
  | 'api_auth_endpoint_enabled'
  | 'api_headers_key'
  | 'api_headers_value'
  | 'api_allparams_inbody'
  | 'api_text_content_type'
  | 'api_customparams_enable'
  | 'api_customparams'
  | 'proxy_enable'
  | 'proxy_server'
  | 'proxy_port'
  | 'company'
>;

/** Options of {@link createHttpChannel}. */
export interface CreateHttpChannelOptions {
  config: HttpChannelConfig;
  logger: Logger;
  /** Attempts per code, 1–5 (default 3): the first try and up to two retries. */
  maxAttempts?: number | undefined;
  /**
   * Extra CAs trusted for an https:// gateway, besides Node's (tests, private PKI). In
   * production, `NODE_EXTRA_CA_CERTS` does the same for the whole process.
   */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /** IANA zone of the "valid until" time in the JSON body (default: the host's zone). */
  timeZone?: string | undefined;
  /** Jitter source of the backoff (default Math.random). */
  random?: (() => number) | undefined;
  /** User-Agent header (default `securemfa-api-otp`). */
  userAgent?: string | undefined;
}

/** The API channel: a `SendChannel` with its delivery budget. */
export interface HttpChannel extends SendChannel {
  readonly name: 'api';
  /** The longest one delivery may take, retries and pauses included (ms). */
  readonly deliveryTimeoutMs: number;
}

/** Largest response body read (bytes); a larger one fails the attempt. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** Largest request body sent (bytes). */
const MAX_REQUEST_BYTES = 256 * 1024;
/** HTTP statuses of `verify`'s HEAD that mean the gateway is not working. */
const VERIFY_FAILURE_STATUSES = new Set([500, 502, 503, 504]);
/** A header value Node would refuse (RFC 9110 field-value: visible ASCII, Latin-1, SP, HTAB). */
const BAD_HEADER_VALUE = /[^\t\u0020-\u007e\u0080-\u00ff]/;

function configProblem(key: string, message: string): ConfigError {
  return new ConfigError('ERR_CONFIG_INVALID', `${key}: ${message}`, {
    file: '<config>',
    issues: [{ file: '<config>', key, message: `${key}: ${message}` }],
  });
}

/**
 * Create the API channel.
 *
 * @param options - the config keys, the logger; optionally attempts, extra CAs, time zone
 * @returns the channel (close it to release its sockets)
 * @throws {ConfigError} when api_endpoint is not an http(s) URL, proxy_enable has no
 *   proxy_server, or api_headers_value holds characters an HTTP header cannot carry
 * @throws {RangeError} when `maxAttempts` is out of range
 * @example
 * ```ts
 * const channel = createHttpChannel({ config, logger });
 * const receipt = await channel.deliver(
 *   { upn: 'Test1.Test1@adatum.labnet', to: 'test1test1', code: '123456', validUntil, lang: 'en', attributes: {} },
 *   AbortSignal.timeout(channel.deliveryTimeoutMs),
 * ); // POST https://…/prod/test1test1
 * ```
 */
export function createHttpChannel(options: CreateHttpChannelOptions): HttpChannel {
  const { config, logger } = options;
  if (config === undefined || logger === undefined) {
    throw new TypeError('"config" and "logger" options are required');
  }
  const endpoint = config.api_endpoint.trim();
  if (endpoint !== '') {
    try {
      parseEndpoint(endpoint);
    } catch {
      throw configProblem('api_endpoint', `expected an absolute https:// or http:// URL`);
    }
  }
  const auth = config.api_auth_endpoint_enabled;
  if (auth && BAD_HEADER_VALUE.test(config.api_headers_value)) {
    throw configProblem(
      'api_headers_value',
      'holds characters an HTTP header cannot carry (only visible ASCII, Latin-1 letters, spaces and tabs)',
    );
  }
  let proxy: AxiosProxyConfig | false = false;
  let proxyLabel: string | undefined;
  if (config.proxy_enable) {
    const host = config.proxy_server.trim().replace(/^\[(.*)\]$/, '$1');
    if (host === '') throw configProblem('proxy_server', 'is empty, but proxy_enable is true');
    proxy = { protocol: 'http', host, port: config.proxy_port };
    proxyLabel = `${isIP(host) === 6 ? `[${host}]` : host}:${config.proxy_port}`;
  }
  const policy = createRetryPolicy(config.api_timeout, options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const random = options.random ?? Math.random;
  const customParams = config.api_customparams_enable ? config.api_customparams : undefined;
  const attributes = [...new Set(Object.values(customParams ?? {}))];
  const secretHeader = auth
    ? { name: config.api_headers_key, value: config.api_headers_value }
    : undefined;
  if (secretHeader !== undefined) logger.redactor.addSecrets([secretHeader.value]);

  // One agent pair per channel, no keep-alive: codes are rare, and a pooled socket the gateway
  // closed meanwhile would only turn into a spurious ECONNRESET.
  const httpAgent = new HttpAgent({ keepAlive: false });
  const httpsAgent = new HttpsAgent({
    keepAlive: false,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const client: AxiosInstance = axios.create({
    adapter: 'http',
    proxy,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
    responseType: 'arraybuffer',
    transformResponse: [(data: unknown) => data],
    // The body is built exactly (buildGatewayBody): axios must not JSON-encode the code text
    // again because its Content-Type says application/json.
    transformRequest: [(data: unknown) => data],
    validateStatus: () => true,
    maxContentLength: MAX_RESPONSE_BYTES,
    maxBodyLength: MAX_REQUEST_BYTES,
    timeout: 0,
  });
  const baseHeaders = (): Record<string, string> => ({
    'User-Agent': options.userAgent ?? 'securemfa-api-otp',
    Accept: '*/*',
    ...(secretHeader === undefined ? {} : { [secretHeader.name]: secretHeader.value }),
  });
  const loggedHeaders = (contentType?: string): Record<string, string> => ({
    ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
    ...(secretHeader === undefined ? {} : { [secretHeader.name]: MASK }),
  });
  let closed = false;

  /** One request; resolves with the answer or the classified failure (never rejects). */
  const attempt = async (
    method: 'POST' | 'HEAD',
    uri: string,
    headers: Record<string, string>,
    data: string | undefined,
    timeoutMs: number,
    outer: AbortSignal,
  ): Promise<
    { ok: true; status: number; body: Buffer } | { ok: false; failure: AttemptFailure }
  > => {
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([outer, timer]);
    try {
      const res = await client.request<Buffer>({ method, url: uri, headers, data, signal });
      const body = Buffer.isBuffer(res.data) ? res.data : Buffer.from(res.data ?? '');
      return { ok: true, status: res.status, body };
    } catch (err) {
      return {
        ok: false,
        failure: classifyError(err, { timedOut: timer.aborted, aborted: outer.aborted, timeoutMs }),
      };
    }
  };

  return {
    mode: 'send',
    name: 'api',
    attributes,
    deliveryTimeoutMs: policy.budgetMs,

    recipient(upn) {
      if (endpoint === '') return undefined;
      const anchor = userAnchor(upn);
      return anchor === '' ? undefined : anchor;
    },

    async deliver(msg: OtpMessage, signal: AbortSignal): Promise<DeliveryReceipt> {
      if (msg === null || typeof msg !== 'object')
        throw new TypeError('"msg" must be an OtpMessage');
      if (!(signal instanceof AbortSignal)) throw new TypeError('"signal" must be an AbortSignal');
      if (closed) throw new ChannelError('ERR_CHANNEL_UNREACHABLE', 'the API channel is closed');
      if (endpoint === '') {
        throw new ChannelError(
          'ERR_CHANNEL_REJECTED',
          'api_endpoint is empty: no code can be sent',
          {
            hint: 'set api_endpoint to the gateway URL',
          },
        );
      }
      const uri = gatewayUri(endpoint, msg.to);
      const shownUri = loggableUri(uri);
      const body = buildGatewayBody(msg, {
        allParams: config.api_allparams_inbody,
        codeText: config.api_code_text,
        textContentType: config.api_text_content_type,
        company: config.company,
        customParams,
        timeZone: options.timeZone,
      });
      const headers = { ...baseHeaders(), 'Content-Type': body.contentType };
      const masked = [msg.code, ...(secretHeader === undefined ? [] : [secretHeader.value])];
      logger.debug('POST to the API gateway', {
        upn: msg.upn,
        method: 'POST',
        url: shownUri,
        proxy: proxyLabel ?? 'none',
        headers: loggedHeaders(body.contentType),
        body: body.logged,
      });

      const t0 = performance.now();
      let attempts = 0;
      let timeoutMs = policy.attemptTimeoutMs;
      for (;;) {
        attempts += 1;
        const result = await attempt('POST', uri, headers, body.data, timeoutMs, signal);
        const elapsedMs = performance.now() - t0;
        if (result.ok && result.status >= 200 && result.status <= 299) {
          const text = result.status === 200 ? sanitiseResponseText(result.body, masked) : '';
          logger.debug('API gateway accepted the code', {
            upn: msg.upn,
            url: shownUri,
            status: result.status,
            attempts,
            ms: Math.round(elapsedMs),
            responseText: text,
          });
          return {
            destination: new URL(uri).host,
            ...(text === '' ? {} : { userMessage: text }),
          };
        }
        const failure: AttemptFailure = result.ok
          ? classifyStatus(result.status, result.body)
          : result.failure;
        const decision = nextAttempt(policy, { attempts, elapsedMs, kind: failure.kind }, random);
        if (!decision.retry) {
          throw failureToError(failure, {
            uri: shownUri,
            proxy: proxyLabel,
            attempts,
            elapsedMs,
            lang: msg.lang,
            masked,
            ...(decision.why === 'budget' ? { stopped: 'budget' as const } : {}),
          });
        }
        logger.warn('API gateway attempt failed; retrying', {
          upn: msg.upn,
          url: shownUri,
          attempt: attempts,
          reason: failure.status === undefined ? failure.errno : `HTTP ${failure.status}`,
          retryInMs: decision.delayMs,
        });
        try {
          await sleep(decision.delayMs, undefined, { signal });
        } catch {
          throw failureToError(
            { kind: 'timeout', aborted: true, cause: signal.reason },
            {
              uri: shownUri,
              proxy: proxyLabel,
              attempts,
              elapsedMs: performance.now() - t0,
              lang: msg.lang,
              masked,
            },
          );
        }
        timeoutMs = decision.timeoutMs;
      }
    },

    async verify(signal: AbortSignal): Promise<string> {
      if (!(signal instanceof AbortSignal)) throw new TypeError('"signal" must be an AbortSignal');
      if (endpoint === '') {
        throw new ChannelError(
          'ERR_CHANNEL_REJECTED',
          'api_endpoint is empty: no code can be sent',
          {
            hint: 'set api_endpoint to the gateway URL',
          },
        );
      }
      // HEAD on the endpoint itself, not on a user's resource: nothing is delivered (delivery is
      // a POST), and no user name travels. Any HTTP answer proves DNS, TCP, the proxy and TLS
      // work; only 500/502/503/504 say the gateway itself is broken.
      const uri = parseEndpoint(endpoint).toString();
      const shownUri = loggableUri(uri);
      logger.debug('HEAD to the API gateway (verify)', {
        method: 'HEAD',
        url: shownUri,
        proxy: proxyLabel ?? 'none',
        headers: loggedHeaders(),
      });
      const t0 = performance.now();
      const result = await attempt(
        'HEAD',
        uri,
        baseHeaders(),
        undefined,
        policy.attemptTimeoutMs,
        signal,
      );
      const elapsedMs = performance.now() - t0;
      const ctx = {
        uri: shownUri,
        proxy: proxyLabel,
        attempts: 1,
        elapsedMs,
        lang: 'en',
        masked: [],
      };
      if (!result.ok) throw failureToError(result.failure, ctx);
      if (VERIFY_FAILURE_STATUSES.has(result.status)) {
        throw new ChannelError(
          'ERR_CHANNEL_REJECTED',
          `the API gateway ${shownUri}${proxyLabel === undefined ? '' : ` via proxy ${proxyLabel}`} answers HEAD with HTTP ${result.status}`,
          { hint: 'the gateway or the service behind it is failing; see the gateway’s logs' },
        );
      }
      logger.info('API gateway reachable', {
        url: shownUri,
        proxy: proxyLabel ?? 'none',
        status: result.status,
        ms: Math.round(elapsedMs),
      });
      return `${shownUri}${proxyLabel === undefined ? '' : ` via proxy ${proxyLabel}`} answers (HEAD: HTTP ${result.status}); the key is only checked by a real delivery`;
    },

    async close() {
      closed = true;
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
