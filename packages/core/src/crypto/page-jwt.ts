/**
 * Request and response JWTs of the hosted MFA page (Duo-style, DESIGN "HTTP provider host"):
 * the relying app redirects to `/mfa?request=<JWT>` signed with `adapter_api_key`
 * (sub = UPN, aud, exp, return_to, state); the page answers at `return_to` with a signed response
 * (sub, amr `['otp']`, the authentication method claim, state).
 *
 * HS256 only: the algorithm is pinned on verify, so `alg: none` or any other algorithm (HS512,
 * RS256 with the key as a "public key" …) is refused. The clock is injected (`currentDate`) and
 * the clock tolerance explicit (STYLE B.12). Errors are `ContextError`s.
 *
 * @see RFC 7519 (JWT), RFC 7518 §3.2 (HS256), RFC 8176 (amr values)
 * @module crypto
 */
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { ContextError } from '../errors.js';

/** The one algorithm of page JWTs. */
export const PAGE_JWT_ALGORITHM = 'HS256';
/** Shortest signing key accepted, in bytes (RFC 7518 §3.2 wants at least the hash size; config asks for 32+). */
export const MIN_PAGE_JWT_KEY_BYTES = 16;
/** Longest token accepted by {@link verifyJwt}. */
export const MAX_PAGE_JWT_LENGTH = 8192;
/** Default clock tolerance of {@link verifyJwt}, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** Claims of the request JWT the relying app sends to the hosted page. */
export interface PageRequestClaims extends JWTPayload {
  /** The user's UPN. */
  sub: string;
  /** Where the page returns the response (`?response=<JWT>`). */
  return_to: string;
  /** Opaque value echoed in the response (CSRF binding for the relying app). */
  state: string;
}

/** Claims of the response JWT the hosted page sends back. */
export interface PageResponseClaims extends JWTPayload {
  /** The user's UPN. */
  sub: string;
  /** Authentication methods (RFC 8176): `['otp']`. */
  amr: string[];
  /** The request's `state`. */
  state: string;
}

/** Options of {@link signJwt}. */
export interface SignJwtOptions {
  /** The HS256 key (adapter_api_key), at least 16 bytes. */
  secret: string;
  /** The current time (injected): `iat`. */
  now: Date;
  /** Lifetime in seconds: `exp = iat + ttlSeconds`. */
  ttlSeconds: number;
  /** `aud`: who may accept the token (the page's URL for requests, the relying app's for responses). */
  audience: string;
  /** `iss`, when set. */
  issuer?: string | undefined;
}

/** Options of {@link verifyJwt}. */
export interface VerifyJwtOptions {
  /** The HS256 key (adapter_api_key), at least 16 bytes. */
  secret: string;
  /** The current time (injected). */
  now: Date;
  /** The expected `aud`. */
  audience: string;
  /** The expected `iss`, when set. */
  issuer?: string | undefined;
  /** Allowed clock skew in seconds for `exp`/`nbf`/`iat` (default 30). */
  clockTolerance?: number | undefined;
  /** Claims that must be present (default `['exp', 'sub']`). */
  requiredClaims?: readonly string[] | undefined;
}

function hmacKey(secret: string): Uint8Array {
  if (typeof secret !== 'string' || Buffer.byteLength(secret, 'utf8') < MIN_PAGE_JWT_KEY_BYTES) {
    throw new TypeError(
      `"secret" (adapter_api_key) must be a string of at least ${MIN_PAGE_JWT_KEY_BYTES} bytes`,
    );
  }
  return Buffer.from(secret, 'utf8');
}

function checkNow(now: Date): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('"now" must be a valid Date');
  }
  return now;
}

/**
 * Sign a page JWT with HS256, setting `iat`, `exp`, `aud` (and `iss`).
 *
 * @param claims - the claims (`sub`, `state`, `return_to` or `amr` …)
 * @param options - secret, now, ttlSeconds, audience, issuer
 * @returns the compact JWS
 * @throws {TypeError} when the secret is shorter than 16 bytes or `now` is not a Date
 * @throws {RangeError} when ttlSeconds is not a positive integer
 * @example
 * ```ts
 * const request = await signJwt(
 *   { sub: 'alice@contoso.com', return_to: 'https://app/cb', state },
 *   { secret: cfg.adapter_api_key, now: new Date(), ttlSeconds: 300, audience: 'https://mfa.contoso.com/mfa' },
 * );
 * ```
 */
export async function signJwt(claims: JWTPayload, options: SignJwtOptions): Promise<string> {
  const key = hmacKey(options.secret);
  const { ttlSeconds } = options;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError(`"ttlSeconds" must be a positive integer, got ${String(ttlSeconds)}`);
  }
  const iat = Math.floor(checkNow(options.now).getTime() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: PAGE_JWT_ALGORITHM, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setAudience(options.audience);
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  return jwt.sign(key);
}

function reasonOf(err: unknown): string {
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    return `claim check failed (${err.claim}: ${err.reason})`;
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature does not verify';
  return 'not a well-formed JWT';
}

/**
 * Verify a page JWT: HS256 signature (algorithm pinned), `exp` (required), `aud`, optional `iss`,
 * with an explicit clock and tolerance.
 *
 * @param token - the compact JWS
 * @param options - secret, now, audience, issuer, clockTolerance, requiredClaims
 * @returns the verified claims
 * @throws {ContextError} ERR_CONTEXT_EXPIRED when past `exp` (beyond the tolerance);
 *   ERR_CONTEXT_INVALID otherwise, the message saying which check failed
 * @throws {TypeError} when the secret is shorter than 16 bytes or `now` is not a Date
 * @example
 * ```ts
 * const claims = await verifyJwt(req.query.request, { secret, now: new Date(), audience: pageUrl, requiredClaims: ['exp', 'sub', 'return_to', 'state'] });
 * ```
 */
export async function verifyJwt(token: string, options: VerifyJwtOptions): Promise<JWTPayload> {
  const key = hmacKey(options.secret);
  const now = checkNow(options.now);
  const clockTolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new RangeError(
      `"clockTolerance" must be a non-negative number of seconds, got ${String(clockTolerance)}`,
    );
  }
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_PAGE_JWT_LENGTH) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the token is not valid: missing or too long');
  }
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [PAGE_JWT_ALGORITHM],
      audience: options.audience,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      currentDate: now,
      clockTolerance,
      requiredClaims: [...(options.requiredClaims ?? ['exp', 'sub'])],
    });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ContextError('ERR_CONTEXT_EXPIRED', 'the token has expired', { cause: err });
    }
    throw new ContextError('ERR_CONTEXT_INVALID', `the token is not valid: ${reasonOf(err)}`, {
      cause: err,
    });
  }
}

/**
 * @deprecated Use {@link signJwt} (same function; kept for code written against the first cut).
 */
export const signPageJwt = signJwt;
/**
 * @deprecated Use {@link verifyJwt} (same function; kept for code written against the first cut).
 */
export const verifyPageJwt = verifyJwt;
