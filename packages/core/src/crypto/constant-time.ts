/**
 * Constant-time comparison of secrets, keys and codes.
 *
 * Node's `timingSafeEqual` throws when the two buffers differ in length, so both sides are
 * copied into zero-filled buffers of the same length (the longer of the two, or `minLength`)
 * and compared in constant time; the length check is folded in after, so a value that is a
 * zero-padded prefix of the other is still unequal.
 *
 * @see node-oidc-provider lib/helpers/constant_equals.js
 * @see STYLE.md B.12
 * @module crypto
 */
import { timingSafeEqual } from 'node:crypto';

function toBuffer(value: string | Uint8Array, name: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  throw new TypeError(`"${name}" must be a string or a Uint8Array`);
}

function padded(value: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  value.copy(out);
  return out;
}

/**
 * Compare two secrets without leaking where they differ. Strings are compared as UTF-8 bytes.
 *
 * The time taken depends only on the longer length (or `minLength` when that is larger): pass the
 * expected length of the secret as `minLength` to hide short inputs' lengths as well.
 *
 * @param a - one value (string or bytes)
 * @param b - the other value (string or bytes)
 * @param minLength - compare at least this many bytes (default 0)
 * @returns true when both are byte-for-byte equal (and of equal length)
 * @throws {TypeError} when an argument is neither a string nor a Uint8Array
 * @example
 * ```ts
 * if (!constantTimeEqual(bearerToken, config.adapter_api_key)) throw unauthorised();
 * ```
 */
export function constantTimeEqual(
  a: string | Uint8Array,
  b: string | Uint8Array,
  minLength = 0,
): boolean {
  const x = toBuffer(a, 'a');
  const y = toBuffer(b, 'b');
  const length = Math.max(x.length, y.length, minLength);
  return timingSafeEqual(padded(x, length), padded(y, length)) && x.length === y.length;
}
