/**
 * Masking: configuration printed by `config check`, written to logs or quoted in an error never
 * contains a secret (nodemailer's `/* secret *\/` idea). A secret that is set is shown as
 * `********`; an empty one as `''`, so operators can see it is unset.
 *
 * @module config
 */
import { SECRET_KEYS } from './schema/config-schemas.js';

/** What a secret that is set is shown as. */
export const SECRET_MASK = '********';

/**
 * A copy of a config (normalised or as read from the file) with every secret key masked.
 * Secret keys are those whose schema says `secret: true` in any provider, and their aliases.
 *
 * @param config - the config object
 * @returns a shallow copy; secret values replaced by `********` (or kept `''` when empty)
 * @throws {TypeError} when `config` is not an object
 * @example
 * ```ts
 * maskSecrets({ smtp_password: 'hunter2', smtp_username: '' });
 * // → { smtp_password: '********', smtp_username: '' }
 * ```
 */
export function maskSecrets<T extends object>(config: T): T {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError('"config" must be a config object');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const masked = isSecretKey(key) && value !== '' && value !== undefined && value !== null;
    Object.defineProperty(out, key, {
      value: masked ? SECRET_MASK : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}

/**
 * Whether a key (or one of its aliases) holds a secret.
 *
 * @param key - a config key as written
 * @returns true for secret keys
 */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key);
}

/**
 * A raw value as quoted in a message: masked when secret, JSON-quoted and shortened otherwise.
 *
 * @param value - the value as read from the file
 * @param secret - whether the key holds a secret
 * @returns e.g. `"25a"`, `70000`, `********`, `""`
 */
export function showValue(value: unknown, secret: boolean): string {
  if (secret) return value === '' ? '""' : SECRET_MASK;
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 76)}…${text.startsWith('"') ? '"' : ''}` : text;
}
