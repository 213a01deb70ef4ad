// The stores a farm of the hardening suites runs on, each a real server or file: a SQLite file,
// a database of its own on the throwaway PostgreSQL of tools/testenv/postgres.sh, the Samba AD DC
// of tools/testenv/samba-dc.sh (users created as AD user objects). Both scripts hand out leases,
// so these suites share the servers with every other suite; a server that cannot start FAILS the
// suite (never a skip).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  createAdUser,
  deleteAdUsers,
  releaseSambaDc,
  startSambaDc,
  type AdTestUser,
  type SambaDc,
} from '../api-otp/helpers/samba-dc.js';

/** A store kind the suites run a farm on. */
export interface FarmBackend {
  readonly name: 'sqlite' | 'postgres' | 'ad';
  /** Start (or lease) the server; throws loudly when it cannot. */
  start(): Promise<void>;
  /** Release what start() took and delete what the suite created. */
  stop(): Promise<void>;
  /** The store keys of a provider config (a fresh database/file per call). */
  storeKeys(dir: string): Promise<Record<string, string>>;
  /** A UPN that may sign in (in AD: a user object created now). */
  newUser(label: string): Promise<string>;
}

const tag = (): string => randomUUID().replace(/-/g, '').slice(0, 10);

/** A SQLite file in the suite's folder. */
export function sqliteBackend(): FarmBackend {
  return {
    name: 'sqlite',
    async start() {},
    async stop() {},
    async storeKeys(dir) {
      return { auth_mode: 'SQLITE', sqlite_path: join(dir, `farm-${tag()}.db`) };
    },
    newUser: async (label) => `${label}.${tag()}@contoso.test`,
  };
}

/** The Samba AD DC: users are created under CN=Users with unique UPNs. */
export function adBackend(): FarmBackend {
  let dc: SambaDc | undefined;
  const users: AdTestUser[] = [];
  return {
    name: 'ad',
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
      const user = await createAdUser(dc, `${label}.${tag()}@adatum.labnet`);
      users.push(user);
      return user.upn;
    },
  };
}

/** Connection facts of the throwaway PostgreSQL server. */
export interface PgServer {
  url: string;
  started: string;
  startMs: number;
}

const PG_SCRIPT = fileURLToPath(new URL('../../tools/testenv/postgres.sh', import.meta.url));

function runPgScript(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      PG_SCRIPT,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null) {
          reject(new Error(`${PG_SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        } else resolve(stdout);
      },
    );
  });
}

async function adminSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** PostgreSQL: one database per config, dropped in stop(). */
export function postgresBackend(): FarmBackend {
  let lease: string | undefined;
  let server: PgServer | undefined;
  const databases: string[] = [];
  return {
    name: 'postgres',
    async start() {
      lease = `${process.pid}-hardening${tag().slice(0, 6)}`;
      const out = await runPgScript(['start', '--lease', lease], 240_000);
      const env = new Map(
        out
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      const url = env.get('PG_TEST_URL');
      if (url === undefined) throw new Error(`postgres.sh printed no PG_TEST_URL:\n${out}`);
      server = {
        url,
        started: env.get('PG_TEST_STARTED') ?? 'unknown',
        startMs: Number(env.get('PG_TEST_START_MS') ?? 'NaN'),
      };
      process.stderr.write(`[hardening] PostgreSQL ${server.started} in ${server.startMs} ms\n`);
    },
    async stop() {
      if (server !== undefined) {
        for (const db of databases.splice(0)) {
          await adminSql(server.url, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(
            () => undefined,
          );
        }
      }
      if (lease !== undefined) {
        const id = lease;
        lease = undefined;
        await runPgScript(['release', id], 60_000);
      }
    },
    async storeKeys() {
      if (server === undefined) throw new Error('postgresBackend: start() first');
      const db = `smfa_hardening_${tag()}`;
      await adminSql(server.url, `CREATE DATABASE ${db}`);
      databases.push(db);
      const u = new URL(server.url);
      u.pathname = `/${db}`;
      return { auth_mode: 'POSTGRES', pg_connection_string: u.toString() };
    },
    newUser: async (label) => `${label}.${tag()}@contoso.test`,
  };
}
