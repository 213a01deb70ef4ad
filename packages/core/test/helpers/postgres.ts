/**
 * Test helper: the throwaway PostgreSQL server of tools/testenv/postgres.sh, shared by every test
 * file through leases (the server stops when the last holder releases). Each test gets its own
 * database (and roles), so tests never see each other's data.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Connection facts of the running server (from the script's env block). */
export interface PgServer {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  /** Admin URL of the `postgres` database. */
  url: string;
  /** How it came up: `cold` (initdb + start) or `running` (reused). */
  started: string;
  /** Milliseconds the start took. */
  startMs: number;
}

const SCRIPT = fileURLToPath(new URL('../../../../tools/testenv/postgres.sh', import.meta.url));

function runScript(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      SCRIPT,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null) {
          reject(new Error(`${SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

let lease: string | undefined;

/**
 * Start (or reuse) the server and take a lease on it. Fails loudly (with the script's reason)
 * when it cannot start: a suite that needs PostgreSQL never skips.
 *
 * @returns its connection facts
 */
export async function startPostgres(): Promise<PgServer> {
  lease ??= `${process.pid}-core${randomUUID().slice(0, 8)}`;
  const out = await runScript(['start', '--lease', lease], 240_000);
  const env = new Map<string, string>();
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env.set(line.slice(0, i), line.slice(i + 1));
  }
  const get = (k: string): string => {
    const v = env.get(k);
    if (v === undefined) throw new Error(`postgres.sh printed no ${k}`);
    return v;
  };
  return {
    host: get('PG_TEST_HOST'),
    port: Number(get('PG_TEST_PORT')),
    adminUser: get('PG_TEST_ADMIN_USER'),
    adminPassword: get('PG_TEST_ADMIN_PASSWORD'),
    url: get('PG_TEST_URL'),
    started: get('PG_TEST_STARTED'),
    startMs: Number(get('PG_TEST_START_MS')),
  };
}

/** Release this process's lease. */
export async function releasePostgres(): Promise<void> {
  if (lease === undefined) return;
  const id = lease;
  lease = undefined;
  await runScript(['release', id], 60_000);
}

/**
 * Run SQL as the admin, on the `postgres` database or another one.
 *
 * @returns the rows (objects)
 */
export async function adminQuery(
  server: PgServer,
  sql: string,
  database = 'postgres',
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({
    connectionString: databaseUrl(server, database),
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    const r = await client.query(sql);
    const results = Array.isArray(r) ? r : [r];
    return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * The URL of a database on the server, as the admin or another role.
 *
 * @param server - the server
 * @param database - the database name
 * @param login - another role and its password (default: the admin)
 */
export function databaseUrl(
  server: PgServer,
  database: string,
  login?: { user: string; password: string },
): string {
  const u = new URL(server.url);
  u.pathname = `/${database}`;
  if (login !== undefined) {
    u.username = encodeURIComponent(login.user);
    u.password = encodeURIComponent(login.password);
  }
  return u.toString();
}

/** A short unique name part. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/**
 * Create an empty database owned by the admin.
 *
 * @returns its name
 */
export async function createDatabase(server: PgServer, prefix = 'smfa_core'): Promise<string> {
  const name = uniqueName(prefix);
  await adminQuery(server, `CREATE DATABASE ${name}`);
  return name;
}

/** Drop databases (and with them every connection to them) and roles; missing ones are fine. */
export async function dropDatabases(
  server: PgServer,
  databases: readonly string[],
  roles: readonly string[] = [],
): Promise<void> {
  for (const db of databases) {
    await adminQuery(server, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
  }
  for (const role of roles) {
    await adminQuery(server, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  }
}
