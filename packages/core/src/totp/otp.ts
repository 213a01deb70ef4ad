/**
 * TOTP (RFC 6238) on otplib 13 with a caching node:crypto plugin: generate, verify with a
 * ±window of steps, configurable step, SHA1/SHA256/SHA512, 6–8 digits; verify returns the
 * matched step so the store can record it as the reuse guard (`laststep`).
 *
 * Expected outcomes are values (`{ valid: false, reason }`); misuse is a TypeError/RangeError;
 * a stored secret that is not base32 of a usable length is a CryptoError ERR_CRYPTO_FORMAT.
 *
 * @see RFC 6238 §4 (TOTP), §5.2 (validation and time-step size, window of acceptable steps)
 * @see RFC 4226 §5.3 (HOTP dynamic truncation), §7.2 (resynchronisation window)
 * @module totp
 */
import { randomBytes } from 'node:crypto';
import { createGuardrails, type HashAlgorithm } from '@otplib/core';
import { base32 } from '@otplib/plugin-base32-scure';
import { generateSync, verifySync } from '@otplib/totp';
import { CryptoError } from '../errors.js';
import { createCachedHmacPlugin } from './cached-hmac-plugin.js';

/** TOTP hash algorithms (otpauth spelling). */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** Shared TOTP parameters. */
export interface TotpParams {
  /** Step size in seconds (totp_validity_seconds; RFC 6238 X). Default 30. */
  step?: number;
  /** Code length, 6–8. Default 6. */
  digits?: number;
  /** HMAC algorithm. Default SHA1 (what authenticator apps use). */
  algorithm?: TotpAlgorithm;
}

/** Options of {@link verifyTotp}. */
export interface VerifyTotpOptions extends TotpParams {
  /** Base32 secret (plain, already decrypted). */
  secret: string;
  /** What the user typed. */
  token: string;
  /** Unix time in seconds (default now). */
  epoch?: number;
  /** Steps accepted on each side of the current one (default 1). */
  window?: number;
  /** Exclusive lower bound on the accepted step: the user's `laststep` (the reuse guard). */
  afterStep?: number;
}

/** Result of {@link verifyTotp}. */
export type TotpVerifyResult =
  | { valid: true; /** matched step T */ step: number; /** steps from the current one */ delta: number }
  | { valid: false; reason: 'mismatch' | 'reused' | 'malformed' };

/** Default step in seconds. */
export const DEFAULT_STEP_SECONDS = 30;
/** Bytes of a new secret (160 bits, RFC 4226 §4 recommendation). */
export const NEW_SECRET_BYTES = 20;
/** Shortest secret accepted: the 10-byte (16 base32 characters) secrets of the originals. */
export const MIN_SECRET_BYTES = 10;

const plugin = createCachedHmacPlugin();
// otplib's default minimum is 16 bytes; secrets carried over from the originals are 10 bytes.
const guardrails = createGuardrails({ MIN_SECRET_BYTES });
const ALG: Record<TotpAlgorithm, HashAlgorithm> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };
const BASE32 = /^[A-Z2-7]+=*$/;

/** Decoded-secret cache: base32 text → bytes (bounded; decoding is cheap but not free). */
const decoded = new Map<string, Uint8Array>();
const DECODED_CACHE_SIZE = 10_000;

/**
 * Decode a base32 secret (case-insensitive, spaces and padding ignored).
 *
 * @throws {CryptoError} ERR_CRYPTO_FORMAT when it is not base32 of 10–64 bytes
 */
export function decodeSecret(secret: string): Uint8Array {
  const hit = decoded.get(secret);
  if (hit !== undefined) return hit;
  const clean = secret.replace(/[\s-]/g, '').toUpperCase();
  let bytes: Uint8Array | undefined;
  if (BASE32.test(clean)) {
    try {
      bytes = base32.decode(clean.replace(/=+$/, ''));
    } catch {
      bytes = undefined;
    }
  }
  if (bytes === undefined || bytes.length < MIN_SECRET_BYTES || bytes.length > 64) {
    throw new CryptoError(
      'ERR_CRYPTO_FORMAT',
      `the TOTP secret is not base32 of ${MIN_SECRET_BYTES}–64 bytes (got ${bytes?.length ?? 'undecodable'})`,
    );
  }
  if (decoded.size >= DECODED_CACHE_SIZE) {
    const oldest = decoded.keys().next().value;
    if (oldest !== undefined) decoded.delete(oldest);
  }
  decoded.set(secret, bytes);
  return bytes;
}

function params(p: TotpParams): { step: number; digits: 6 | 7 | 8; algorithm: HashAlgorithm } {
  const step = p.step ?? DEFAULT_STEP_SECONDS;
  const digits = p.digits ?? 6;
  if (!Number.isInteger(step) || step < 1 || step > 86_400) {
    throw new RangeError(`"step" must be an integer number of seconds 1–86400, got ${String(step)}`);
  }
  if (digits !== 6 && digits !== 7 && digits !== 8) {
    throw new RangeError(`"digits" must be 6, 7 or 8, got ${String(digits)}`);
  }
  const algorithm = ALG[p.algorithm ?? 'SHA1'];
  if (algorithm === undefined) {
    throw new RangeError(`"algorithm" must be SHA1, SHA256 or SHA512, got ${String(p.algorithm)}`);
  }
  return { step, digits, algorithm };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A new random secret, base32 without padding.
 *
 * @param bytes - length in bytes (default 20)
 * @example
 * ```ts
 * const secret = generateSecret(); // 32 base32 characters
 * ```
 */
export function generateSecret(bytes = NEW_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > 64) {
    throw new RangeError(`"bytes" must be an integer ${MIN_SECRET_BYTES}–64, got ${String(bytes)}`);
  }
  return base32.encode(randomBytes(bytes), { padding: false });
}

/**
 * The code for a secret at an instant.
 *
 * @param options - secret, epoch (seconds), step, digits, algorithm
 * @returns the code, zero-padded to `digits`
 * @example
 * ```ts
 * generateTotp({ secret: 'JBSWY3DPEHPK3PXP', epoch: 59 }); // '996554'
 * ```
 */
export function generateTotp(options: TotpParams & { secret: string; epoch?: number }): string {
  const { step, digits, algorithm } = params(options);
  return generateSync({
    secret: decodeSecret(options.secret),
    epoch: options.epoch ?? nowSeconds(),
    period: step,
    digits,
    algorithm,
    crypto: plugin,
    guardrails,
  });
}

/** The step T of an instant (RFC 6238 §4.2: T = floor((now − T0) / X)). */
export function currentStep(epochSeconds: number, step = DEFAULT_STEP_SECONDS): number {
  return Math.floor(epochSeconds / step);
}

/** When step T ends: the code made in step T is valid "until" this instant (window aside). */
export function stepEnd(stepIndex: number, step = DEFAULT_STEP_SECONDS): Date {
  return new Date((stepIndex + 1) * step * 1000);
}

/**
 * Verify a code. Accepts steps T−window … T+window that are after `afterStep`.
 *
 * A code that matches only steps at or before `afterStep` is `reused` (not a failure to count):
 * the user typed a code that was already accepted. A `laststep` ahead of this node's window
 * (written by a farm node whose clock is ahead) also yields `reused` — otplib would throw.
 *
 * @param options - secret, token, epoch, step, digits, algorithm, window, afterStep
 * @returns `{ valid: true, step, delta }` or `{ valid: false, reason }`
 * @throws {CryptoError} ERR_CRYPTO_FORMAT when the secret is not usable base32
 * @throws {RangeError} for bad step/digits/algorithm/window
 * @example
 * ```ts
 * const r = verifyTotp({ secret, token: '123456', afterStep: user.laststep });
 * if (r.valid) await store.acceptCode(upn, r.step, meta, now, { allowReuse: false });
 * ```
 */
export function verifyTotp(options: VerifyTotpOptions): TotpVerifyResult {
  const { step, digits, algorithm } = params(options);
  const window = options.window ?? 1;
  if (!Number.isInteger(window) || window < 0 || window > 10) {
    throw new RangeError(`"window" must be an integer 0–10, got ${String(window)}`);
  }
  const token = options.token;
  if (token.length !== digits || !/^[0-9]+$/.test(token)) return { valid: false, reason: 'malformed' };
  const epoch = options.epoch ?? nowSeconds();
  const secret = decodeSecret(options.secret);
  const base = {
    secret,
    token,
    epoch,
    period: step,
    digits,
    algorithm,
    crypto: plugin,
    guardrails,
    epochTolerance: window * step,
  } as const;
  const first = verifySync(base);
  if (!first.valid) return { valid: false, reason: 'mismatch' };
  const current = currentStep(epoch, step);
  const { afterStep } = options;
  if (afterStep === undefined || first.timeStep > afterStep) {
    return { valid: true, step: first.timeStep, delta: first.timeStep - current };
  }
  // The first match is a used step; a later step in the window may still match (rare).
  if (afterStep >= current + window) return { valid: false, reason: 'reused' };
  const later = verifySync({ ...base, afterTimeStep: afterStep });
  return later.valid
    ? { valid: true, step: later.timeStep, delta: later.timeStep - current }
    : { valid: false, reason: 'reused' };
}
