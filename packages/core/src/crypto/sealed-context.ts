/**
 * Sealed authentication contexts: what `begin` hands to the caller and `end` gets back.
 *
 * A compact JWE (`dir` + `A256GCM`: encrypted and authenticated) with `iat`/`exp` and an optional
 * audience, under a 256-bit key every node of a farm derives from the same shared secret with
 * HKDF-SHA256 — so any node can finish what another began, with no server-side session
 * (DESIGN "Authentication lifecycle"). Algorithms are pinned on open and the clock is passed
 * explicitly (STYLE B.12, example 4). The derived key is cached per secret (bounded), not
 * derived per request.
 *
 * @see RFC 7516 (JWE), RFC 7518 §4.5 (`dir`) and §5.3 (A256GCM), RFC 5869 (HKDF)
 * @module crypto
 */
import { hkdfSync, webcrypto } from 'node:crypto';
import { EncryptJWT, errors as joseErrors, jwtDecrypt } from 'jose';
import { ContextError } from '../errors.js';
import { cacheId, LruCache } from './key-cache.js';

/** Longest token accepted by {@link openContext}. */
export const MAX_CONTEXT_LENGTH = 8192;
/** Longest lifetime a context may be sealed with (one day). */
export const MAX_CONTEXT_TTL_SECONDS = 86_400;
/** Claims the sealer sets itself; a payload may not carry them. */
const RESERVED_CLAIMS = ['iat', 'exp', 'nbf', 'aud'] as const;
const HKDF_SALT = Buffer.from('securemfa', 'utf8');
const HKDF_INFO = Buffer.from('securemfa sealed context v1: dir A256GCM', 'utf8');

/** The derived key, imported once as a WebCrypto key: jose re-imports a raw key on every call. */
const keys = new LruCache<Promise<webcrypto.CryptoKey>>(16);

function keyFor(secret: string): Promise<webcrypto.CryptoKey> {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      '"secret" must be a non-empty string (adapter_api_key or data_encryption_passphrase)',
    );
  }
  const id = cacheId('sealed-context', secret);
  let key = keys.get(id);
  if (key === undefined) {
    const raw = new Uint8Array(
      hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, HKDF_INFO, 32),
    );
    key = webcrypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(id, key);
  }
  return key;
}

function checkNow(now: Date): Date {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TypeError('"now" must be a valid Date');
  }
  return now;
}

/** Options shared by {@link sealContext} and {@link openContext}. */
export interface ContextOptions {
  /** Shared secret of the farm (the host passes adapter_api_key or data_encryption_passphrase). */
  secret: string;
  /** The current time (injected). */
  now: Date;
  /** Audience the token is bound to (e.g. the provider id). Must match on open. */
  audience?: string | undefined;
}

/** Options of {@link sealContext}. */
export interface SealContextOptions extends ContextOptions {
  /** Lifetime in seconds (1–86,400). */
  ttlSeconds: number;
}

/**
 * Seal a payload into an encrypted, authenticated, expiring token.
 *
 * @param payload - small JSON claims (the UPN, language …); not `iat`, `exp`, `nbf` or `aud`
 * @param options - secret, now, ttlSeconds, audience
 * @returns a compact JWE (five dot-separated parts; the payload is not readable)
 * @throws {TypeError} when the payload is not a plain object or carries a reserved claim, or an
 *   option is missing
 * @throws {RangeError} when ttlSeconds is not an integer from 1 to 86,400
 * @example
 * ```ts
 * const context = await sealContext({ upn, lang }, { secret, now: new Date(), ttlSeconds: 300, audience: 'email-otp' });
 * ```
 */
export async function sealContext(
  payload: Record<string, unknown>,
  options: SealContextOptions,
): Promise<string> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TypeError('"payload" must be a plain object');
  }
  for (const claim of RESERVED_CLAIMS) {
    if (claim in payload) {
      throw new TypeError(`"payload" must not carry "${claim}" (set by sealContext)`);
    }
  }
  const { ttlSeconds } = options;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_CONTEXT_TTL_SECONDS) {
    throw new RangeError(
      `"ttlSeconds" must be an integer from 1 to ${MAX_CONTEXT_TTL_SECONDS}, got ${String(ttlSeconds)}`,
    );
  }
  const key = keyFor(options.secret);
  const iat = Math.floor(checkNow(options.now).getTime() / 1000);
  const jwt = new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.encrypt(await key);
}

/**
 * Open a sealed context: decrypt, authenticate, check expiry and audience.
 *
 * A token sealed with an audience only opens with that audience, and one sealed without an
 * audience only opens without one.
 *
 * @param token - the compact JWE from {@link sealContext}
 * @param options - secret, now, audience
 * @returns the payload, with `iat` and `exp` (and `aud` when bound)
 * @throws {ContextError} ERR_CONTEXT_EXPIRED when past `exp`; ERR_CONTEXT_INVALID for anything
 *   else (altered, other secret, other audience, not a context)
 * @example
 * ```ts
 * const { upn } = await openContext(context, { secret, now: new Date(), audience: 'email-otp' });
 * ```
 */
export async function openContext(
  token: string,
  options: ContextOptions,
): Promise<Record<string, unknown>> {
  const key = keyFor(options.secret);
  const now = checkNow(options.now);
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_CONTEXT_LENGTH) {
    throw new ContextError(
      'ERR_CONTEXT_INVALID',
      'the authentication context is missing, too long or not valid',
    );
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtDecrypt(token, await key, {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: now,
      clockTolerance: 0,
      requiredClaims: ['iat', 'exp'],
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    }));
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ContextError(
        'ERR_CONTEXT_EXPIRED',
        'the authentication context has expired; start again',
        {
          cause: err,
        },
      );
    }
    throw new ContextError('ERR_CONTEXT_INVALID', 'the authentication context is not valid', {
      cause: err,
    });
  }
  if (options.audience === undefined && payload.aud !== undefined) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the authentication context is not valid', {
      cause: new Error('the context is bound to an audience but none was expected'),
    });
  }
  return payload;
}
