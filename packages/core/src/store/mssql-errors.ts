/**
 * Classify tedious errors — connection errors (`ESOCKET`, `ETIMEOUT`, `ELOGIN`,
 * `EINSTLOOKUP`), request errors and SQL Server error numbers — into what an operator must do.
 * SQL Server's messages name objects, never bound values.
 *
 * @see https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors
 * @module store
 */
import { SecureMfaError } from '../errors.js';
import {
  classifiedStoreError,
  errorCodeOf,
  errorMessageOf,
  type ClassifiedStoreError,
} from './store-problem.js';

/** Where the error happened. */
export interface MssqlErrorContext {
  /** `host,port/database as user` (never the password). */
  where: string;
  user?: string | undefined;
  database?: string | undefined;
}

function sqlNumber(err: unknown): number | undefined {
  const n = (err as { number?: unknown } | null | undefined)?.number;
  return typeof n === 'number' ? n : undefined;
}

/** tedious wraps the socket error: look through `cause` and `errors` for an errno. */
function innerCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e !== undefined && e !== null; i += 1) {
    const inner =
      (e as { cause?: unknown; errors?: unknown[] }).cause ??
      (e as { errors?: unknown[] }).errors?.[0];
    const code = errorCodeOf(inner);
    if (code !== undefined && /^E[A-Z]+$/.test(code) && code !== 'ESOCKET') return code;
    e = inner;
  }
  return undefined;
}

const GRANT_HINT = (user: string | undefined): string =>
  `no write access: add the login's database user to the role securemfa_service (ALTER ROLE securemfa_service ADD MEMBER ${user ?? '<user>'}; sql-scripts/mssql/create_database_SecureMfaOTP.sql), or GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo to it`;

/**
 * Classify an error thrown by tedious.
 *
 * @param err - what tedious threw
 * @param ctx - where and who
 * @returns problem, message and hint
 */
export function classifyMssqlError(err: unknown, ctx: MssqlErrorContext): ClassifiedStoreError {
  const code = errorCodeOf(err);
  const detail = errorMessageOf(err);
  const at = `SQL Server ${ctx.where}`;
  const number = sqlNumber(err);
  if (code === 'ELOGIN') {
    if (number === 4060 || /Cannot open database/i.test(detail)) {
      return {
        problem: 'database_missing',
        message: `${at}: the database does not exist or the login may not open it (${detail})`,
        hint: `database missing: run sql-scripts/mssql/create_database_SecureMfaOTP.sql as a sysadmin (it creates ${ctx.database ?? 'SecureMfaOTP'} and the database user), or check sqldbname`,
      };
    }
    return {
      problem: 'auth_failed',
      message: `${at} refused the login: ${detail}`,
      hint: 'auth failed: check sqluseraccount / sqluserpassword, and that the server allows SQL Server authentication (mixed mode)',
    };
  }
  if (code === 'EINSTLOOKUP') {
    return {
      problem: 'unreachable',
      message: `${at}: the named instance could not be looked up (${detail})`,
      hint: 'check the instance name in sqlserver, that the SQL Server Browser runs and UDP 1434 is open — or give the port instead: "host,port"',
    };
  }
  const isRequest = err instanceof Error && err.name === 'RequestError';
  if (code === 'ECANCEL' || (code === 'ETIMEOUT' && isRequest)) {
    return {
      problem: 'unreachable',
      message: `${at}: a request ran longer than sql_timeout_ms and was cancelled`,
      hint: 'the server is overloaded or a lock is held for long; raise sql_timeout_ms only if the server is known to be slow',
    };
  }
  if (code === 'ESOCKET' || code === 'ETIMEOUT' || code === 'ECLOSE') {
    if (/certificate|self[- ]signed|SSL|TLS|alert/i.test(detail)) {
      return {
        problem: 'unreachable',
        message: `${at}: TLS failed (${detail})`,
        hint: 'set sql_tls_ca_file to the CA of the server certificate (or, for a test server with a self-signed certificate only, sql_trust_server_certificate true)',
      };
    }
    const inner = innerCode(err);
    const instance = /\\[^,/\s]+\//.exec(ctx.where) !== null;
    if (instance) {
      return {
        problem: 'unreachable',
        message: `cannot reach ${at}: ${inner ?? code}${code === 'ETIMEOUT' ? ' (timed out)' : ''}`,
        hint: 'a named instance is found through the SQL Server Browser (UDP 1434): check the instance name, that the Browser service runs and UDP 1434 is open — or give the port instead: "host,port"',
      };
    }
    return {
      problem: 'unreachable',
      message: `cannot reach ${at}: ${inner ?? code}${code === 'ETIMEOUT' ? ' (timed out)' : ''}`,
      hint: 'check host and port in sqlserver ("host,port"), that SQL Server accepts TCP connections (SQL Server Configuration Manager) and the firewall; sql_timeout_ms bounds the wait',
    };
  }
  switch (number) {
    case 208:
    case 207:
      return {
        problem: 'schema_old',
        message: `${at}: the SecureMFA tables are missing or older than this code (${detail})`,
        hint: 'run `securemfa-<provider> install` on the main node (or apply sql-scripts/mssql/0001…, 0002… with sqlcmd)',
      };
    case 229:
    case 230:
    case 262:
    case 3906:
      return {
        problem: 'no_write_access',
        message: `${at}: permission denied (${detail})`,
        hint: GRANT_HINT(ctx.user),
      };
    case 1205:
      return {
        problem: 'conflict',
        message: `${at}: chosen as a deadlock victim`,
        hint: 'retry; if it persists, look for a process holding locks on dbo.secrets',
      };
    case 8152:
    case 2628:
      return {
        problem: 'other',
        message: `${at}: a value is longer than its column allows (${detail})`,
        hint: 'UPNs are limited to 256 characters, user agents to 512 (sql-scripts/mssql/0001_create_database.sql)',
      };
    default:
      return {
        problem: 'other',
        message: `${at} failed${number === undefined ? '' : ` (error ${number})`}: ${detail}`,
        hint: 'see the cause in the debug log',
      };
  }
}

/**
 * Wrap a tedious error as a `StoreError` (SecureMFA errors pass through unchanged).
 *
 * @param err - what was thrown
 * @param ctx - where and who
 * @returns the error to throw
 */
export function mssqlStoreError(err: unknown, ctx: MssqlErrorContext): SecureMfaError {
  if (err instanceof SecureMfaError) return err;
  return classifiedStoreError(classifyMssqlError(err, ctx), err);
}
