/**
 * When to try a POST again (pure logic; the channel does the waiting).
 *
 * - Only failures that say nothing about the request itself are retried: the connection could
 *   not be made or broke before an answer (`connection`), or the gateway answered 5xx
 *   (`server`). A 4xx is the gateway's considered answer — retrying cannot change it, and a 403
 *   must not become a password-guessing loop — so it is never retried, nor is a TLS failure
 *   (a wrong certificate stays wrong) or a timeout: the attempt already waited api_timeout, and
 *   a gateway that hangs once usually hangs again while the user waits.
 * - Attempts are bounded ({@link DEFAULT_MAX_ATTEMPTS}) and so is the total time: every attempt
 *   and every pause fit in `api_timeout × attempts`. A retry is not started when less than
 *   {@link MIN_ATTEMPT_MS} of that budget would be left for it.
 * - Pauses grow exponentially from {@link BASE_DELAY_MS} with jitter (50–100 % of the step), so
 *   a farm whose gateway blipped does not come back in lockstep.
 *
 * A retried POST may deliver the code twice (the first one may have arrived before the
 * connection broke); it is the same code, so that costs a message, not security.
 *
 * @module retry-policy
 */

/** Attempts per code when not configured otherwise (1 + 2 retries). */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** Most attempts a caller may ask for. */
export const MAX_ATTEMPTS_LIMIT = 5;
/** First pause between attempts (ms); doubles each time. */
export const BASE_DELAY_MS = 250;
/** Longest pause between attempts (ms). */
export const MAX_DELAY_MS = 2000;
/** Least time (ms) a retry must have left in the budget to be started at all. */
export const MIN_ATTEMPT_MS = 100;

/** How an attempt failed. */
export type FailureKind =
  /** no connection, or it broke before a response (refused, reset, closed, DNS lookup retryable) */
  | 'connection'
  /** no response within the attempt's time */
  | 'timeout'
  /** HTTP 5xx */
  | 'server'
  /** any other HTTP status that is not success (4xx, 3xx) */
  | 'client'
  /** TLS handshake or certificate failure */
  | 'tls'
  /** anything else (bad response, unknown host, local error) */
  | 'other';

/** The bounds of one delivery. */
export interface RetryPolicy {
  /** Attempts in total (first try included), 1–5. */
  readonly maxAttempts: number;
  /** Timeout of one attempt: api_timeout (ms). */
  readonly attemptTimeoutMs: number;
  /** All attempts and pauses together: attemptTimeoutMs × maxAttempts (ms). */
  readonly budgetMs: number;
}

/**
 * The policy for an api_timeout.
 *
 * @param attemptTimeoutMs - api_timeout in ms (a positive integer)
 * @param maxAttempts - attempts in total, 1–5 (default 3)
 * @returns the policy
 * @throws {RangeError} on out-of-range numbers
 */
export function createRetryPolicy(
  attemptTimeoutMs: number,
  maxAttempts: number = DEFAULT_MAX_ATTEMPTS,
): RetryPolicy {
  if (!Number.isInteger(attemptTimeoutMs) || attemptTimeoutMs < 1) {
    throw new RangeError(`"attemptTimeoutMs" must be a positive integer, got ${attemptTimeoutMs}`);
  }
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
    throw new RangeError(
      `"maxAttempts" must be an integer from 1 to ${MAX_ATTEMPTS_LIMIT}, got ${maxAttempts}`,
    );
  }
  return { maxAttempts, attemptTimeoutMs, budgetMs: attemptTimeoutMs * maxAttempts };
}

/** True for the failures a retry may cure. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'connection' || kind === 'server';
}

/**
 * The pause after the `attempt`-th failed attempt.
 *
 * @param attempt - 1 for the pause after the first attempt
 * @param random - a number in [0, 1) (inject for tests; default Math.random)
 * @returns milliseconds: BASE × 2^(attempt−1), at most MAX_DELAY_MS, times 0.5–1
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + 0.5 * Math.min(1, Math.max(0, random()))));
}

/** What to do after a failed attempt. */
export type RetryDecision =
  | { retry: true; delayMs: number; timeoutMs: number }
  | { retry: false; why: 'not_retryable' | 'attempts' | 'budget' };

/**
 * Decide whether to try again.
 *
 * @param policy - the bounds
 * @param state - attempts made so far, time used so far (ms), how the last one failed
 * @param random - jitter source
 * @returns retry after `delayMs` with an attempt timeout of `timeoutMs`, or stop and why
 * @example
 * ```ts
 * const policy = createRetryPolicy(5000);
 * nextAttempt(policy, { attempts: 1, elapsedMs: 12, kind: 'connection' }, () => 0.5);
 * // { retry: true, delayMs: 188, timeoutMs: 5000 }
 * ```
 */
export function nextAttempt(
  policy: RetryPolicy,
  state: { attempts: number; elapsedMs: number; kind: FailureKind },
  random: () => number = Math.random,
): RetryDecision {
  if (!isRetryable(state.kind)) return { retry: false, why: 'not_retryable' };
  if (state.attempts >= policy.maxAttempts) return { retry: false, why: 'attempts' };
  const delayMs = backoffDelay(state.attempts, random);
  const left = policy.budgetMs - state.elapsedMs - delayMs;
  if (left < Math.min(MIN_ATTEMPT_MS, policy.attemptTimeoutMs)) {
    return { retry: false, why: 'budget' };
  }
  return { retry: true, delayMs, timeoutMs: Math.min(policy.attemptTimeoutMs, left) };
}
