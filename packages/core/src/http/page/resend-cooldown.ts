/**
 * The "send a new code" cooldown, enforced on the server. Two checks, both must pass:
 *
 * - the signed page state carries when the code on that page was sent (farm-wide: any node
 *   reads it);
 * - this node remembers when it last sent a code for a user (so replaying an old page's form
 *   does not skip the wait). Bounded: the oldest entries go first.
 *
 * @module http
 */
import { upnKey } from '../../store/user-store.js';

/** Default cooldown between two codes for one user, in seconds. */
export const DEFAULT_RESEND_COOLDOWN_SECONDS = 30;
/** Most users remembered per node. */
export const MAX_COOLDOWN_ENTRIES = 10_000;

/** Per-user last-send memory of one node. */
export interface ResendCooldown {
  /** The cooldown in seconds. */
  readonly seconds: number;
  /** Remember that a code was sent to `upn` at `now`. */
  record(upn: string, now: Date): void;
  /**
   * Seconds left before a new code may be sent (0 = now), from this node's memory and the
   * page's signed `sentAt` (epoch ms), whichever is later.
   */
  remaining(upn: string, now: Date, sentAt?: number): number;
}

/**
 * Create the cooldown memory.
 *
 * @param seconds - cooldown (0 disables it)
 * @param maxEntries - bound of the memory (default 10,000)
 * @returns the cooldown
 * @throws {RangeError} when `seconds` is negative or not an integer
 * @example
 * ```ts
 * const cooldown = createResendCooldown(30);
 * cooldown.record('alice@example.test', now);
 * cooldown.remaining('alice@example.test', new Date(now.getTime() + 10_000)); // 20
 * ```
 */
export function createResendCooldown(
  seconds = DEFAULT_RESEND_COOLDOWN_SECONDS,
  maxEntries = MAX_COOLDOWN_ENTRIES,
): ResendCooldown {
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new RangeError(`"seconds" must be a non-negative integer, got ${String(seconds)}`);
  }
  const lastSent = new Map<string, number>();
  const ms = seconds * 1000;
  return {
    seconds,
    record(upn, now) {
      if (ms === 0) return;
      const key = upnKey(upn);
      lastSent.delete(key); // re-insert: Map order is the eviction order
      lastSent.set(key, now.getTime());
      while (lastSent.size > maxEntries) {
        const oldest = lastSent.keys().next().value;
        if (oldest === undefined) break;
        lastSent.delete(oldest);
      }
    },
    remaining(upn, now, sentAt) {
      if (ms === 0) return 0;
      const key = upnKey(upn);
      const local = lastSent.get(key);
      const last = Math.max(local ?? -Infinity, sentAt ?? -Infinity);
      if (!Number.isFinite(last)) return 0;
      const left = last + ms - now.getTime();
      if (left <= 0) {
        if (local !== undefined && local + ms <= now.getTime()) lastSent.delete(key);
        return 0;
      }
      return Math.ceil(left / 1000);
    },
  };
}
