/**
 * The stores the integration suites run against, behind one interface so that one suite runs on
 * every backend: SQLite (a file per configuration), the real Samba AD DC (an OU per
 * configuration, so each listing sees only its own users) and PostgreSQL (a database per
 * configuration). The servers are the shared, leased ones of `@securemfa/testkit`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  createSecretCipher,
  loadConfig,
  openStore,
  storeOptionsFromConfig,
  type SecretCipher,
  type UserStore,
} from '@securemfa/core';
import {
  createAdUser,
  createDatabase,
  createOu,
  databaseUrl,
  deleteOu,
  dropDatabases,
  releasePostgres,
  releaseSambaDc,
  startPostgres,
  startSambaDc,
  uniqueSuffix,
  type PgServer,
  type SambaDc,
} from '@securemfa/testkit';

/** The passphrase of every test configuration. */
export const PASSPHRASE = 'support-tools-test-passphrase-0001';
/** The file name that tells the tools it is a QR provider configuration. */
export const CONFIG_NAME = 'SecureMfaOtpProvider.json';

/** A test configuration: its folder and file. */
export interface TestConfig {
  dir: string;
  file: string;
  /** The configuration's keys as written. */
  keys: Record<string, string>;
}

/** One store backend. */
export interface Backend {
  readonly name: 'sqlite' | 'ad' | 'postgres';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new, empty store and a configuration file for it; `extra` keys override. */
  config(extra?: Record<string, string>): Promise<TestConfig>;
  /** Create whatever a user needs before enrolment (AD: the user object) and return a UPN. */
  newUpn(cfg: TestConfig, label: string): Promise<string>;
}

const dirs: string[] = [];

async function writeConfig(keys: Record<string, string>): Promise<TestConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'smfa-tools-'));
  dirs.push(dir);
  const file = join(dir, CONFIG_NAME);
  await writeFile(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return { dir, file, keys };
}

const common = (extra: Record<string, string>): Record<string, string> => ({
  company: 'Contoso',
  data_encryption: 'true',
  data_encryption_passphrase: PASSPHRASE,
  data_encryption_legacy_salt: 'sMFA-legacy-salt',
  ui_login_failures: '3',
  ui_lockout_minutes: '15',
  ...extra,
});

/** Open the store of a test configuration through core's public API (migrating SQL schemas). */
export async function openTestStore(cfg: TestConfig): Promise<UserStore> {
  const { config } = await loadConfig('qr-otp', { file: cfg.file });
  return openStore(storeOptionsFromConfig(config, { cwd: dirname(cfg.file), migrate: true }));
}

/** The cipher of a test configuration (or of another passphrase). */
export function testCipher(passphrase = PASSPHRASE): SecretCipher {
  return createSecretCipher({ enabled: true, passphrase, legacySalt: 'sMFA-legacy-salt' });
}

/** Remove the temporary folders. */
export async function removeTestDirs(): Promise<void> {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
}

/** SQLite: one database file per configuration, created (migrated) up front. */
export function sqliteBackend(): Backend {
  return {
    name: 'sqlite',
    start: async () => undefined,
    stop: async () => undefined,
    async config(extra = {}) {
      const cfg = await writeConfig(
        common({ auth_mode: 'SQLITE', sqlite_path: './otp.db', ...extra }),
      );
      const store = await openTestStore(cfg);
      await store.close();
      return cfg;
    },
    newUpn: async (_cfg, label) => `${label}.${uniqueSuffix()}@contoso.test`,
  };
}

/** The Samba AD DC: one OU per configuration; users are AD user objects in it. */
export function adBackend(): Backend {
  let dc: SambaDc | undefined;
  const ous: string[] = [];
  const ouOf = new Map<string, string>();
  return {
    name: 'ad',
    async start() {
      dc = await startSambaDc();
      process.stderr.write(`[support-tools] Samba DC ${dc.started} in ${dc.startMs} ms\n`);
    },
    async stop() {
      if (dc !== undefined)
        for (const ou of ous.splice(0)) await deleteOu(dc, ou).catch(() => undefined);
      await releaseSambaDc();
    },
    async config(extra = {}) {
      if (dc === undefined) throw new Error('adBackend: start() first');
      const ou = await createOu(dc, `smfa-tools-${uniqueSuffix()}`);
      ous.push(ou);
      const cfg = await writeConfig(
        common({
          auth_mode: 'AD',
          ldap_url: dc.url,
          ldap_base_dn: ou,
          ldap_bind_dn: dc.adminDn,
          ldap_bind_password: dc.adminPassword,
          ldap_timeout_ms: '15000',
          ...extra,
        }),
      );
      ouOf.set(cfg.file, ou);
      return cfg;
    },
    async newUpn(cfg, label) {
      if (dc === undefined) throw new Error('adBackend: start() first');
      const upn = `${label}.${uniqueSuffix()}@adatum.labnet`;
      await createAdUser(dc, upn, { container: ouOf.get(cfg.file) ?? dc.baseDn });
      return upn;
    },
  };
}

/** PostgreSQL (tools/testenv/postgres.sh): one database per configuration. */
export function postgresBackend(): Backend {
  let server: PgServer | undefined;
  const databases: string[] = [];
  return {
    name: 'postgres',
    async start() {
      server = await startPostgres();
      process.stderr.write(
        `[support-tools] PostgreSQL ${server.started} in ${server.startMs} ms\n`,
      );
    },
    async stop() {
      if (server !== undefined) await dropDatabases(server, databases.splice(0));
      await releasePostgres();
    },
    async config(extra = {}) {
      if (server === undefined) throw new Error('postgresBackend: start() first');
      const db = await createDatabase(server, 'smfa_tools');
      databases.push(db);
      const cfg = await writeConfig(
        common({ auth_mode: 'POSTGRES', pg_connection_string: databaseUrl(server, db), ...extra }),
      );
      const store = await openTestStore(cfg);
      await store.close();
      return cfg;
    },
    newUpn: async (_cfg, label) => `${label}.${uniqueSuffix()}@contoso.test`,
  };
}
