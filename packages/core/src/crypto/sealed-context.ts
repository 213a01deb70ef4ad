/**
 * Sealed authentication contexts: what `begin` hands to the caller and `end` gets back.
 * Encrypted and authenticated (JWE, `dir` + A256GCM) with an expiry, under a key every node of
 * the farm derives from the same shared secret — so any node can finish what another began,
 * with no server-side session.
 *
 * @module crypto
 */
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt, errors as joseErrors } from 'jose';
import { ContextError } from '../errors.js';

/** Options shared by seal and open. */
export interface SealOptions {
  /** Shared secret of the farm (adapter_api_key or data_encryption_passphrase). */
  secret: string;
  /** Current time (injected). */
  now: Date;
  /** Audience the token is bound to (e.g. the provider id). */
  audience?: string;
}

const keys = new Map<string, Uint8Array>();

function keyFor(secret: string): Uint8Array {
  if (secret.length === 0) throw new TypeError('"secret" must not be empty');
  let key = keys.get(secret);
  if (key === undefined) {
    key = new Uint8Array(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'securemfa sealed context v1', 32));
    if (keys.size > 32) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * Seal a payload.
 *
 * @param payload - claims to carry (small: the UPN, language…)
 * @param options - secret, now, ttlSeconds, audience
 * @returns a compact JWE
 * @example
 * ```ts
 * const token = await sealContext({ upn }, { secret, now: new Date(), ttlSeconds: 300 });
 * ```
 */
export async function sealContext(
  payload: Record<string, unknown>,
  options: SealOptions & { ttlSeconds: number },
): Promise<string> {
  if (!Number.isInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
    throw new RangeError('"ttlSeconds" must be a positive integer');
  }
  const iat = Math.floor(options.now.getTime() / 1000);
  let jwt = new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(iat)
    .setExpirationTime(iat + options.ttlSeconds);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.encrypt(keyFor(options.secret));
}

/**
 * Open a sealed context.
 *
 * @param token - the compact JWE
 * @param options - secret, now, audience
 * @returns the payload
 * @throws {ContextError} ERR_CONTEXT_EXPIRED when past its expiry; ERR_CONTEXT_INVALID otherwise
 */
export async function openContext(token: string, options: SealOptions): Promise<Record<string, unknown>> {
  if (typeof token !== 'string' || token.length === 0 || token.length > 8192) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the context is not valid');
  }
  try {
    const { payload } = await jwtDecrypt(token, keyFor(options.secret), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      currentDate: options.now,
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    });
    return payload;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) {
      throw new ContextError('ERR_CONTEXT_EXPIRED', 'the context has expired', { cause: err });
    }
    throw new ContextError('ERR_CONTEXT_INVALID', 'the context is not valid', { cause: err });
  }
}
