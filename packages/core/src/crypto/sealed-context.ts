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
 * Why not through jose, as the hosted page's JWTs are: jose 6 runs only on WebCrypto, and on
 * Node 20 every WebCrypto AES-GCM call is an asynchronous job (a thread-pool round trip and a
 * promise): opening a context that way measured 41–63 µs against ~6 µs for `node:crypto`'s
 * synchronous GCM, and it was a fifth of the provider host's CPU per sign-in (`npm run bench --
 * --only http`). The token is the same RFC 7516 compact serialisation jose reads and writes, so
 * contexts sealed by either open with the other: the tests keep jose as the independent oracle
 * (tokens sealed here open in jose's `jwtDecrypt`, tokens jose made open here, and jose forges
 * the hostile ones). What `openContext` checks, in order (RFC 7516 §5.2, RFC 7519 §7.2):
 * five parts; a protected header that is a JSON object with exactly `alg: dir`, `enc: A256GCM`
 * and nothing that changes processing (`zip`, `crit`); an empty encrypted key, a 96-bit IV and a
 * 128-bit tag; GCM authentication with the encoded header as AAD — only then the payload: a JSON
 * object with numeric `iat` and `exp`, `exp` in the future, `nbf` (if any) not in the future,
 * and the audience, both ways. Every failure is the same `ERR_CONTEXT_INVALID` (expiry:
 * `ERR_CONTEXT_EXPIRED`), decided only after authentication, so nothing about a forged token's
 * content is revealed.
 *
 * @see RFC 7516 (JWE) §5.1–5.2, §7.1; RFC 7518 §4.5 (`dir`) and §5.3 (A256GCM); RFC 7519 §4.1.3–6
 *   (aud, exp, nbf, iat); RFC 5869 (HKDF)
 * @module crypto
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
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

/** The derived keys, by a keyed hash of the secret (the secret itself is no map key). */
const keys = new LruCache<Buffer>(16);
/** The last secret asked for and its key: a host asks with one secret for every request. */
let lastSecret: string | undefined;
let lastKey: Buffer | undefined;

function keyFor(secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new TypeError(
      '"secret" must be a non-empty string (adapter_api_key or data_encryption_passphrase)',
    );
  }
  if (secret === lastSecret && lastKey !== undefined) return lastKey;
  const id = cacheId('sealed-context', secret);
  let key = keys.get(id);
  if (key === undefined) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, HKDF_INFO, 32));
    keys.set(id, key);
  }
  lastSecret = secret;
  lastKey = key;
  return key;
}

/** The one protected header this module writes and accepts, encoded once. */
const HEADER = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM' })).toString('base64url');
const HEADER_AAD = Buffer.from(HEADER, 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Header members that would change how a token is processed: refused (RFC 7516 §4.1.3, §4.1.11). */
const PROCESSING_MEMBERS = ['zip', 'crit'] as const;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

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
  const claims: Record<string, unknown> = { ...payload, iat, exp: iat + ttlSeconds };
  if (options.audience !== undefined) claims.aud = options.audience;
  // RFC 7516 §5.1 with `dir`: no encrypted key; a fresh 96-bit IV; the encoded header is the AAD.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(HEADER_AAD);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${HEADER}..${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
}

/** A base64url part of the expected decoded length (no padding, no other characters). */
function decodePart(part: string, bytes?: number): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const decoded = Buffer.from(part, 'base64url');
  // Reject non-canonical encodings (stray bits), as a strict decoder would.
  if (decoded.toString('base64url') !== part) return undefined;
  if (bytes !== undefined && decoded.length !== bytes) return undefined;
  return decoded;
}

/**
 * The protected header says `alg: dir`, `enc: A256GCM` (any member order) and nothing that
 * changes processing.
 */
function acceptableHeader(part: string): boolean {
  if (part === HEADER) return true;
  const raw = decodePart(part);
  if (raw === undefined) return false;
  let header: unknown;
  try {
    header = JSON.parse(raw.toString('utf8'));
  } catch {
    return false;
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return false;
  const h = header as Record<string, unknown>;
  if (h.alg !== 'dir' || h.enc !== 'A256GCM') return false;
  return PROCESSING_MEMBERS.every((member) => !(member in h));
}

/** Decrypt and authenticate: the claims set as parsed JSON, or why the token is refused. */
function decryptClaims(token: string, key: Buffer): Record<string, unknown> | string {
  const parts = token.split('.');
  if (parts.length !== 5) return 'not a compact JWE (five parts)';
  const [header, encryptedKey, ivPart, ciphertextPart, tagPart] = parts as [
    string,
    string,
    string,
    string,
    string,
  ];
  // RFC 7518 §4.5: with `dir` the JWE Encrypted Key is the empty octet sequence.
  if (encryptedKey !== '') return 'an encrypted key is present (only "dir" is accepted)';
  if (!acceptableHeader(header)) return 'the header is not {"alg":"dir","enc":"A256GCM"}';
  const iv = decodePart(ivPart, IV_BYTES);
  const ciphertext = decodePart(ciphertextPart);
  const tag = decodePart(tagPart, TAG_BYTES);
  if (iv === undefined || ciphertext === undefined || tag === undefined) {
    return 'the IV, ciphertext or tag is malformed';
  }
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(header, 'ascii'));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return 'authentication failed (altered, or sealed with another secret)';
  }
  let claims: unknown;
  try {
    claims = JSON.parse(plaintext.toString('utf8'));
  } catch {
    return 'the payload is not JSON';
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    return 'the payload is not a JSON object';
  }
  return claims as Record<string, unknown>;
}

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

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
  const invalid = (why: string): ContextError =>
    new ContextError('ERR_CONTEXT_INVALID', 'the authentication context is not valid', {
      cause: new Error(why),
    });
  const payload = decryptClaims(token, key);
  if (typeof payload === 'string') throw invalid(payload);
  const seconds = Math.floor(now.getTime() / 1000);
  // RFC 7519 §4.1.4–6: exp and iat are required here, NumericDates; no clock tolerance.
  if (!isNumericDate(payload.iat)) throw invalid('"iat" is missing or not a number');
  if (!isNumericDate(payload.exp)) throw invalid('"exp" is missing or not a number');
  if (payload.nbf !== undefined && (!isNumericDate(payload.nbf) || payload.nbf > seconds)) {
    throw invalid('"nbf" is not a number or in the future');
  }
  const aud = payload.aud;
  if (options.audience === undefined) {
    if (aud !== undefined)
      throw invalid('the context is bound to an audience but none was expected');
  } else {
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(options.audience)) throw invalid('the context is for another audience');
  }
  if (payload.exp <= seconds) {
    throw new ContextError(
      'ERR_CONTEXT_EXPIRED',
      'the authentication context has expired; start again',
      { cause: new Error('"exp" is not after the current time') },
    );
  }
  return payload;
}
