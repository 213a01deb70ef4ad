/**
 * Config fingerprint for farm registration: every node of a farm registers the fingerprint of
 * its config, and `install --not-main-node` / `verify` compare it with the main node's.
 *
 * - Node-local keys ({@link NODE_LOCAL_KEYS}: where this node listens and logs, paths of its
 *   local files) are left out: nodes legitimately differ there.
 * - Secrets enter **masked** (set / not set), never their value: the fingerprint is stored in
 *   the shared store, and a plain hash of a passphrase would be a fast offline-guessing oracle
 *   for it. A node with a different passphrase is caught by decryption failing (MAC), not here.
 *
 * @module config
 */
import { createHash } from 'node:crypto';
import { maskSecrets } from './mask.js';
import type { ProviderConfig } from './types.js';

/** Keys that may differ between the nodes of a farm. */
export const NODE_LOCAL_KEYS: ReadonlySet<string> = new Set([
  'listen_host',
  'listen_port',
  'tls_cert_file',
  'tls_key_file',
  'theme_css_file',
  'log_file',
  'log_format',
  'verboselog',
]);

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/**
 * SHA-256 (hex) of the canonical JSON (keys sorted, recursively) of a normalised config, secrets
 * masked and node-local keys left out.
 *
 * @param config - a normalised config (from `loadConfig`/`parseConfig`)
 * @returns 64 hex characters
 * @throws {TypeError} when `config` is not an object
 * @example
 * ```ts
 * const { config } = await loadConfig('qr-otp');
 * await store.register({ name: 'qr-otp', version, fingerprint: configFingerprint(config) });
 * ```
 */
export function configFingerprint(
  config: ProviderConfig | Readonly<Record<string, unknown>>,
): string {
  const shared = Object.fromEntries(
    Object.entries(maskSecrets(config)).filter(([key]) => !NODE_LOCAL_KEYS.has(key)),
  );
  return createHash('sha256')
    .update(JSON.stringify(canonical(shared)))
    .digest('hex');
}
