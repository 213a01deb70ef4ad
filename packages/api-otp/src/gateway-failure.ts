/**
 * What went wrong with a POST to the gateway, in two forms: a {@link FailureKind} for the retry
 * policy, and — once the channel gives up — a `ChannelError` whose message tells the operator
 * what happened (server, status or errno, attempts, time; never a secret) and whose
 * `userMessage` is what the user is shown:
 *
 * | outcome | code | the user sees |
 * | --- | --- | --- |
 * | HTTP 403 | ERR_CHANNEL_AUTH | the gateway's body, sanitised (as the originals) — or "… (HTTP 403)" when empty |
 * | HTTP 401 | ERR_CHANNEL_AUTH | "We could not send your code. … (HTTP 401)" |
 * | any other status (3xx, 4xx, 5xx after retries) | ERR_CHANNEL_REJECTED | "… (HTTP <status>)": the status code only |
 * | no answer within the time | ERR_CHANNEL_TIMEOUT | the standard "could not send" text |
 * | refused, reset, closed, unknown host, TLS | ERR_CHANNEL_UNREACHABLE | the standard "could not send" text |
 *
 * @see seed 000 "Application" (200 and 403 bodies shown, other errors as status code only)
 * @module gateway-failure
 */
import { ChannelError, t } from '@securemfa/core';
import { sanitiseResponseText } from './response-text.js';
import type { FailureKind } from './retry-policy.js';

/** One failed attempt. */
export interface AttemptFailure {
  kind: FailureKind;
  /** HTTP status, when the gateway answered. */
  status?: number | undefined;
  /** errno / library code, when it did not (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED…). */
  errno?: string | undefined;
  /** The response body (bytes), when there was one. */
  body?: Buffer | undefined;
  /** The attempt's timeout, for a `timeout`. */
  timeoutMs?: number | undefined;
  /** The caller's deadline ended the attempt, not the attempt's own timeout. */
  aborted?: boolean | undefined;
  /** The original error. */
  cause?: unknown;
}

/** Codes of a connection that could not be made or broke before an answer: retryable. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

function codeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ERR_BAD_REQUEST' && code !== 'ERR_BAD_RESPONSE')
      return code;
    e = (e as { cause?: unknown }).cause;
  }
  const top = (err as { code?: unknown } | null)?.code;
  return typeof top === 'string' ? top : undefined;
}

/**
 * Classify an error thrown by the HTTP client for one attempt.
 *
 * @param err - what axios threw
 * @param how - whether the attempt's own timer or the caller's signal had fired, and the
 *   attempt's timeout
 * @returns the failure
 */
export function classifyError(
  err: unknown,
  how: { timedOut: boolean; aborted: boolean; timeoutMs: number },
): AttemptFailure {
  if (how.timedOut || how.aborted) {
    return {
      kind: 'timeout',
      timeoutMs: how.timeoutMs,
      aborted: how.aborted && !how.timedOut,
      cause: err,
    };
  }
  const errno = codeOf(err);
  const message = err instanceof Error ? err.message : '';
  if (errno !== undefined && CONNECTION_CODES.has(errno))
    return { kind: 'connection', errno, cause: err };
  if (/socket hang up/i.test(message))
    return { kind: 'connection', errno: errno ?? 'ECONNRESET', cause: err };
  if (errno !== undefined && TLS_CODE.test(errno)) return { kind: 'tls', errno, cause: err };
  if (/maxContentLength/i.test(message)) {
    return { kind: 'other', errno: 'ERR_RESPONSE_TOO_LARGE', cause: err };
  }
  return { kind: 'other', errno: errno ?? 'ERR_UNKNOWN', cause: err };
}

/**
 * Classify an HTTP answer that is not a success.
 *
 * @param status - the HTTP status (not 2xx)
 * @param body - the response body
 * @returns the failure: `server` for 5xx, `client` for everything else
 */
export function classifyStatus(status: number, body: Buffer | undefined): AttemptFailure {
  return { kind: status >= 500 && status <= 599 ? 'server' : 'client', status, body };
}

/** Facts for the final error. */
export interface FailureContext {
  /** The URI as it may be logged (see `loggableUri`). */
  uri: string;
  /** `host:port` of the proxy, when one is used. */
  proxy?: string | undefined;
  attempts: number;
  elapsedMs: number;
  /** The user's language. */
  lang: string;
  /** Values masked in any text shown to the user (code, header value). */
  masked: readonly string[];
  /** Why the retries stopped early, when they did. */
  stopped?: 'budget' | undefined;
}

/** "We could not send your code. Try again later. (HTTP 404)" */
function withStatus(lang: string, status: number): string {
  return `${t(lang, 'outcome.delivery_failed')} (HTTP ${status})`;
}

/**
 * The error a failed delivery ends with.
 *
 * @param failure - the last attempt's failure
 * @param ctx - URI, proxy, attempts, time, language, masked values
 * @returns the ChannelError (its message names no secret; userMessage as in the table above)
 */
export function failureToError(failure: AttemptFailure, ctx: FailureContext): ChannelError {
  const via = ctx.proxy === undefined ? '' : ` via proxy ${ctx.proxy}`;
  const tries = `${ctx.attempts} attempt${ctx.attempts === 1 ? '' : 's'} in ${Math.round(ctx.elapsedMs)} ms${ctx.stopped === 'budget' ? ', time budget used up' : ''}`;
  const options = { cause: failure.cause };
  if (failure.status !== undefined) {
    const status = failure.status;
    if (status === 403) {
      const body = sanitiseResponseText(failure.body, ctx.masked);
      return new ChannelError(
        'ERR_CHANNEL_AUTH',
        `the API gateway refused the POST to ${ctx.uri}${via}: HTTP 403${body === '' ? '' : ` "${body}"`}`,
        {
          ...options,
          userMessage: body === '' ? withStatus(ctx.lang, 403) : body,
          hint: 'check api_auth_endpoint_enabled, api_headers_key and api_headers_value, and that the gateway has a POST method for this user’s resource',
        },
      );
    }
    if (status === 401) {
      return new ChannelError(
        'ERR_CHANNEL_AUTH',
        `the API gateway requires authentication for ${ctx.uri}${via}: HTTP 401`,
        {
          ...options,
          userMessage: withStatus(ctx.lang, 401),
          hint: 'set api_auth_endpoint_enabled, api_headers_key and api_headers_value to what the gateway expects',
        },
      );
    }
    const hint =
      status >= 300 && status < 400
        ? 'the gateway redirects; redirects are not followed (the code and key would go elsewhere): set api_endpoint to the final URL'
        : status === 404
          ? 'the gateway has no resource for this user’s anchor (UPN before "@", special characters removed, lower case): create it'
          : status >= 500
            ? 'the gateway or the service behind it failed; see the gateway’s logs'
            : 'see the gateway’s logs for why it rejected the request';
    return new ChannelError(
      'ERR_CHANNEL_REJECTED',
      `the API gateway answered the POST to ${ctx.uri}${via} with HTTP ${status} (${tries})`,
      { ...options, userMessage: withStatus(ctx.lang, status), hint },
    );
  }
  if (failure.kind === 'timeout') {
    return new ChannelError(
      'ERR_CHANNEL_TIMEOUT',
      failure.aborted === true
        ? `the POST to the API gateway ${ctx.uri}${via} was cut off by the delivery deadline (${tries})`
        : `the API gateway ${ctx.uri}${via} did not answer within ${failure.timeoutMs ?? 0} ms (${tries})`,
      {
        ...options,
        hint: 'check that the gateway (and proxy) answer quickly; raise api_timeout if it is just slow',
      },
    );
  }
  const errno = failure.errno ?? 'ERR_UNKNOWN';
  const hint =
    failure.kind === 'tls'
      ? 'the gateway’s TLS certificate is not trusted for its name: fix the certificate, or add its CA with NODE_EXTRA_CA_CERTS'
      : errno === 'ENOTFOUND'
        ? 'the host name in api_endpoint (or proxy_server) does not resolve: check it and DNS'
        : errno === 'ERR_RESPONSE_TOO_LARGE'
          ? 'the gateway answered with a body larger than 64 KiB'
          : ctx.proxy !== undefined
            ? 'check that the proxy (proxy_server, proxy_port) and the gateway are reachable from this host'
            : 'check api_endpoint and that the gateway is reachable from this host (firewall; set proxy_enable if a proxy is needed)';
  const what =
    failure.kind === 'tls'
      ? `TLS with the API gateway ${ctx.uri}${via} failed: ${errno}`
      : errno === 'ERR_RESPONSE_TOO_LARGE'
        ? `the API gateway ${ctx.uri}${via} answered with a body that is too large`
        : `cannot reach the API gateway ${ctx.uri}${via}: ${errno}`;
  return new ChannelError('ERR_CHANNEL_UNREACHABLE', `${what} (${tries})`, { ...options, hint });
}
