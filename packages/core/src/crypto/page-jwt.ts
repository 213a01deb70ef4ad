/**
 * Request and response JWTs of the hosted MFA page (Duo-style): the relying app signs a request
 * (sub = UPN, aud, exp, return_to, state) with adapter_api_key; the page answers with a signed
 * response (sub, amr, the authentication method claim, state). HS256 only: algorithms are pinned
 * so `none` or a different algorithm is refused.
 *
 * @module crypto
 */
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import { ContextError } from '../errors.js';

const ALGORITHM = 'HS256';

function key(secret: string): Uint8Array {
  if (Buffer.byteLength(secret, 'utf8') < 16) {
    throw new TypeError('the signing key (adapter_api_key) must be at least 16 bytes');
  }
  return new TextEncoder().encode(secret);
}

/**
 * Sign a page JWT.
 *
 * @param claims - the claims (sub, state, …)
 * @param options - key, now, ttlSeconds, audience
 * @returns the compact JWS
 */
export async function signPageJwt(
  claims: JWTPayload,
  options: { secret: string; now: Date; ttlSeconds: number; audience: string },
): Promise<string> {
  const iat = Math.floor(options.now.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.ttlSeconds)
    .setAudience(options.audience)
    .sign(key(options.secret));
}

/**
 * Verify a page JWT (signature with pinned HS256, exp required, audience).
 *
 * @throws {ContextError} ERR_CONTEXT_EXPIRED or ERR_CONTEXT_INVALID (message says which check failed)
 */
export async function verifyPageJwt(
  token: string,
  options: { secret: string; now: Date; audience: string; clockToleranceSeconds?: number },
): Promise<JWTPayload> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the request token is missing or too long');
  }
  try {
    const { payload } = await jwtVerify(token, key(options.secret), {
      algorithms: [ALGORITHM],
      audience: options.audience,
      currentDate: options.now,
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ContextError('ERR_CONTEXT_EXPIRED', 'the request token has expired', { cause: err });
    }
    const reason =
      err instanceof joseErrors.JWTClaimValidationFailed
        ? `claim check failed (${err.claim})`
        : err instanceof joseErrors.JOSEAlgNotAllowed
          ? 'algorithm not allowed'
          : 'signature or format is not valid';
    throw new ContextError('ERR_CONTEXT_INVALID', `the request token is not valid: ${reason}`, { cause: err });
  }
}
