/**
 * Test helper: the throwaway PostgreSQL server of tools/testenv/postgres.sh (leases, so test files
 * of every package share one server). Each configuration gets a database of its own.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** Connection facts of the running server. */
export interface PgServer {
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  /** Admin URL of the `postgres` database. */
  url: string;
  started: string;
  startMs: number;
}

const SCRIPT = fileURLToPath(new URL('../../../testenv/postgres.sh', import.meta.url));

function run(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      SCRIPT,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err !== null)
          reject(new Error(`${SCRIPT} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

let lease: string | undefined;

/** Start (or reuse) the server and take a lease. */
export async function startPostgres(): Promise<PgServer> {
  lease ??= `${process.pid}-tools${randomUUID().slice(0, 8)}`;
  const out = await run(['start', '--lease', lease], 240_000);
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
    started: env.get('PG_TEST_STARTED') ?? 'unknown',
    startMs: Number(env.get('PG_TEST_START_MS') ?? 'NaN'),
  };
}

/** Release the lease (the server stops when the last holder leaves). */
export async function releasePostgres(): Promise<void> {
  if (lease === undefined) return;
  const id = lease;
  lease = undefined;
  await run(['release', id], 60_000);
}

/** Run SQL as the admin on the `postgres` database. */
export async function adminSql(server: PgServer, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The URL of a database on the server, as the admin. */
export function databaseUrl(server: PgServer, database: string): string {
  const u = new URL(server.url);
  u.pathname = `/${database}`;
  return u.toString();
}
