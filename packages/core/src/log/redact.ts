/**
 * Redaction: the one place every log record passes through before it is written. Secrets and
 * codes never reach a log line, even with `verboselog` on.
 *
 * Two mechanisms: (1) fields whose *name* says they hold a secret or a code are masked whatever
 * their value; (2) registered secret *values* (passphrases, passwords, API keys from the config)
 * are replaced wherever they appear inside any string.
 *
 * @module log
 */

/** What a masked value is replaced with. */
export const MASK = '********';

/** Field names whose values are always masked (case-insensitive, `-`/`_` ignored). */
const SECRET_FIELD =
  /^(.*(password|passphrase|secret|apikey|apiheadersvalue|authorization|cookie|token|privatekey|salt))$|^(code|otp|failedcode|input|passcode|context|request|response)$/;

function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/** True when a field of this name is always masked. */
export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(normaliseName(name));
}

/**
 * A redactor: masks secret fields by name and registered secret values anywhere in strings.
 *
 * @example
 * ```ts
 * const r = createRedactor(['d9GhT=7=Ox8-+LaZ']);
 * r.redact({ msg: 'bind with d9GhT=7=Ox8-+LaZ failed', password: 'x' });
 * // → { msg: 'bind with ******** failed', password: '********' }
 * ```
 */
export interface Redactor {
  /** Register more secret values (e.g. after a config reload). Empty/short values are ignored. */
  addSecrets(values: Iterable<string | undefined | null>): void;
  /** A redacted deep copy of `value` (plain objects, arrays, Errors, primitives). */
  redact<T>(value: T): T;
  /** Redact one string. */
  redactString(text: string): string;
}

/** Values shorter than this are not treated as secrets to search for (too many false hits). */
const MIN_SECRET_LENGTH = 4;

/**
 * Create a redactor.
 *
 * @param secrets - secret values to remove from any string
 * @returns the redactor
 */
export function createRedactor(secrets: Iterable<string | undefined | null> = []): Redactor {
  const known = new Set<string>();
  let pattern: RegExp | undefined;

  const rebuild = (): void => {
    const parts = [...known]
      .sort((a, b) => b.length - a.length)
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = parts.length === 0 ? undefined : new RegExp(parts.join('|'), 'g');
  };

  const redactString = (text: string): string =>
    pattern === undefined ? text : text.replace(pattern, MASK);

  const walk = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return redactString(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth > 8 || seen.has(value)) return '[…]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
    if (value instanceof Date) return value;
    if (value instanceof Error) {
      const e = value as Error & { code?: unknown };
      const out: Record<string, unknown> = { name: e.name, message: redactString(e.message) };
      if (e.code !== undefined) out.code = e.code;
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretFieldName(k) && v !== undefined && v !== null && v !== '') out[k] = MASK;
      else out[k] = walk(v, depth + 1, seen);
    }
    return out;
  };

  const redactor: Redactor = {
    addSecrets(values) {
      let changed = false;
      for (const v of values) {
        if (typeof v === 'string') {
          const s = v.trim();
          if (s.length >= MIN_SECRET_LENGTH && !known.has(s)) {
            known.add(s);
            changed = true;
          }
        }
      }
      if (changed) rebuild();
    },
    redact: <T>(value: T): T => walk(value, 0, new WeakSet()) as T,
    redactString,
  };
  redactor.addSecrets(secrets);
  return redactor;
}
