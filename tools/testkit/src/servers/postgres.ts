/**
 * The throwaway PostgreSQL server of tools/testenv/postgres.sh on 127.0.0.1, shared by the test
 * files of every package through leases: each file calls {@link startPostgres} in `beforeAll`
 * and {@link releasePostgres} in `afterAll`; the server stops (and is deleted) when the last
 * lease holder leaves. Each test makes databases (and roles) of its own, so tests never see each
 * other's data.
 *
 * When the server cannot start, {@link startPostgres} rejects with the script's reason: suites
 * fail, never skip.
 *
 * @example
 * ```ts
 * let server: PgServer;
 * const databases: string[] = [];
 * beforeAll(async () => {
 *   server = await startPostgres();
 *   databases.push(await createDatabase(server, 'smfa_core'));
 * }, 300_000);
 * afterAll(async () => {
 *   if (server !== undefined) await dropDatabases(server, databases);
 *   await releasePostgres();
 * });
 * ```
 *
 * @module testkit/servers/postgres
 */
import pg from 'pg';
import { createTestenvLease } from './testenv-lease.js';
import { uniqueName } from './unique-name.js';

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

/**
 * Longest {@link startPostgres} waits: initdb + start, with room for a busy machine. A
 * `beforeAll` that starts the server needs a timeout above this.
 */
export const POSTGRES_START_TIMEOUT_MS = 240_000;

const lease = createTestenvLease('postgres.sh');

/**
 * Start (or reuse) the server and take this test file's lease on it (a second call reuses the
 * lease).
 *
 * @returns its connection facts
 * @throws Error with the script's reason when the server cannot start
 */
export async function startPostgres(): Promise<PgServer> {
  const env = await lease.start([], POSTGRES_START_TIMEOUT_MS);
  return {
    host: env.get('PG_TEST_HOST'),
    port: Number(env.get('PG_TEST_PORT')),
    adminUser: env.get('PG_TEST_ADMIN_USER'),
    adminPassword: env.get('PG_TEST_ADMIN_PASSWORD'),
    url: env.get('PG_TEST_URL'),
    started: env.get('PG_TEST_STARTED'),
    startMs: Number(env.get('PG_TEST_START_MS')),
  };
}

/** Release this test file's lease (the server stops when no lease remains). */
export async function releasePostgres(): Promise<void> {
  await lease.release();
}

/**
 * The URL of a database on the server, as the admin or as another role.
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

/**
 * Run SQL (one statement or several) as the admin, on the `postgres` database or another one.
 *
 * @param server - the server
 * @param sql - the SQL text
 * @param database - where (default `postgres`)
 * @returns the rows of the last statement
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
 * Create an empty database owned by the admin, named {@link uniqueName}(`prefix`).
 *
 * @param server - the server
 * @param prefix - the name's start (a plain lower-case identifier)
 * @returns its name (drop it with {@link dropDatabases})
 */
export async function createDatabase(server: PgServer, prefix = 'smfa_test'): Promise<string> {
  const name = uniqueName(prefix);
  await adminQuery(server, `CREATE DATABASE ${name}`);
  return name;
}

/**
 * Drop databases (and with them every connection to them), then roles; missing ones are fine.
 *
 * @param server - the server
 * @param databases - database names
 * @param roles - role names
 */
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
