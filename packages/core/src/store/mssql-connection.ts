/**
 * The seeds' SQL Server settings (`sqlserver`, `sqldbname`, `sqlintegratedsecurity`,
 * `sqluseraccount`, `sqluserpassword`) plus this project's `sql_*` TLS keys → a tedious
 * connection configuration.
 *
 * `sqlserver` is written as the originals' connection strings write a data source:
 * `host`, `host,port` (seed sample: `asqlaol1.adatum.labnet,1433`), `host\instance` (a named
 * instance: its port is asked from the SQL Server Browser on UDP 1434), optionally with a `tcp:`
 * prefix; `host\instance,port` uses the port (as sqlcmd does).
 *
 * @module store
 */
import { readFileSync } from 'node:fs';
import type { ConnectionConfiguration } from 'tedious';
import { storeError } from './store-problem.js';

/** Where `sqlserver` points. */
export interface SqlServerAddress {
  host: string;
  /** The TCP port (given, or 1433 when neither port nor instance is given). */
  port: number | undefined;
  /** A named instance (resolved through the SQL Server Browser), when no port is given. */
  instanceName: string | undefined;
}

/**
 * Parse `sqlserver`.
 *
 * @param value - `host`, `host,port`, `host\instance`, `host\instance,port`, optionally `tcp:…`
 * @returns host and port or instance
 * @throws {TypeError} naming what is expected
 * @example
 * ```ts
 * parseSqlServer('asqlaol1.adatum.labnet,1433'); // { host: 'asqlaol1.adatum.labnet', port: 1433, instanceName: undefined }
 * parseSqlServer('sql1\\OTP');                   // { host: 'sql1', port: undefined, instanceName: 'OTP' }
 * ```
 */
export function parseSqlServer(value: string): SqlServerAddress {
  const expects =
    '"sqlserver" must be "host", "host,port" or "host\\instance" (in JSON "host\\\\instance")';
  if (typeof value !== 'string') throw new TypeError(expects);
  const s = value.trim().replace(/^tcp:/i, '');
  const m = /^([^,\\\s]+)(?:\\([A-Za-z0-9_$#-]{1,16}))?(?:,\s*(\d{1,5}))?$/.exec(s);
  if (m === null) throw new TypeError(`${expects}, got ${JSON.stringify(value)}`);
  let host = m[1]!;
  if (host === '.' || host.toLowerCase() === '(local)') host = 'localhost';
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) {
    throw new TypeError(`"sqlserver" port must be 1–65535, got ${m[3]}`);
  }
  const instanceName = port === undefined ? m[2] : undefined;
  return { host, port: port ?? (instanceName === undefined ? 1433 : undefined), instanceName };
}

/** Options of {@link mssqlConnectionConfig} (the store options, see mssql.ts). */
export interface MssqlConnectionOptions {
  server: string;
  database: string;
  integratedSecurity?: boolean | undefined;
  user?: string | undefined;
  password?: string | undefined;
  timeoutMs: number;
  /** Encrypt the connection (TLS; default true). */
  encrypt?: boolean | undefined;
  /** Accept any server certificate (self-signed test servers only; default false). */
  trustServerCertificate?: boolean | undefined;
  /** PEM file of the CA that issued the server certificate. */
  tlsCaFile?: string | undefined;
}

/**
 * The tedious configuration and a password-free label.
 *
 * @param o - the options
 * @returns config for `new Connection(…)` and `host,port/database as user`
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` for integrated security (Windows-only), a missing
 *   SQL login, or an unreadable CA file
 * @throws {TypeError} for a malformed `sqlserver`
 */
export function mssqlConnectionConfig(o: MssqlConnectionOptions): {
  config: ConnectionConfiguration;
  label: string;
  address: SqlServerAddress;
} {
  if (o.integratedSecurity === true) {
    throw storeError(
      'ERR_STORE_UNAVAILABLE',
      'not_supported',
      'sqlintegratedsecurity is true: Windows integrated security is Windows-only (the original .NET providers used the ADFS service account through Windows SSPI) and is not available to this Node provider',
      {
        hint: 'set "sqlintegratedsecurity": "false" and put a SQL login in sqluseraccount / sqluserpassword (sql-scripts/mssql/create_database_SecureMfaOTP.sql creates one)',
      },
    );
  }
  const address = parseSqlServer(o.server);
  if (typeof o.database !== 'string' || o.database.trim() === '') {
    throw new TypeError('"database" (sqldbname) must be a non-empty string');
  }
  if (o.user === undefined || o.user === '' || o.password === undefined || o.password === '') {
    throw storeError(
      'ERR_STORE_UNAVAILABLE',
      'auth_failed',
      'auth_mode SQL needs a SQL login: sqluseraccount and sqluserpassword are empty',
      {
        hint: 'set sqluseraccount and sqluserpassword (a SQL Server login with access to the database)',
      },
    );
  }
  let ca: string | undefined;
  if (o.tlsCaFile !== undefined && o.tlsCaFile !== '') {
    try {
      ca = readFileSync(o.tlsCaFile, 'utf8');
    } catch (err) {
      throw storeError(
        'ERR_STORE_UNAVAILABLE',
        'tls',
        `cannot read sql_tls_ca_file ${o.tlsCaFile}`,
        {
          cause: err,
          hint: 'check the path of sql_tls_ca_file (a PEM file with the CA certificate)',
        },
      );
    }
  }
  const where = `${address.host}${address.port === undefined ? `\\${address.instanceName ?? ''}` : `,${address.port}`}`;
  const config: ConnectionConfiguration = {
    server: address.host,
    authentication: { type: 'default', options: { userName: o.user, password: o.password } },
    options: {
      ...(address.port === undefined
        ? { instanceName: address.instanceName }
        : { port: address.port }),
      database: o.database,
      encrypt: o.encrypt !== false,
      trustServerCertificate: o.trustServerCertificate === true,
      ...(ca === undefined ? {} : { cryptoCredentialsDetails: { ca } }),
      connectTimeout: o.timeoutMs,
      requestTimeout: o.timeoutMs,
      cancelTimeout: Math.min(o.timeoutMs, 5000),
      rowCollectionOnRequestCompletion: true,
      useUTC: true,
      maxRetriesOnTransientErrors: 0,
      appName: 'securemfa',
      // Errors, not warnings: a truncated UPN must not be stored silently.
      enableAnsiWarnings: true,
      abortTransactionOnError: true,
    },
  };
  return { config, label: `${where}/${o.database} as ${o.user}`, address };
}
