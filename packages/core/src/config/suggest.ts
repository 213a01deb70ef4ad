/**
 * "Did you mean" for unknown configuration keys: the closest known key within edit distance 2,
 * compared case-insensitively (commander's `suggestSimilar` idea).
 *
 * @module config
 */

/** Largest edit distance that still yields a suggestion. */
export const MAX_SUGGESTION_DISTANCE = 2;

/**
 * Levenshtein distance, stopping early: returns `max + 1` as soon as it must exceed `max`.
 *
 * @param a - first string
 * @param b - second string
 * @param max - the largest distance of interest
 * @returns the distance, or `max + 1` when larger than `max`
 * @example
 * ```ts
 * editDistance('smtp_prot', 'smtp_port'); // 2
 * ```
 */
export function editDistance(a: string, b: string, max = MAX_SUGGESTION_DISTANCE): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(v);
      rowBest = Math.min(rowBest, v);
    }
    if (rowBest > max) return max + 1;
    previous = current;
  }
  return Math.min(previous[b.length] ?? max + 1, max + 1);
}

/**
 * The known key closest to an unknown one, if within {@link MAX_SUGGESTION_DISTANCE}
 * (case-insensitive; on a tie, the first in `known`).
 *
 * @param unknown - the key as written
 * @param known - the keys (and aliases) of the provider
 * @returns the suggestion, or undefined
 * @example
 * ```ts
 * suggestKey('smtp_prot', ['smtp_port', 'smtp_server']); // 'smtp_port'
 * suggestKey('SMTP_PORT', ['smtp_port']);                // 'smtp_port'
 * ```
 */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  const u = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const k of known) {
    const d = editDistance(u, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}
