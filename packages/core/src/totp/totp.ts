/**
 * TOTP (RFC 6238) on otplib 13 and `node:crypto`: generate a code, verify one within a window of
 * ±`window` steps, with the step size from configuration (`totp_validity_seconds`), SHA1, SHA256 or
 * SHA512, 6–8 digits. Verify returns the matched step so the store can record it as `laststep`,
 * the reuse guard (an exclusive lower bound on the next accepted step).
 *
 * Expected outcomes are values — `{ valid: false, reason: 'mismatch' | 'reused' | 'malformed' }` —
 * never exceptions. Misuse (bad step, digits, window, epoch) is a `RangeError`/`TypeError`; a stored
 * secret that is not base32 of 10–64 bytes is a `CryptoError` `ERR_CRYPTO_FORMAT`.
 *
 * Both functions are synchronous: otplib's `generateSync` with the synchronous
 * {@link createHmacCachePlugin} (the async variants only add a promise per HMAC). Verification
 * walks the window itself, current step first (see {@link verifyTotp}), rather than through
 * otplib's `verifySync`, which always computes every step of the window.
 *
 * @see RFC 6238 §4 (T = floor((now − T0) / X)), §5.2 (validation window, step size, reuse)
 * @see RFC 4226 §5.3 (dynamic truncation), §7.2 (look-ahead window)
 * @see seed 000/001 "TOTP Customizations" (totp_validity_seconds, totp_allow_reuse)
 * @module totp
 */
import { createGuardrails, dynamicTruncate, type HashAlgorithm } from '@otplib/core';
import { generateSync } from '@otplib/totp';
import { createHmacCachePlugin } from './hmac-cache-plugin.js';
import { MAX_SECRET_BYTES, MIN_SECRET_BYTES, secretKeyBytes } from './secret.js';

/** HMAC algorithm, spelled as otpauth:// URIs spell it. */
export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';
/** Code length. */
export type TotpDigits = 6 | 7 | 8;

/** Default step X in seconds (RFC 6238 §5.2 recommends 30). */
export const DEFAULT_STEP_SECONDS = 30;
/** Largest step accepted: one day (totp_validity_seconds' upper bound). */
export const MAX_STEP_SECONDS = 86_400;
/** Default code length. */
export const DEFAULT_DIGITS: TotpDigits = 6;
/** Default window: one step either side (RFC 6238 §5.2; the originals' "30 seconds drift"). */
export const DEFAULT_WINDOW = 1;
/** Largest window accepted (each extra step is two more HMACs and more guessable codes). */
export const MAX_WINDOW = 10;

/** Parameters shared by {@link generateTotp} and {@link verifyTotp}. */
export interface TotpParams {
  /** Step X in seconds, 1–86400 (totp_validity_seconds). Default 30. */
  step?: number;
  /** Code length. Default 6. */
  digits?: TotpDigits;
  /** HMAC algorithm. Default SHA1 (what authenticator apps use unless told otherwise). */
  algorithm?: TotpAlgorithm;
}

/** Options of {@link generateTotp}. */
export interface GenerateTotpOptions extends TotpParams {
  /** Plain (decrypted) base32 secret. */
  secret: string;
  /** Unix time in seconds. Default: now. */
  epoch?: number;
}

/** Options of {@link verifyTotp}. */
export interface VerifyTotpOptions extends TotpParams {
  /** Plain (decrypted) base32 secret. */
  secret: string;
  /** What the user typed (already trimmed; no spaces). */
  token: string;
  /** Unix time in seconds. Default: now. */
  epoch?: number;
  /** Steps accepted on each side of the current one, 0–10. Default 1. */
  window?: number;
  /**
   * Exclusive lower bound on the accepted step: the user's `laststep` (steps ≤ it are `reused`).
   * With totp_allow_reuse the caller passes `laststep - 1`, so the last step is accepted again.
   * Negative means no step has been accepted yet.
   */
  afterStep?: number;
}

/** Result of {@link verifyTotp}. */
export type TotpVerifyResult =
  | {
      valid: true;
      /** The matched step T: record it as `laststep`. */
      step: number;
      /** T minus the current step (−window … +window). */
      delta: number;
    }
  | {
      valid: false;
      /**
       * `malformed`: not `digits` ASCII digits (no HMAC computed); `reused`: matches a step in the
       * window that is not after `afterStep`; `mismatch`: matches no step in the window.
       */
      reason: 'mismatch' | 'reused' | 'malformed';
    };

const plugin = createHmacCachePlugin();
// otplib's defaults reject 10-byte secrets (MIN_SECRET_BYTES 16) and steps over an hour
// (MAX_PERIOD 3600); the originals' secrets and totp_validity_seconds need both.
const guardrails = createGuardrails({
  MIN_SECRET_BYTES,
  MAX_SECRET_BYTES,
  MAX_PERIOD: MAX_STEP_SECONDS,
});
const HASH: Readonly<Record<TotpAlgorithm, HashAlgorithm>> = Object.freeze({
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
});
const TOKEN: Readonly<Record<TotpDigits, RegExp>> = Object.freeze({
  6: /^[0-9]{6}$/,
  7: /^[0-9]{7}$/,
  8: /^[0-9]{8}$/,
});
const MODULUS: Readonly<Record<TotpDigits, number>> = Object.freeze({
  6: 1_000_000,
  7: 10_000_000,
  8: 100_000_000,
});

/**
 * The 8-byte big-endian counter of RFC 4226 §5.2, written into one reused buffer. otplib's
 * `counterToBytes` goes through a BigInt and a DataView per call, which measured ~0.45 µs of the
 * ~2.7 µs a worst-case verify spends per step; the HMAC consumes the bytes synchronously, so one
 * buffer serves every call. Steps are safe integers (≤ 2^53), so two 32-bit halves hold them.
 */
const COUNTER = Buffer.alloc(8);
function counterBytes(t: number): Buffer {
  COUNTER.writeUInt32BE(Math.floor(t / 0x1_0000_0000), 0);
  COUNTER.writeUInt32BE(t >>> 0, 4);
  return COUNTER;
}

interface Resolved {
  step: number;
  digits: TotpDigits;
  algorithm: HashAlgorithm;
  epoch: number;
}

function resolve(options: TotpParams & { epoch?: number | undefined }): Resolved {
  const { step = DEFAULT_STEP_SECONDS, digits = DEFAULT_DIGITS, algorithm = 'SHA1' } = options;
  if (!Number.isInteger(step) || step < 1 || step > MAX_STEP_SECONDS) {
    throw new RangeError(
      `"step" must be an integer number of seconds 1–${MAX_STEP_SECONDS}, got ${String(step)}`,
    );
  }
  if (digits !== 6 && digits !== 7 && digits !== 8) {
    throw new RangeError(`"digits" must be 6, 7 or 8, got ${String(digits)}`);
  }
  const hash = HASH[algorithm];
  if (hash === undefined) {
    throw new RangeError(`"algorithm" must be SHA1, SHA256 or SHA512, got ${String(algorithm)}`);
  }
  const epoch = options.epoch ?? Math.floor(Date.now() / 1000);
  if (typeof epoch !== 'number' || !Number.isFinite(epoch) || epoch < 0) {
    throw new RangeError(`"epoch" must be a non-negative number of seconds, got ${String(epoch)}`);
  }
  return { step, digits, algorithm: hash, epoch };
}

/**
 * The step T an instant falls in: T = floor((epoch − T0) / X) with T0 = 0.
 *
 * @param epochSeconds - Unix time in seconds
 * @param stepSeconds - step X in seconds (default 30)
 * @returns the step index
 * @throws {RangeError} when `stepSeconds` is not a positive integer
 * @see RFC 6238 §4.2
 * @example
 * ```ts
 * currentStep(1111111109); // 37037036 (0x23523EC, RFC 6238 Appendix B)
 * ```
 */
export function currentStep(
  epochSeconds: number,
  stepSeconds: number = DEFAULT_STEP_SECONDS,
): number {
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) {
    throw new RangeError(`"stepSeconds" must be a positive integer, got ${String(stepSeconds)}`);
  }
  return Math.floor(epochSeconds / stepSeconds);
}

/**
 * Until when a code made in step T is valid: the end of step T (+ `window` steps of drift
 * tolerance when given). This is what "valid until" should tell a user: the codes of step T are
 * accepted from T·X to (T+1)·X; the ±1 step window is tolerance for clock drift and delivery
 * delay, not a promise.
 *
 * @param stepIndex - the step T the code was made in
 * @param stepSeconds - step X in seconds (default 30)
 * @param window - extra steps of tolerance to include (default 0)
 * @returns the instant (T + 1 + window) · X
 * @throws {RangeError} when `stepSeconds` is not a positive integer or `window` is negative
 * @example
 * ```ts
 * const t = currentStep(epoch, 300);
 * stepWindowEnd(t, 300).toISOString(); // end of the 5-minute interval the code belongs to
 * ```
 */
export function stepWindowEnd(
  stepIndex: number,
  stepSeconds: number = DEFAULT_STEP_SECONDS,
  window = 0,
): Date {
  if (!Number.isInteger(stepSeconds) || stepSeconds < 1) {
    throw new RangeError(`"stepSeconds" must be a positive integer, got ${String(stepSeconds)}`);
  }
  if (!Number.isInteger(window) || window < 0) {
    throw new RangeError(`"window" must be a non-negative integer, got ${String(window)}`);
  }
  return new Date((stepIndex + 1 + window) * stepSeconds * 1000);
}

/**
 * The code for a secret at an instant (what the e-mail and API providers send).
 *
 * @param options - secret, epoch (seconds, default now), step, digits, algorithm
 * @returns the code, `digits` long, zero-padded
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` when the secret is not base32 of 10–64 bytes
 * @throws {RangeError} for a bad step, digits, algorithm or epoch
 * @see RFC 6238 §4
 * @example
 * ```ts
 * generateTotp({ secret: 'JBSWY3DPEHPK3PXP', epoch: 59 }); // '996554'
 * ```
 */
export function generateTotp(options: GenerateTotpOptions): string {
  const { step, digits, algorithm, epoch } = resolve(options);
  return generateSync({
    secret: secretKeyBytes(options.secret),
    epoch,
    period: step,
    digits,
    algorithm,
    crypto: plugin,
    guardrails,
  });
}

/**
 * Verify a code: accept step T within current ± `window` and after `afterStep`.
 *
 * - A token that is not `digits` ASCII digits is `malformed`, found without computing any HMAC.
 * - A token that matches a step in the window that is not after `afterStep` is `reused` (the code
 *   was already accepted — not a failure to count). That includes a `laststep` ahead of this
 *   node's whole window, written by a farm node whose clock is ahead: otplib throws
 *   `AfterTimeStepRangeExceededError` there; here it is a value.
 * - Anything else is `mismatch`.
 *
 * The current step is tried first; otherwise, when several steps match (a 1-in-10^digits
 * coincidence), the earliest one after `afterStep` wins, as in otplib.
 *
 * @param options - secret, token, epoch (seconds, default now), step, digits, algorithm, window,
 *   afterStep
 * @returns `{ valid: true, step, delta }` or `{ valid: false, reason }`
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` when the secret is not base32 of 10–64 bytes
 * @throws {RangeError} for a bad step, digits, algorithm, window, epoch or afterStep
 * @throws {TypeError} when `token` is not a string
 * @see RFC 6238 §5.2 ("the verifier MUST NOT accept the second attempt of the OTP after the
 *   successful validation has been issued for the first OTP")
 * @example
 * ```ts
 * const r = verifyTotp({ secret, token: '123456', afterStep: allowReuse ? laststep - 1 : laststep });
 * if (r.valid) await store.acceptCode(upn, r.step, meta, now, { allowReuse });
 * else if (r.reason === 'reused') … // reused_code
 * ```
 */
export function verifyTotp(options: VerifyTotpOptions): TotpVerifyResult {
  const { step, digits, algorithm, epoch } = resolve(options);
  const { token, window = DEFAULT_WINDOW, afterStep } = options;
  if (!Number.isInteger(window) || window < 0 || window > MAX_WINDOW) {
    throw new RangeError(`"window" must be an integer 0–${MAX_WINDOW}, got ${String(window)}`);
  }
  if (afterStep !== undefined && !Number.isSafeInteger(afterStep)) {
    throw new RangeError(`"afterStep" must be an integer step index, got ${String(afterStep)}`);
  }
  if (typeof token !== 'string') throw new TypeError('"token" must be a string');
  if (!TOKEN[digits].test(token)) return { valid: false, reason: 'malformed' };

  const secret = secretKeyBytes(options.secret);
  const current = Math.floor(epoch / step);
  const lowest = Math.max(0, current - window);
  const highest = current + window;
  // Steps up to `bound` were accepted already: a match there is `reused`, not valid.
  const bound = afterStep ?? -1;
  // HOTP(K, T) from otplib's own building blocks (RFC 4226 §5.3) over the caching plugin: the
  // secret was validated by secretKeyBytes, the step by resolve(), so generateSync's per-call
  // option checks would only repeat them for every step of the window. The code is compared as
  // the number it stands for (the token is `digits` ASCII digits, so the zero-padded string and
  // the number say the same): an XOR of two small integers takes the same time whatever they are,
  // and no string is built per step.
  const expected = Number(token);
  const modulus = MODULUS[digits];
  const same = (t: number): boolean =>
    ((dynamicTruncate(plugin.hmac(algorithm, secret, counterBytes(t))) % modulus) ^ expected) === 0;
  // The current step first: nearly every valid code is the current one, so the usual success
  // costs one HMAC instead of 2·window+1. The reply says whether the code was valid anyway, so
  // the time this saves reveals nothing new. A miss costs the same 2·window+1 HMACs as before.
  let reused = false;
  if (same(current)) {
    if (current > bound) return { valid: true, step: current, delta: 0 };
    reused = true;
  }
  // Then the other steps of the window, earliest first (otplib's order): the earliest match
  // after `bound` wins.
  for (let t = lowest; t <= highest; t += 1) {
    if (t === current || !same(t)) continue;
    if (t > bound) return { valid: true, step: t, delta: t - current };
    reused = true;
  }
  return { valid: false, reason: reused ? 'reused' : 'mismatch' };
}
