/**
 * Test helper: the Microsoft SQL Server the live MS SQL suite runs against. None can run on the
 * project's Linux CI machines (no SQL Server package in Debian, no containers), so the suite runs
 * only when a developer points it at one:
 *
 * ```sh
 * SECUREMFA_TEST_MSSQL='127.0.0.1,1433'          # the sqlserver value: "host,port" or "host\instance"
 * SECUREMFA_TEST_MSSQL_USER=sa                   # a login that may CREATE DATABASE (default sa)
 * SECUREMFA_TEST_MSSQL_PASSWORD='…'              # its password (required)
 * SECUREMFA_TEST_MSSQL_TRUST_CERT=true           # accept a self-signed certificate (default true)
 * ```
 *
 * e.g. with `docker run -e ACCEPT_EULA=Y -e MSSQL_SA_PASSWORD='…' -p 1433:1433
 * mcr.microsoft.com/mssql/server:2022-latest`. Each run creates its own databases and drops them.
 */
import { randomUUID } from 'node:crypto';
import { Connection, Request } from 'tedious';
import { mssqlConnectionConfig } from '../../src/store/mssql-connection.js';

/** The live server settings, or undefined when SECUREMFA_TEST_MSSQL is not set. */
export interface MssqlTestServer {
  server: string;
  user: string;
  password: string;
  trustServerCertificate: boolean;
}

/**
 * Read the live server settings from the environment.
 *
 * @returns the settings, or undefined when the suite must be skipped
 * @throws {Error} when SECUREMFA_TEST_MSSQL is set but the password is not
 */
export function mssqlTestServer(
  env: Readonly<Record<string, string | undefined>> = process.env,
): MssqlTestServer | undefined {
  const server = env.SECUREMFA_TEST_MSSQL;
  if (server === undefined || server.trim() === '') return undefined;
  const password = env.SECUREMFA_TEST_MSSQL_PASSWORD;
  if (password === undefined || password === '') {
    throw new Error('SECUREMFA_TEST_MSSQL is set: set SECUREMFA_TEST_MSSQL_PASSWORD too');
  }
  return {
    server: server.trim(),
    user: env.SECUREMFA_TEST_MSSQL_USER ?? 'sa',
    password,
    trustServerCertificate: (env.SECUREMFA_TEST_MSSQL_TRUST_CERT ?? 'true') !== 'false',
  };
}

/**
 * Run one batch as the admin login and return the rows (arrays of column values).
 *
 * @param s - the server settings
 * @param sql - a batch (no GO)
 * @param database - the database to run it in (default master)
 */
export async function mssqlAdmin(
  s: MssqlTestServer,
  sql: string,
  database = 'master',
): Promise<unknown[][]> {
  const { config } = mssqlConnectionConfig({
    server: s.server,
    database,
    user: s.user,
    password: s.password,
    timeoutMs: 15_000,
    trustServerCertificate: s.trustServerCertificate,
  });
  const connection = new Connection(config);
  await new Promise<void>((resolve, reject) =>
    connection.connect((err) => (err ? reject(err) : resolve())),
  );
  try {
    return await new Promise<unknown[][]>((resolve, reject) => {
      const request = new Request(sql, (err, _count, rows) => {
        if (err) reject(err);
        else resolve(((rows ?? []) as { value: unknown }[][]).map((r) => r.map((c) => c.value)));
      });
      connection.execSqlBatch(request);
    });
  } finally {
    connection.close();
  }
}

/** A unique database name for this run. */
export function uniqueDatabase(prefix = 'smfa_test'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Drop test databases (closing every connection to them); missing ones are fine. */
export async function dropMssqlDatabases(
  s: MssqlTestServer,
  names: readonly string[],
): Promise<void> {
  for (const n of names) {
    await mssqlAdmin(
      s,
      `IF DB_ID(N'${n}') IS NOT NULL BEGIN ALTER DATABASE [${n}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${n}]; END`,
    ).catch(() => undefined);
  }
}
