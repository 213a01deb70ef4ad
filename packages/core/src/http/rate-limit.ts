/**
 * Fixed-window rate limiting in memory, per key (client IP, user). Bounded: the table never holds
 * more than `maxKeys` entries, so a flood of distinct keys cannot exhaust memory — when full,
 * expired windows are swept, and if none are expired the request is refused (fail closed).
 *
 * Per node: a farm of N nodes behind a balancer allows up to N× the configured rate, which the
 * README states; per-user lockout (login_failures) is farm-wide because it lives in the store.
 *
 * @module http
 */

/** A limiter for one kind of key. */
export interface RateLimiter {
  /** Count one request for `key`; false when the key is over its limit in this window. */
  take(key: string): boolean;
  /** Seconds until the key's window resets (for Retry-After). */
  retryAfter(key: string): number;
  /** Number of keys currently tracked. */
  size(): number;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per window; 0 disables the limiter. */
  limit: number;
  /** Window length in milliseconds (default 60,000). */
  windowMs?: number;
  /** Most keys tracked at once (default 100,000). */
  maxKeys?: number;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

/**
 * Create a limiter.
 *
 * @example
 * ```ts
 * const perIp = createRateLimiter({ limit: 60 });
 * if (!perIp.take(request.ip)) reply.code(429);
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs = 60_000, maxKeys = 100_000, now = Date.now } = options;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`"limit" must be a non-negative integer, got ${String(limit)}`);
  }
  const windows = new Map<string, { start: number; count: number }>();
  const sweep = (t: number): void => {
    for (const [k, w] of windows) if (t - w.start >= windowMs) windows.delete(k);
  };
  return {
    take(key) {
      if (limit === 0) return true;
      const t = now();
      let w = windows.get(key);
      if (w === undefined || t - w.start >= windowMs) {
        if (w === undefined && windows.size >= maxKeys) {
          sweep(t);
          if (windows.size >= maxKeys) return false;
        }
        w = { start: t, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count <= limit;
    },
    retryAfter(key) {
      const w = windows.get(key);
      if (w === undefined) return 0;
      return Math.max(1, Math.ceil((w.start + windowMs - now()) / 1000));
    },
    size: () => windows.size,
  };
}
