/**
 * Open the configured user directory (DESIGN "directory"): AD/LDAP when the config names a
 * directory — `auth_mode` AD, or `ldap_url` set — else the OTP store itself (`mail`/`mobile`
 * kept in the store). The LDAP module (and with it ldapts) is loaded with `await import()` only
 * when an LDAP directory is configured (STYLE B.11).
 *
 * Two steps, as for stores:
 * - {@link directoryOptionsFromConfig}: a loaded provider config → {@link DirectoryOptions};
 * - {@link openDirectory}: {@link DirectoryOptions} (+ the open store) → a `Directory`.
 *
 * @module directory
 */
import { resolve } from 'node:path';
import { DirectoryError } from '../errors.js';
import type { UserStore } from '../store/user-store.js';
import type { Directory } from './directory.js';
import type { LdapDirectoryOptions } from './ldap.js';
import { createStoreDirectory } from './store-backed.js';

/** The store answers `mail`/`mobile` from its own fields (no directory configured). */
export interface StoreDirectoryOptions {
  kind: 'store';
}

/** An AD/LDAP directory (`ldap_*` keys). */
export interface LdapDirectoryOpenOptions extends LdapDirectoryOptions {
  kind: 'ldap';
}

/** What {@link openDirectory} can open. */
export type DirectoryOptions = StoreDirectoryOptions | LdapDirectoryOpenOptions;

/** The provider config keys {@link directoryOptionsFromConfig} reads. */
export interface DirectoryConfigKeys {
  auth_mode: string;
  ldap_url?: string;
  ldap_base_dn?: string;
  ldap_bind_dn?: string;
  ldap_bind_password?: string;
  ldap_tls_ca_file?: string;
  ldap_tls_servername?: string;
  ldap_timeout_ms?: number;
}

/** Options of {@link directoryOptionsFromConfig}. */
export interface DirectoryOptionsFromConfigOptions {
  /** Folder a relative `ldap_tls_ca_file` is resolved against (the config file's). */
  cwd: string;
}

/** Default `ldap_timeout_ms`. */
export const DEFAULT_DIRECTORY_TIMEOUT_MS = 5000;

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v;

/**
 * True when the config names an AD/LDAP directory: `auth_mode` AD, or `ldap_url` set.
 *
 * @param config - the provider config (only `auth_mode` and `ldap_url` are read)
 * @returns whether user attributes come from AD/LDAP
 */
export function usesLdapDirectory(config: Pick<DirectoryConfigKeys, 'auth_mode' | 'ldap_url'>) {
  return (
    (config.auth_mode ?? '').trim().toUpperCase() === 'AD' ||
    nonEmpty(config.ldap_url) !== undefined
  );
}

/**
 * Map a loaded provider config to {@link DirectoryOptions}: `ldap` when `auth_mode` is AD or
 * `ldap_url` is set (the same `ldap_*` settings the AD store uses: `ldap://` is used as is,
 * exactly like the AD store, `ldaps://` is TLS), else `store`.
 *
 * @param config - the provider config (only `auth_mode` and the `ldap_*` keys are read)
 * @param options - the folder relative paths are resolved against
 * @returns the options for {@link openDirectory}
 * @throws {DirectoryError} when an LDAP directory is configured but one of ldap_url,
 *   ldap_base_dn, ldap_bind_dn, ldap_bind_password is empty (names the keys)
 * @example
 * ```ts
 * directoryOptionsFromConfig({ auth_mode: 'SQLITE' }, { cwd }); // { kind: 'store' }
 * directoryOptionsFromConfig({ auth_mode: 'SQLITE', ldap_url: 'ldaps://dc1', ldap_base_dn: 'DC=a,DC=b',
 *   ldap_bind_dn: 'svc@a.b', ldap_bind_password: pw }, { cwd }); // { kind: 'ldap', url: 'ldaps://dc1', … }
 * ```
 */
export function directoryOptionsFromConfig(
  config: DirectoryConfigKeys,
  options: DirectoryOptionsFromConfigOptions,
): DirectoryOptions {
  if (!usesLdapDirectory(config)) return { kind: 'store' };
  const missing = (
    ['ldap_url', 'ldap_base_dn', 'ldap_bind_dn', 'ldap_bind_password'] as const
  ).filter((k) => nonEmpty(config[k]) === undefined);
  if (missing.length > 0) {
    const why =
      (config.auth_mode ?? '').trim().toUpperCase() === 'AD'
        ? 'auth_mode is AD'
        : 'ldap_url is set';
    throw new DirectoryError(
      `the user directory is AD/LDAP (${why}), but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty`,
      {
        hint: 'set ldap_url, ldap_base_dn, ldap_bind_dn and ldap_bind_password, or clear ldap_url to read user attributes from the store',
      },
    );
  }
  const at = (p: string): string => resolve(options.cwd, p);
  const ca = nonEmpty(config.ldap_tls_ca_file);
  const servername = nonEmpty(config.ldap_tls_servername);
  return {
    kind: 'ldap',
    url: config.ldap_url!.trim(),
    baseDn: config.ldap_base_dn!.trim(),
    bindDn: config.ldap_bind_dn!.trim(),
    bindPassword: config.ldap_bind_password!,
    ...(ca === undefined ? {} : { tlsCaFile: at(ca) }),
    ...(servername === undefined ? {} : { tlsServername: servername.trim() }),
    timeoutMs: config.ldap_timeout_ms ?? DEFAULT_DIRECTORY_TIMEOUT_MS,
  };
}

/** What {@link openDirectory} needs besides the options. */
export interface OpenDirectoryDeps {
  /** The open OTP store: the `store` directory reads from it. */
  store: UserStore;
}

/**
 * Open the configured directory. An LDAP directory connects on its first lookup, not here.
 *
 * @param options - which directory (see {@link directoryOptionsFromConfig})
 * @param deps - the open store
 * @returns the directory; close it with `close()` (the store directory's close is a no-op, the
 *   store stays open)
 * @throws {TypeError} on unknown `kind` or malformed LDAP options
 * @throws {DirectoryError} when the LDAP module cannot be loaded or the CA file cannot be read
 * @example
 * ```ts
 * const directory = await openDirectory(directoryOptionsFromConfig(config, { cwd }), { store });
 * await directory.attributes('alice@adatum.labnet', ['mail', 'msDS-cloudExtensionAttribute10']);
 * ```
 */
export async function openDirectory(
  options: DirectoryOptions,
  deps: OpenDirectoryDeps,
): Promise<Directory> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('directory options must be an object with a "kind"');
  }
  switch (options.kind) {
    case 'store':
      if (deps?.store === undefined) throw new TypeError('"store" is required for kind store');
      return createStoreDirectory(deps.store);
    case 'ldap': {
      const { kind: _kind, ...ldap } = options;
      let backend: typeof import('./ldap.js');
      try {
        backend = await import('./ldap.js');
      } catch (err) {
        throw new DirectoryError(
          `the LDAP directory cannot be loaded: ${err instanceof Error ? err.message : String(err)}`,
          { cause: err, hint: 'reinstall @securemfa/core (the LDAP directory needs ldapts)' },
        );
      }
      return backend.openLdapDirectory(ldap);
    }
    default:
      throw new TypeError(
        `"kind" must be store or ldap; got ${JSON.stringify((options as { kind?: unknown }).kind)}`,
      );
  }
}
