/**
 * pg (and socket) errors → `StoreError` with the problem an operator must fix and how. Foreign
 * errors never escape the store unwrapped (STYLE B.5). PostgreSQL's messages name roles,
 * databases, tables and columns, never bound values or passwords, so they may be quoted.
 *
 * @see https://www.postgresql.org/docs/15/errcodes-appendix.html (SQLSTATE codes)
 * @module store
 */
import { SecureMfaError, type StoreError } from '../errors.js';
import { storeError, type StoreProblem } from './store-problem.js';

/** The SQLSTATEs this module names. */
export const PG_SQLSTATE = {
  invalidPassword: '28P01',
  invalidAuthorization: '28000',
  invalidCatalogName: '3D000',
  undefinedTable: '42P01',
  undefinedColumn: '42703',
  insufficientPrivilege: '42501',
  queryCanceled: '57014',
  adminShutdown: '57P01',
  crashShutdown: '57P02',
  cannotConnectNow: '57P03',
  tooManyConnections: '53300',
  readOnlyTransaction: '25006',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
]);

/** Where the failing operation ran, for messages. */
export interface PgErrorContext {
  /** `host:port/database as user` (never the password). */
  label: string;
  /** What was being done: `connect`, `migrate`, `accept a code`… */
  operation: string;
  /** The configured timeout, for the message. */
  timeoutMs: number;
  /** The login, for grant hints. */
  user?: string | undefined;
}

/**
 * Wrap what pg threw. SecureMFA errors pass through unchanged.
 *
 * @param err - the pg / socket error
 * @param ctx - where and what, for the message
 * @returns the error to throw, tagged with its {@link StoreProblem}
 */
export function pgError(err: unknown, ctx: PgErrorContext): SecureMfaError {
  if (err instanceof SecureMfaError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  const where = `PostgreSQL ${ctx.label}`;
  const fail = (
    problem: StoreProblem,
    message: string,
    hint: string,
    errCode: StoreError['code'] = 'ERR_STORE_UNAVAILABLE',
  ): StoreError => storeError(errCode, problem, message, { cause: err, hint });
  switch (code) {
    case PG_SQLSTATE.invalidPassword:
    case PG_SQLSTATE.invalidAuthorization:
      return fail(
        'auth_failed',
        `${where}: authentication failed (${detail})`,
        'check the user and password in pg_connection_string, and that pg_hba.conf lets this host in with password (scram-sha-256) authentication',
      );
    case PG_SQLSTATE.invalidCatalogName:
      return fail(
        'database_missing',
        `${where}: the database does not exist (${detail})`,
        'create it as a superuser (CREATE DATABASE securemfa OWNER <the SecureMFA user>), then run `securemfa-<provider> install` on the main node; see sql-scripts/README.md',
      );
    case PG_SQLSTATE.undefinedTable:
    case PG_SQLSTATE.undefinedColumn:
      return fail(
        'schema_old',
        `${where}: ${ctx.operation}: the SecureMFA tables are missing or old (${detail})`,
        'run `securemfa-<provider> install` on the main node to create or upgrade the schema (sql-scripts/postgres)',
        'ERR_STORE_SCHEMA',
      );
    case PG_SQLSTATE.insufficientPrivilege:
      return fail(
        'no_write_access',
        `${where}: ${ctx.operation}: permission denied (${detail})`,
        `as the owner of the tables: GRANT SELECT, INSERT, UPDATE, DELETE ON secrets, providers, nonces TO "${ctx.user ?? '<the SecureMFA user>'}"; GRANT SELECT ON schema_version TO "${ctx.user ?? '<the SecureMFA user>'}" (install on the main node also needs CREATE on the schema); see sql-scripts/README.md`,
      );
    case PG_SQLSTATE.readOnlyTransaction:
      return fail(
        'no_write_access',
        `${where}: ${ctx.operation}: the server is read-only (${detail})`,
        'point pg_connection_string at the primary server, not a standby',
      );
    case PG_SQLSTATE.queryCanceled:
      return fail(
        'timeout',
        `${where}: ${ctx.operation} took longer than ${ctx.timeoutMs} ms and was cancelled`,
        'the server is overloaded or a long transaction holds a lock on the SecureMFA tables; raise sql_timeout_ms only if the server is known to be slow',
      );
    case PG_SQLSTATE.tooManyConnections:
      return fail(
        'unreachable',
        `${where}: too many connections (${detail})`,
        'raise max_connections on the server, or lower the pool size of the provider nodes',
      );
    case PG_SQLSTATE.adminShutdown:
    case PG_SQLSTATE.crashShutdown:
    case PG_SQLSTATE.cannotConnectNow:
      return fail(
        'unreachable',
        `${where}: the server is shutting down or starting up (${detail})`,
        'retry in a moment; the pool reconnects by itself',
      );
    default:
      break;
  }
  if (SOCKET_CODES.has(code)) {
    return fail(
      'unreachable',
      `cannot reach ${where}: ${code}`,
      'check host and port in pg_connection_string, that the server runs and listens on TCP (listen_addresses) and that no firewall is in the way',
    );
  }
  if (/timeout|timed out/i.test(detail)) {
    return fail(
      'timeout',
      `${where}: ${ctx.operation} got no answer within ${ctx.timeoutMs} ms`,
      'check host and port in pg_connection_string and that the server answers (a firewall that drops packets looks like this)',
    );
  }
  if (/ssl|tls|certificate|self[- ]signed/i.test(detail) || code.startsWith('ERR_TLS')) {
    return fail(
      'tls',
      `${where}: TLS failed (${detail})`,
      'check sslmode and sslrootcert in pg_connection_string (sslrootcert: the CA that issued the server certificate)',
    );
  }
  if (/Connection terminated|connection.*(closed|ended)/i.test(detail)) {
    return fail(
      'unreachable',
      `${where}: the connection was closed (${detail})`,
      'check that the server is up; the pool reconnects on the next request',
    );
  }
  return fail(
    'other',
    `${where}: ${ctx.operation} failed (${code === '' ? detail : `${code} ${detail}`})`,
    'see the cause in the debug log and the PostgreSQL server log',
  );
}
