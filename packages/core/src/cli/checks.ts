/**
 * The checks `install` and `verify` run, each returning a {@link CheckLine} (never throwing for
 * an expected failure): store reachable and its schema, stored secrets decryptable with this
 * node's passphrase, farm registration and config fingerprint, the delivery channel, the host
 * key. Every failure says what is wrong and how to fix it.
 *
 * @module cli
 */
import type { DeliveryChannel } from '../adapter/delivery-channel.js';
import type { ProviderDefinition } from '../adapter/provider-definition.js';
import { configFingerprint } from '../config/fingerprint.js';
import type { ProviderConfig } from '../config/types.js';
import type { SecretCipher } from '../crypto/secret-cipher.js';
import { MIN_PAGE_JWT_KEY_BYTES } from '../crypto/page-jwt.js';
import { isSecureMfaError } from '../errors.js';
import type { UserStore } from '../store/user-store.js';
import type { CheckLine } from './output.js';

/** A store that can tell its schema version (SQL backends). */
interface Versioned {
  schemaVersion(): Promise<number>;
}

function hasVersion(store: UserStore): store is UserStore & Versioned {
  return typeof (store as Partial<Versioned>).schemaVersion === 'function';
}

function reason(err: unknown): { detail: string; hint: string | undefined } {
  if (isSecureMfaError(err)) return { detail: err.message, hint: err.hint };
  return { detail: err instanceof Error ? err.message : String(err), hint: undefined };
}

/** A failed check line from an error. */
export function failedLine(name: string, err: unknown, fallbackHint?: string): CheckLine {
  const { detail, hint } = reason(err);
  return { name, ok: false, detail, hint: hint ?? fallbackHint };
}

/**
 * The store answers and (SQL) has a schema.
 *
 * @param store - the open store
 * @param where - how to name it (`sqlite /var/lib/securemfa/otp.db`)
 * @param timeoutMs - how long to wait for the ping
 */
export async function checkStore(
  store: UserStore,
  where: string,
  timeoutMs: number,
): Promise<CheckLine> {
  try {
    await store.ping(AbortSignal.timeout(timeoutMs));
    const schema = hasVersion(store) ? ` (schema ${await store.schemaVersion()})` : '';
    const users = await store.count();
    return { name: 'store', ok: true, detail: `${where}${schema}, ${users} user(s)` };
  } catch (err) {
    return failedLine('store', err, 'check the store settings (auth_mode and its keys)');
  }
}

/**
 * A stored secret decrypts with this node's passphrase (all nodes of a farm must share it).
 *
 * @param store - the open store
 * @param cipher - this node's cipher
 */
export async function checkSecrets(store: UserStore, cipher: SecretCipher): Promise<CheckLine> {
  const name = 'encryption';
  const mode = cipher.enabled ? 'new secrets encrypted (v2)' : 'new secrets stored unencrypted';
  try {
    const [first] = await store.list({ limit: 1 });
    if (first === undefined) return { name, ok: true, detail: `${mode}; no users yet` };
    cipher.decrypt(first.secret);
    return { name, ok: true, detail: `${mode}; stored secrets decrypt with this passphrase` };
  } catch (err) {
    return failedLine(
      name,
      err,
      'every node must use the data_encryption_passphrase the secrets were written with',
    );
  }
}

/**
 * The provider is registered in the store and this node's config matches the registration.
 *
 * @param store - the open store
 * @param definition - the provider
 * @param config - this node's config
 */
export async function checkRegistration(
  store: UserStore,
  definition: ProviderDefinition<never>,
  config: ProviderConfig,
): Promise<CheckLine> {
  const name = 'registration';
  try {
    const reg = await store.getRegistration(definition.id);
    if (reg === undefined) {
      return {
        name,
        ok: false,
        detail: `${definition.id} is not registered in this store`,
        hint: `run \`${definition.bin} install\` on the main node first`,
      };
    }
    const mine = configFingerprint(config);
    if (reg.fingerprint !== mine) {
      return {
        name,
        ok: false,
        detail: `this node's config differs from the one the main node registered on ${reg.updated.toISOString()} (version ${reg.version})`,
        hint: `copy the main node's ${definition.configFileName} here (node-local keys such as listen_port may differ), or re-run install on the main node after changing it`,
      };
    }
    return {
      name,
      ok: true,
      detail: `registered by version ${reg.version} on ${reg.updated.toISOString()}; config matches`,
    };
  } catch (err) {
    return failedLine(name, err);
  }
}

/**
 * The delivery channel can reach its service (send channels authenticate and send nothing).
 *
 * @param channel - the channel
 * @param timeoutMs - the channel timeout
 */
export async function checkChannel(
  channel: DeliveryChannel,
  timeoutMs: number,
): Promise<CheckLine> {
  const name = 'channel';
  if (channel.mode === 'app') {
    return {
      name,
      ok: true,
      detail: `${channel.name}: codes come from the user's app; nothing to reach`,
    };
  }
  try {
    await channel.verify(AbortSignal.timeout(timeoutMs));
    return { name, ok: true, detail: `${channel.name}: reachable and accepted our credentials` };
  } catch (err) {
    return failedLine(name, err);
  }
}

/**
 * adapter_api_key is long enough for the adapter API and the hosted page.
 *
 * @param config - the config
 * @param bin - CLI name for the hint
 */
export function checkApiKey(config: ProviderConfig, bin: string): CheckLine {
  const bytes = Buffer.byteLength(config.adapter_api_key, 'utf8');
  if (bytes >= MIN_PAGE_JWT_KEY_BYTES) {
    return {
      name: 'host',
      ok: true,
      detail: `adapter API and hosted page on (listen ${config.listen_host}:${config.listen_port})`,
    };
  }
  return {
    name: 'host',
    ok: false,
    detail:
      bytes === 0
        ? 'adapter_api_key is empty: the adapter API and the hosted page refuse every request'
        : `adapter_api_key is ${bytes} bytes: at least ${MIN_PAGE_JWT_KEY_BYTES} are needed`,
    hint: `set a long random adapter_api_key (\`${bin} config init\` generates one)`,
  };
}
