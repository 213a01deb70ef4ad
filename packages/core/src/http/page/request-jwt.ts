/**
 * The hosted page's request and response JWTs (DESIGN "HTTP provider host", Duo-style):
 *
 * - request: the relying app redirects to `/mfa?request=<JWT>`, HS256 with `adapter_api_key`:
 *   `sub` = UPN, `aud` = the page's configured audience, `exp` (required, short), `return_to`
 *   (absolute http/https URL), `state` (opaque, echoed back), optional `lang`;
 * - response: the page redirects to `return_to?response=<JWT>`, HS256 with the same key:
 *   `sub`, `aud` = the origin of `return_to`, `iss` = the page's audience, `iat`, `exp` (short),
 *   `jti`, `amr: ['otp']`, the AD FS authentication method claim, `state`.
 *
 * Signature and algorithm checks are crypto/page-jwt's (HS256 pinned: `alg: none`, HS512, RS256
 * are refused); this module adds the claim rules of the page. Every failure is a
 * `ContextError` (400): ERR_CONTEXT_EXPIRED past `exp`, ERR_CONTEXT_INVALID otherwise.
 *
 * @see RFC 7519 §4.1 (registered claims), RFC 8176 §2 (`amr` value `otp`),
 *   RFC 6749 §3.1.2 (a redirection URI is absolute and has no fragment)
 * @module http
 */
import { randomBytes } from 'node:crypto';
import { AUTH_METHOD_CLAIM, OTP_AUTH_METHOD } from '../../adapter/adapter.js';
import { signJwt, verifyJwt } from '../../crypto/page-jwt.js';
import { ContextError } from '../../errors.js';

/** Longest `state` accepted (it travels in URLs twice). */
export const MAX_STATE_LENGTH = 512;
/** Longest `return_to` accepted. */
export const MAX_RETURN_TO_LENGTH = 2048;
/** Longest `sub` (UPN) accepted, as the adapter. */
export const MAX_UPN_LENGTH = 256;
/** Default longest lifetime of a request (`exp` − now), in seconds: requests are short-lived. */
export const DEFAULT_MAX_REQUEST_TTL_SECONDS = 600;
/** Default lifetime of a response JWT, in seconds. */
export const DEFAULT_RESPONSE_TTL_SECONDS = 120;

/** A verified page request. */
export interface PageRequest {
  /** The UPN (`sub`). */
  upn: string;
  /** Where to send the response: absolute http(s), no credentials, no fragment. */
  returnTo: URL;
  /** Opaque value to echo back. */
  state: string;
  /** Optional language hint of the relying app (`lang` claim), unvalidated text. */
  lang: string | undefined;
  /** `exp` of the request. */
  expiresAt: Date;
}

/** Options of {@link verifyPageRequest}. */
export interface VerifyPageRequestOptions {
  /** adapter_api_key (HS256 key). */
  secret: string;
  /** Expected `aud`. */
  audience: string;
  /** The current time (injected). */
  now: Date;
  /** Clock tolerance in seconds for `exp`/`nbf`/`iat` (default 30). */
  clockTolerance?: number | undefined;
  /**
   * Longest accepted `exp − now` in seconds (default 600): a request valid for days is refused
   * even when correctly signed.
   */
  maxTtlSeconds?: number | undefined;
  /** When set, `return_to` must have one of these origins (`https://app.example`). */
  allowedReturnOrigins?: readonly string[] | undefined;
}

/** Claims of a response JWT as {@link verifyPageResponse} returns them. */
export interface PageResponse {
  upn: string;
  state: string;
  amr: string[];
  /** The AD FS authentication method claim value. */
  authenticationMethod: string;
  issuedAt: Date;
  expiresAt: Date;
}

function invalid(message: string): ContextError {
  return new ContextError('ERR_CONTEXT_INVALID', `the sign-in request is not valid: ${message}`);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Check a `return_to` value: an absolute http/https URL with a host, no user name or password,
 * no fragment, at most {@link MAX_RETURN_TO_LENGTH} characters.
 *
 * @param value - the claim value
 * @param allowedOrigins - optional origin allow-list
 * @returns the parsed URL
 * @throws {ContextError} ERR_CONTEXT_INVALID naming the rule that failed
 * @example
 * ```ts
 * parseReturnTo('https://app.example/cb?x=1').origin; // 'https://app.example'
 * parseReturnTo('javascript:alert(1)'); // throws ContextError
 * ```
 */
export function parseReturnTo(value: unknown, allowedOrigins?: readonly string[]): URL {
  if (typeof value !== 'string' || value.length === 0) throw invalid('"return_to" is missing');
  if (value.length > MAX_RETURN_TO_LENGTH || CONTROL.test(value) || value !== value.trim()) {
    throw invalid('"return_to" is too long or has control characters');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('"return_to" is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid('"return_to" must be an http or https URL');
  }
  if (url.hostname === '') throw invalid('"return_to" has no host');
  if (url.username !== '' || url.password !== '')
    throw invalid('"return_to" must not carry credentials');
  if (url.hash !== '' || value.includes('#')) throw invalid('"return_to" must not have a fragment');
  if (allowedOrigins !== undefined && !allowedOrigins.includes(url.origin)) {
    throw invalid('"return_to" is not an allowed origin');
  }
  return url;
}

/**
 * Verify a request JWT and its page claims.
 *
 * @param token - the `request` query/form value
 * @param options - key, audience, clock, limits
 * @returns the verified request
 * @throws {ContextError} ERR_CONTEXT_EXPIRED when past `exp`; ERR_CONTEXT_INVALID for a bad
 *   signature, algorithm, audience, a missing/long-lived `exp`, or a bad `sub`/`return_to`/`state`
 * @throws {TypeError} when the key is shorter than 16 bytes
 * @example
 * ```ts
 * const req = await verifyPageRequest(query.request, { secret: cfg.adapter_api_key, audience: 'https://mfa.example/mfa', now: new Date() });
 * ```
 */
export async function verifyPageRequest(
  token: unknown,
  options: VerifyPageRequestOptions,
): Promise<PageRequest> {
  if (typeof token !== 'string' || token.length === 0) throw invalid('no request token');
  const claims = await verifyJwt(token, {
    secret: options.secret,
    now: options.now,
    audience: options.audience,
    clockTolerance: options.clockTolerance,
    requiredClaims: ['exp', 'sub', 'return_to', 'state'],
  });
  const maxTtl = options.maxTtlSeconds ?? DEFAULT_MAX_REQUEST_TTL_SECONDS;
  const exp = claims.exp as number; // required above, a number (jose checks its type)
  if (exp - options.now.getTime() / 1000 > maxTtl + (options.clockTolerance ?? 30)) {
    throw invalid(`"exp" is more than ${maxTtl} seconds away; requests must be short-lived`);
  }
  const { sub, state, lang } = claims;
  if (
    typeof sub !== 'string' ||
    sub.trim().length === 0 ||
    sub.length > MAX_UPN_LENGTH ||
    CONTROL.test(sub)
  ) {
    throw invalid(`"sub" must be a UPN of 1–${MAX_UPN_LENGTH} printable characters`);
  }
  if (
    typeof state !== 'string' ||
    state.length === 0 ||
    state.length > MAX_STATE_LENGTH ||
    CONTROL.test(state)
  ) {
    throw invalid(`"state" must be 1–${MAX_STATE_LENGTH} printable characters`);
  }
  const returnTo = parseReturnTo(claims.return_to, options.allowedReturnOrigins);
  return {
    upn: sub.trim(),
    returnTo,
    state,
    lang: typeof lang === 'string' && lang.length <= 35 ? lang : undefined,
    expiresAt: new Date(exp * 1000),
  };
}

/** Options of {@link signPageResponse}. */
export interface SignPageResponseOptions {
  /** adapter_api_key (HS256 key). */
  secret: string;
  /** The current time (injected). */
  now: Date;
  /** `iss`: the page's audience (who asserts the result). */
  issuer: string;
  /** Lifetime in seconds (default 120). */
  ttlSeconds?: number | undefined;
}

/**
 * Sign the response for a verified request whose code was accepted.
 *
 * @param request - the verified request (sub, return_to, state)
 * @param options - key, clock, issuer, lifetime
 * @returns the compact JWS; `aud` is the origin of `return_to`
 * @throws {TypeError} when the key is shorter than 16 bytes
 * @example
 * ```ts
 * const jwt = await signPageResponse(req, { secret, now: new Date(), issuer: 'https://mfa.example/mfa' });
 * ```
 */
export async function signPageResponse(
  request: Pick<PageRequest, 'upn' | 'returnTo' | 'state'>,
  options: SignPageResponseOptions,
): Promise<string> {
  return signJwt(
    {
      sub: request.upn,
      amr: ['otp'],
      [AUTH_METHOD_CLAIM]: OTP_AUTH_METHOD,
      state: request.state,
      jti: randomBytes(16).toString('base64url'),
    },
    {
      secret: options.secret,
      now: options.now,
      ttlSeconds: options.ttlSeconds ?? DEFAULT_RESPONSE_TTL_SECONDS,
      audience: request.returnTo.origin,
      issuer: options.issuer,
    },
  );
}

/**
 * `return_to` with `response=<jwt>` appended, keeping return_to's own query as it was.
 *
 * @param returnTo - the verified return URL
 * @param responseJwt - the signed response
 * @returns the absolute URL for the 303 `Location`
 * @example
 * ```ts
 * responseLocation(new URL('https://app.example/cb?a=1'), jwt); // 'https://app.example/cb?a=1&response=eyJ…'
 * ```
 */
export function responseLocation(returnTo: URL, responseJwt: string): string {
  const url = new URL(returnTo.href);
  const pair = `response=${encodeURIComponent(responseJwt)}`;
  url.search = url.search.length > 1 ? `${url.search}&${pair}` : `?${pair}`;
  return url.href;
}

/** Options of {@link verifyPageResponse}. */
export interface VerifyPageResponseOptions {
  secret: string;
  now: Date;
  /** The relying app's origin (the response's `aud`). */
  audience: string;
  /** The page's audience (the response's `iss`). */
  issuer: string;
  /** The state the relying app sent, compared exactly. */
  expectedState?: string | undefined;
  clockTolerance?: number | undefined;
}

/**
 * Verify a response JWT, as a relying app does (used by the demo's /demo/done and by tests).
 *
 * @param token - the `response` query value
 * @param options - key, clock, audience (own origin), issuer (the page's audience), state
 * @returns the verified response
 * @throws {ContextError} ERR_CONTEXT_EXPIRED / ERR_CONTEXT_INVALID (signature, algorithm,
 *   audience, issuer, missing amr/claim, state mismatch)
 * @example
 * ```ts
 * const res = await verifyPageResponse(query.response, { secret, now: new Date(), audience: 'https://app.example', issuer: 'https://mfa.example/mfa', expectedState: session.state });
 * ```
 */
export async function verifyPageResponse(
  token: unknown,
  options: VerifyPageResponseOptions,
): Promise<PageResponse> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the sign-in response is missing');
  }
  const claims = await verifyJwt(token, {
    secret: options.secret,
    now: options.now,
    audience: options.audience,
    issuer: options.issuer,
    clockTolerance: options.clockTolerance,
    requiredClaims: ['exp', 'iat', 'sub', 'amr', 'state', AUTH_METHOD_CLAIM],
  });
  const { sub, state, amr } = claims;
  const method = claims[AUTH_METHOD_CLAIM];
  const bad = (what: string) =>
    new ContextError('ERR_CONTEXT_INVALID', `the sign-in response is not valid: ${what}`);
  if (typeof sub !== 'string' || sub.length === 0) throw bad('"sub" is missing');
  if (typeof state !== 'string') throw bad('"state" is missing');
  if (!Array.isArray(amr) || !amr.every((v) => typeof v === 'string') || !amr.includes('otp')) {
    throw bad('"amr" does not contain "otp"');
  }
  if (method !== OTP_AUTH_METHOD) throw bad('the authentication method is not OTP');
  if (options.expectedState !== undefined && state !== options.expectedState) {
    throw bad('"state" does not match');
  }
  return {
    upn: sub,
    state,
    amr: amr as string[],
    authenticationMethod: method,
    issuedAt: new Date((claims.iat as number) * 1000),
    expiresAt: new Date((claims.exp as number) * 1000),
  };
}
