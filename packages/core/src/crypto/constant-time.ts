/**
 * Constant-time comparison of secrets and codes.
 *
 * Node's `timingSafeEqual` throws when the lengths differ, and an early length check leaks the
 * length; so both sides are first reduced to equal-length SHA-256 digests, compared in constant
 * time, and the length equality is folded in after.
 *
 * @see node-oidc-provider lib/helpers/constant_equals.js
 * @module crypto
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compare two secrets without leaking where they differ or how long the expected one is.
 *
 * @param a - one value
 * @param b - the other value
 * @returns true when they are byte-for-byte equal
 * @example
 * ```ts
 * constantTimeEqual(bearerToken, config.adapter_api_key);
 * ```
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
  const hx = createHash('sha256').update(x).digest();
  const hy = createHash('sha256').update(y).digest();
  return timingSafeEqual(hx, hy) && x.length === y.length;
}
