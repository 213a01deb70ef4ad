// The stores a farm of the hardening suites runs on, each a real server or file: a SQLite file,
// a database of its own on the throwaway PostgreSQL of tools/testenv/postgres.sh, the Samba AD DC
// of tools/testenv/samba-dc.sh (users created as AD user objects). Both servers are the shared,
// leased ones of @securemfa/testkit, so these suites share them with every other suite; a server
// that cannot start FAILS the suite (never a skip).
import { join } from 'node:path';
import {
  createAdUser,
  createDatabase,
  databaseUrl,
  deleteAdUsers,
  dropDatabases,
  POSTGRES_START_TIMEOUT_MS,
  releasePostgres,
  releaseSambaDc,
  SAMBA_DC_START_TIMEOUT_MS,
  startPostgres,
  startSambaDc,
  uniqueSuffix,
  type AdTestUser,
  type PgServer,
  type SambaDc,
} from '@securemfa/testkit';

/** A store kind the suites run a farm on. */
export interface FarmBackend {
  readonly name: 'sqlite' | 'postgres' | 'ad';
  /**
   * Longest start() may take (waiting for a shared server's lease included): the `beforeAll`
   * that calls it needs this much time on top of its own work.
   */
  readonly startTimeoutMs: number;
  /** Start (or lease) the server; throws loudly when it cannot. */
  start(): Promise<void>;
  /** Release what start() took and delete what the suite created. */
  stop(): Promise<void>;
  /** The store keys of a provider config (a fresh database/file per call). */
  storeKeys(dir: string): Promise<Record<string, string>>;
  /** A UPN that may sign in (in AD: a user object created now). */
  newUser(label: string): Promise<string>;
}

/** A SQLite file in the suite's folder. */
export function sqliteBackend(): FarmBackend {
  return {
    name: 'sqlite',
    startTimeoutMs: 0,
    async start() {},
    async stop() {},
    async storeKeys(dir) {
      return { auth_mode: 'SQLITE', sqlite_path: join(dir, `farm-${uniqueSuffix()}.db`) };
    },
    newUser: async (label) => `${label}.${uniqueSuffix()}@contoso.test`,
  };
}

/** The Samba AD DC: users are created under CN=Users with unique UPNs. */
export function adBackend(): FarmBackend {
  let dc: SambaDc | undefined;
  const users: AdTestUser[] = [];
  return {
    name: 'ad',
    startTimeoutMs: SAMBA_DC_START_TIMEOUT_MS,
    async start() {
      dc = await startSambaDc();
      process.stderr.write(`[hardening] Samba AD DC ${dc.started} in ${dc.startMs} ms\n`);
    },
    async stop() {
      if (dc !== undefined) await deleteAdUsers(dc, users.splice(0)).catch(() => undefined);
      await releaseSambaDc();
    },
    async storeKeys() {
      if (dc === undefined) throw new Error('adBackend: start() first');
      return {
        auth_mode: 'AD',
        ldap_url: dc.url,
        ldap_base_dn: dc.baseDn,
        ldap_bind_dn: dc.adminDn,
        ldap_bind_password: dc.adminPassword,
        ldap_timeout_ms: '15000',
      };
    },
    async newUser(label) {
      if (dc === undefined) throw new Error('adBackend: start() first');
      const user = await createAdUser(dc, `${label}.${uniqueSuffix()}@adatum.labnet`);
      users.push(user);
      return user.upn;
    },
  };
}

/** PostgreSQL: one database per config, dropped in stop(). */
export function postgresBackend(): FarmBackend {
  let server: PgServer | undefined;
  const databases: string[] = [];
  return {
    name: 'postgres',
    startTimeoutMs: POSTGRES_START_TIMEOUT_MS,
    async start() {
      server = await startPostgres();
      process.stderr.write(`[hardening] PostgreSQL ${server.started} in ${server.startMs} ms\n`);
    },
    async stop() {
      if (server !== undefined) await dropDatabases(server, databases.splice(0));
      await releasePostgres();
    },
    async storeKeys() {
      if (server === undefined) throw new Error('postgresBackend: start() first');
      const db = await createDatabase(server, 'smfa_hardening');
      databases.push(db);
      return { auth_mode: 'POSTGRES', pg_connection_string: databaseUrl(server, db) };
    },
    newUser: async (label) => `${label}.${uniqueSuffix()}@contoso.test`,
  };
}
