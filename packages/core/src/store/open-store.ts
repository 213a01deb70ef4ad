/**
 * Open the configured store. Each backend module is loaded with `await import()` only when it is
 * configured (STYLE B.11), so a broken native build of one driver (better-sqlite3) or a missing
 * optional one cannot break a node that uses another backend.
 *
 * Two steps, kept apart so that neither needs the config module:
 * - {@link storeOptionsFromConfig}: a loaded provider config (`auth_mode`, `sqlite_path`, …;
 *   DESIGN "Configuration") → {@link StoreOptions};
 * - {@link openStore}: {@link StoreOptions} → an open `UserStore`.
 *
 * @module store
 */
import { resolve } from 'node:path';
import { StoreError } from '../errors.js';
import type { MemoryStore } from './memory.js';
import type { MssqlStore, MssqlStoreOptions } from './mssql.js';
import type { PostgresStore, PostgresStoreOptions } from './postgres.js';
import type { SqliteStore, SqliteStoreOptions } from './sqlite.js';
import type { UserStore } from './user-store.js';

/** The embedded in-process store (tests, `serve --demo`); nothing persists. */
export interface MemoryStoreOptions {
  kind: 'memory';
}

/** `auth_mode: SQLITE` (the embedded default). */
export interface SqliteOpenOptions extends SqliteStoreOptions {
  kind: 'sqlite';
}

/** `auth_mode: POSTGRES` (see postgres.ts). */
export interface PostgresOpenOptions extends PostgresStoreOptions {
  kind: 'postgres';
}

/** `auth_mode: SQL` (Microsoft SQL Server), with the seeds' keys (see mssql.ts). */
export interface MssqlOpenOptions extends MssqlStoreOptions {
  kind: 'mssql';
}

/** `auth_mode: AD`: the OTP record lives in `sMFA-OTP-*` attributes of the user object. */
export interface AdStoreOptions {
  kind: 'ad';
  /** `ldap_url`. */
  url: string;
  /** `ldap_base_dn`. */
  baseDn: string;
  /** `ldap_bind_dn`. */
  bindDn: string;
  /** `ldap_bind_password` (never log it). */
  bindPassword: string;
  /** `ldap_tls_ca_file`. */
  tlsCaFile?: string;
  /** `ldap_tls_servername`. */
  tlsServername?: string;
  /** `ldap_timeout_ms`. */
  timeoutMs?: number;
  /** `ldap_starttls`: upgrade an `ldap://` connection with StartTLS before binding. */
  startTls?: boolean;
}

/** What {@link openStore} can open. */
export type StoreOptions =
  MemoryStoreOptions | SqliteOpenOptions | PostgresOpenOptions | MssqlOpenOptions | AdStoreOptions;

/** The backend kinds {@link openStore} knows. */
export type StoreKind = StoreOptions['kind'];

/** The backend modules {@link openStore} loads lazily. */
export interface StoreBackends {
  memory: { MemoryStore: typeof MemoryStore };
  sqlite: { openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> };
  postgres: { openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> };
  mssql: { openMssqlStore(options: MssqlStoreOptions): Promise<MssqlStore> };
}

/** Dependencies of {@link openStore} (injected by tests). */
export interface OpenStoreDeps {
  /**
   * Load a backend module. Default: `await import('./<kind>.js')`. Tests inject a failing
   * loader to show that a broken driver yields `ERR_STORE_UNAVAILABLE` for that kind only.
   */
  load?: <K extends keyof StoreBackends>(kind: K) => Promise<StoreBackends[K]>;
}

const LOADERS: { readonly [K in keyof StoreBackends]: () => Promise<StoreBackends[K]> } = {
  memory: () => import('./memory.js'),
  sqlite: () => import('./sqlite.js'),
  postgres: () => import('./postgres.js'),
  mssql: () => import('./mssql.js'),
};

const defaultLoad = <K extends keyof StoreBackends>(kind: K): Promise<StoreBackends[K]> =>
  LOADERS[kind]();

/** The npm package each backend needs, for the reinstall hint. */
const DRIVER: Readonly<Record<keyof StoreBackends, string>> = {
  memory: '@securemfa/core',
  sqlite: 'better-sqlite3',
  postgres: 'pg',
  mssql: 'tedious',
};

/** Which `auth_mode` configures a kind, for messages. */
const AUTH_MODE: Readonly<Record<StoreKind, string>> = {
  memory: 'MEMORY',
  sqlite: 'SQLITE',
  postgres: 'POSTGRES',
  mssql: 'SQL',
  ad: 'AD',
};

async function loadBackend<K extends keyof StoreBackends>(
  kind: K,
  deps: OpenStoreDeps,
): Promise<StoreBackends[K]> {
  try {
    return await (deps.load ?? defaultLoad)(kind);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new StoreError(
      'ERR_STORE_UNAVAILABLE',
      `the ${kind} store (auth_mode ${AUTH_MODE[kind]}) cannot be loaded: ${detail}`,
      {
        cause: err,
        hint:
          kind === 'sqlite'
            ? 'rebuild the SQLite driver for this Node version: npm rebuild better-sqlite3'
            : `reinstall @securemfa/core (the ${kind} store needs ${DRIVER[kind]})`,
      },
    );
  }
}

/**
 * Open the configured store.
 *
 * @param options - which backend and its settings (see {@link storeOptionsFromConfig})
 * @param deps - injected dependencies (tests)
 * @returns the open store; close it with `close()`
 * @throws {TypeError} when `options.kind` is unknown
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` when the backend cannot be loaded or reached, or
 *   refuses the credentials; `ERR_STORE_SCHEMA` when the database schema does not match this
 *   code (SQL) or lacks the sMFA-OTP-* attributes (AD)
 * @example
 * ```ts
 * const store = await openStore(storeOptionsFromConfig(config, { cwd: process.cwd() }));
 * try { await store.ping(); } finally { await store.close(); }
 * ```
 */
export function openStore(options: MemoryStoreOptions, deps?: OpenStoreDeps): Promise<MemoryStore>;
export function openStore(options: SqliteOpenOptions, deps?: OpenStoreDeps): Promise<SqliteStore>;
export function openStore(
  options: PostgresOpenOptions,
  deps?: OpenStoreDeps,
): Promise<PostgresStore>;
export function openStore(options: MssqlOpenOptions, deps?: OpenStoreDeps): Promise<MssqlStore>;
export function openStore(options: StoreOptions, deps?: OpenStoreDeps): Promise<UserStore>;
export async function openStore(
  options: StoreOptions,
  deps: OpenStoreDeps = {},
): Promise<UserStore> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('store options must be an object with a "kind"');
  }
  const kind: unknown = options.kind;
  switch (options.kind) {
    case 'memory': {
      const { MemoryStore: Store } = await loadBackend('memory', deps);
      return new Store();
    }
    case 'sqlite': {
      const { openSqliteStore } = await loadBackend('sqlite', deps);
      const { kind: _kind, ...sqlite } = options;
      return openSqliteStore(sqlite);
    }
    case 'ad': {
      const { kind: _kind, timeoutMs, ...ad } = options;
      let backend: typeof import('./ad.js');
      try {
        backend = await import('./ad.js');
      } catch (err) {
        throw new StoreError(
          'ERR_STORE_UNAVAILABLE',
          `the ad store (auth_mode AD) cannot be loaded: ${err instanceof Error ? err.message : String(err)}`,
          {
            cause: err,
            hint: 'reinstall @securemfa/core (the AD store needs ldapts)',
          },
        );
      }
      return backend.openAdStore({ ...ad, timeoutMs: timeoutMs ?? 5000 });
    }
    case 'postgres': {
      const { openPostgresStore } = await loadBackend('postgres', deps);
      const { kind: _kind, ...pg } = options;
      return openPostgresStore(pg);
    }
    case 'mssql': {
      const { openMssqlStore } = await loadBackend('mssql', deps);
      const { kind: _kind, ...mssql } = options;
      return openMssqlStore(mssql);
    }
    default:
      throw new TypeError(
        `"kind" must be one of memory, sqlite, postgres, mssql, ad; got ${JSON.stringify(kind)}`,
      );
  }
}

/** The provider config keys {@link storeOptionsFromConfig} reads (DESIGN "Configuration"). */
export interface StoreConfigKeys {
  /** `SQLITE` (default when empty), `SQL` (MS SQL), `POSTGRES`, `AD`; case-insensitive. */
  auth_mode: string;
  sqlite_path?: string;
  pg_connection_string?: string;
  sqlserver?: string;
  sqldbname?: string;
  sqlintegratedsecurity?: boolean;
  sqluseraccount?: string;
  sqluserpassword?: string;
  sql_timeout_ms?: number;
  sql_pool_size?: number;
  sql_encrypt?: boolean;
  sql_trust_server_certificate?: boolean;
  sql_tls_ca_file?: string;
  ldap_url?: string;
  ldap_base_dn?: string;
  ldap_bind_dn?: string;
  ldap_bind_password?: string;
  ldap_tls_ca_file?: string;
  ldap_tls_servername?: string;
  ldap_timeout_ms?: number;
  ldap_starttls?: boolean;
}

/** Options of {@link storeOptionsFromConfig}. */
export interface StoreOptionsFromConfigOptions {
  /** Folder a relative `sqlite_path` / `ldap_tls_ca_file` is resolved against (the config's). */
  cwd: string;
  /** Apply pending migrations on open (`install` on the main node: true; `serve`: the default). */
  migrate?: boolean;
}

/** Default `sqlite_path`. */
export const DEFAULT_SQLITE_PATH = './securemfa.db';

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v;

/**
 * Map a loaded provider config to {@link StoreOptions}. A plain function over the config keys,
 * so it does not depend on the config module; secrets are passed through, never logged.
 *
 * @param config - the provider config (only the store keys are read)
 * @param options - the folder relative paths are resolved against, migrate on open
 * @returns the options for {@link openStore}
 * @throws {TypeError} when `auth_mode` is not one of SQLITE, SQL, POSTGRES, AD
 * @example
 * ```ts
 * storeOptionsFromConfig({ auth_mode: 'SQLITE', sqlite_path: 'otp.db' }, { cwd: '/etc/securemfa' });
 * // → { kind: 'sqlite', path: '/etc/securemfa/otp.db' }
 * ```
 */
export function storeOptionsFromConfig(
  config: StoreConfigKeys,
  options: StoreOptionsFromConfigOptions,
): StoreOptions {
  const mode = (config.auth_mode ?? '').trim().toUpperCase() || 'SQLITE';
  const at = (p: string): string => resolve(options.cwd, p);
  const migrate = options.migrate === undefined ? {} : { migrate: options.migrate };
  const timeout = (ms: number | undefined) => (ms === undefined ? {} : { timeoutMs: ms });
  switch (mode) {
    case 'SQLITE': {
      const path = nonEmpty(config.sqlite_path) ?? DEFAULT_SQLITE_PATH;
      return { kind: 'sqlite', path: path === ':memory:' ? path : at(path), ...migrate };
    }
    case 'POSTGRES':
      return {
        kind: 'postgres',
        connectionString: config.pg_connection_string ?? '',
        ...timeout(config.sql_timeout_ms),
        ...(config.sql_pool_size === undefined ? {} : { poolSize: config.sql_pool_size }),
        ...migrate,
      };
    case 'SQL':
      return {
        kind: 'mssql',
        server: config.sqlserver ?? '',
        database: nonEmpty(config.sqldbname) ?? 'SecureMfaOTP',
        integratedSecurity: config.sqlintegratedsecurity === true,
        ...(nonEmpty(config.sqluseraccount) === undefined ? {} : { user: config.sqluseraccount }),
        ...(nonEmpty(config.sqluserpassword) === undefined
          ? {}
          : { password: config.sqluserpassword }),
        ...timeout(config.sql_timeout_ms),
        ...(config.sql_pool_size === undefined ? {} : { poolSize: config.sql_pool_size }),
        ...(config.sql_encrypt === undefined ? {} : { encrypt: config.sql_encrypt }),
        ...(config.sql_trust_server_certificate === undefined
          ? {}
          : { trustServerCertificate: config.sql_trust_server_certificate }),
        ...(nonEmpty(config.sql_tls_ca_file) === undefined
          ? {}
          : { tlsCaFile: at(config.sql_tls_ca_file!) }),
        ...migrate,
      };
    case 'AD': {
      const ca = nonEmpty(config.ldap_tls_ca_file);
      const servername = nonEmpty(config.ldap_tls_servername);
      return {
        kind: 'ad',
        url: config.ldap_url ?? '',
        baseDn: config.ldap_base_dn ?? '',
        bindDn: config.ldap_bind_dn ?? '',
        bindPassword: config.ldap_bind_password ?? '',
        ...(ca === undefined ? {} : { tlsCaFile: at(ca) }),
        ...(servername === undefined ? {} : { tlsServername: servername }),
        ...timeout(config.ldap_timeout_ms),
        ...(config.ldap_starttls === true ? { startTls: true } : {}),
      };
    }
    default:
      throw new TypeError(
        `"auth_mode" must be SQLITE, SQL, POSTGRES or AD; got ${JSON.stringify(config.auth_mode)}`,
      );
  }
}
