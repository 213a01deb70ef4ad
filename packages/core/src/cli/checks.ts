/**
 * The checks `install` and `verify` run, each returning a {@link CheckLine} (never throwing for
 * an expected failure): store reachable (a failure names the problem: unreachable, auth failed,
 * database missing, schema version old, AD attributes missing, no write access), its schema
 * version or AD attributes, the account's write rights, stored secrets decryptable with this
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
import { isInspectable, type StoreInspection } from '../store/store-inspection.js';
import { STORE_PROBLEM_LABEL, storeProblemOf } from '../store/store-problem.js';
import type { UserStore } from '../store/user-store.js';
import type { CheckLine } from './output.js';

/** `0001…0003` / `0002` for messages. */
function range(from: number, to: number): string {
  const n = (v: number): string => String(v).padStart(4, '0');
  return from === to ? n(from) : `${n(from)}…${n(to)}`;
}

/** A failed check line from an error. */
export function failedLine(name: string, err: unknown, fallbackHint?: string): CheckLine {
  const { detail, hint } = reason(err);
  return { name, ok: false, detail, hint: hint ?? fallbackHint };
}

function reason(err: unknown): { detail: string; hint: string | undefined } {
  if (isSecureMfaError(err)) return { detail: err.message, hint: err.hint };
  return { detail: err instanceof Error ? err.message : String(err), hint: undefined };
}

/**
 * A failed store line that names the problem first (`auth failed: …`, `database missing: …`,
 * `schema version old: …`), so an operator sees at once which of the store checks failed.
 *
 * @param name - the check name (`store`)
 * @param err - what opening or using the store threw
 * @param fallbackHint - hint when the error carries none
 * @returns the line
 */
export function storeFailedLine(name: string, err: unknown, fallbackHint?: string): CheckLine {
  const line = failedLine(name, err, fallbackHint);
  const problem = storeProblemOf(err);
  if (problem === undefined || problem === 'other') return line;
  return { ...line, detail: `${STORE_PROBLEM_LABEL[problem]}: ${line.detail}` };
}

/**
 * The store answers: one line, failing with the problem named (unreachable, auth failed,
 * database missing, schema version old, AD attributes missing, no write access…).
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
    const users = await store.count();
    return { name: 'store', ok: true, detail: `${where}, ${users} user(s)` };
  } catch (err) {
    return storeFailedLine('store', err, 'check the store settings (auth_mode and its keys)');
  }
}

/**
 * The schema and the account's rights, one line each (stores that can tell; see
 * `InspectableStore`): SQL schema version against the scripts this version ships, the AD
 * `sMFA-OTP-*` attributes, and the privileges the provider needs at run time.
 *
 * @param store - the open store
 * @param bin - the provider CLI, for hints
 * @param timeoutMs - how long to wait
 * @returns the `schema` and `access` lines (none when the store cannot tell)
 */
export async function checkStoreSchemaAndAccess(
  store: UserStore,
  bin: string,
  timeoutMs: number,
  appliedFrom?: number,
): Promise<CheckLine[]> {
  if (!isInspectable(store)) return [];
  let report: StoreInspection;
  try {
    report = await store.inspect(AbortSignal.timeout(timeoutMs));
  } catch (err) {
    return [storeFailedLine('schema', err)];
  }
  const lines: CheckLine[] = [];
  if (report.schema !== undefined) {
    const { current, latest } = report.schema;
    lines.push(
      current === latest
        ? {
            name: 'schema',
            ok: true,
            detail:
              appliedFrom !== undefined && appliedFrom < current
                ? `schema version ${current}: applied migrations ${range(appliedFrom + 1, current)} now (the database was at ${appliedFrom})`
                : `schema version ${current} (the latest this version ships)`,
          }
        : current < latest
          ? {
              name: 'schema',
              ok: false,
              detail: `${STORE_PROBLEM_LABEL[current === 0 ? 'schema_missing' : 'schema_old']}: the database is at version ${current}, this version needs ${latest}`,
              hint: `run \`${bin} install\` on the main node (it applies sql-scripts/<dialect> ${range(current + 1, latest)})`,
            }
          : {
              name: 'schema',
              ok: false,
              detail: `${STORE_PROBLEM_LABEL.schema_newer}: the database is at version ${current}, this version knows ${latest}`,
              hint: 'upgrade SecureMFA on this node to the version the main node runs',
            },
    );
  }
  if (report.missingAttributes !== undefined) {
    lines.push(
      report.missingAttributes.length === 0
        ? {
            name: 'schema',
            ok: true,
            detail: 'sMFA-OTP-* attributes and the sMFA-OTP-User class are in the AD schema',
          }
        : {
            name: 'schema',
            ok: false,
            detail: `${STORE_PROBLEM_LABEL.ad_attributes_missing}: ${report.missingAttributes.join(', ')}`,
            hint: 'extend the AD schema as a member of Schema Admins: `securemfa-tools ad-schema extend`, or ldapmodify/ldifde with ad-schema/securemfa-otp-schema.ldif (ad-schema/README.md)',
          },
    );
  }
  if (report.missingAccess === undefined) {
    if (report.missingAttributes === undefined || report.missingAttributes.length === 0) {
      lines.push({
        name: 'access',
        ok: true,
        skipped: true,
        detail: 'cannot tell the write rights yet (no user object visible under ldap_base_dn)',
      });
    }
  } else if (report.missingAccess.length === 0) {
    lines.push({
      name: 'access',
      ok: true,
      detail: 'the account may read and write everything the provider needs',
    });
  } else {
    lines.push({
      name: 'access',
      ok: false,
      detail: `${STORE_PROBLEM_LABEL.no_write_access}: ${report.missingAccess.join(', ')}`,
      hint: report.accessHint,
    });
  }
  return lines;
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
    const proved = await channel.verify(AbortSignal.timeout(timeoutMs));
    return { name, ok: true, detail: `${channel.name}: ${proved}` };
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
