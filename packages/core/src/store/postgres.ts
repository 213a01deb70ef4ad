/**
 * The PostgreSQL store (`auth_mode: POSTGRES`): the shared SQL store over a pg connection pool.
 *
 * - one `pg.Pool` per store (default 10 connections), so concurrent requests of one node run on
 *   separate connections, and every node of a farm has its own pool on the same database;
 * - every statement is a named prepared statement: parsed and planned once per connection, then
 *   only bound and executed; rows come back as arrays (`rowMode: 'array'`), no object per row;
 * - farm correctness comes from the statements (statements.ts): the accept and the failure are
 *   each ONE conditional `UPDATE … RETURNING`. Under READ COMMITTED a second UPDATE of the same
 *   row waits for the first to commit and then re-checks its WHERE clause against the new row
 *   (PostgreSQL's EvalPlanQual), so of N concurrent accepts of one step exactly one matches, and
 *   N concurrent `failedlogoncount + 1` add exactly N;
 * - bounded time: `sql_timeout_ms` is the connect timeout, the server-side `statement_timeout`
 *   and (plus one second) the client-side query timeout, so a dead or silent server fails
 *   within it;
 * - migrations (`sql-scripts/postgres`) run in ONE transaction under a transaction-scoped
 *   advisory lock: two installers at once serialise, the second finds nothing to do, and a
 *   failing script leaves the database as it was (PostgreSQL DDL is transactional).
 *
 * @module store
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { PoolClient, PoolConfig } from 'pg';
import { SecureMfaError } from '../errors.js';
import { resolvePgConnection } from './postgres-connection.js';
import { pgError } from './postgres-errors.js';
import { postgresDialect } from './sql/dialect.js';
import {
  applyPendingMigrations,
  listMigrations,
  planMigrations,
  schemaBehindError,
  sqlScriptsDir,
  type Migration,
} from './sql/migrations.js';
import { compilePlaceholders } from './sql/placeholders.js';
import type { SqlRow } from './sql/rows.js';
import { SqlUserStore, type SqlExecutor, type SqlStatement } from './sql/sql-user-store.js';
import { buildMigrationStatements } from './sql/statements.js';
import { storeError } from './store-problem.js';
import type { InspectableStore, StoreInspection } from './store-inspection.js';

/** Default connect / statement timeout, in ms (config `sql_timeout_ms`). */
export const DEFAULT_PG_TIMEOUT_MS = 5000;

/** Default connections per store. */
export const DEFAULT_PG_POOL_SIZE = 10;

/** Bound of one migration script (and of the wait for another installer's lock), in ms. */
const MIGRATION_TIMEOUT_MS = 600_000;

/** The advisory lock key migrations hold ("SMFA" + 1). */
const MIGRATION_LOCK_KEY = 0x534d4641_01;

/** Tables the provider reads and writes at run time, with what it does to each. */
const RUNTIME_PRIVILEGES: readonly (readonly [string, readonly string[]])[] = [
  ['secrets', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['providers', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['nonces', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['schema_version', ['SELECT']],
];

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /** `pg_connection_string`: a postgres:// URL or keyword/value pairs (holds a password). */
  connectionString: string;
  /** Connect and statement timeout in ms (config `sql_timeout_ms`, default 5000). */
  timeoutMs?: number | undefined;
  /** Connections in the pool (default 10). */
  poolSize?: number | undefined;
  /**
   * Apply pending migrations on open (default false: `install` does that on the main node; the
   * other nodes and `serve` only check that the schema is current).
   */
  migrate?: boolean | undefined;
  /** The `sql-scripts` folder (default: {@link sqlScriptsDir}). */
  scriptsDir?: string | undefined;
  /** `application_name` shown in pg_stat_activity (default `securemfa`). */
  applicationName?: string | undefined;
}

interface PgContext {
  label: string;
  timeoutMs: number;
  user?: string | undefined;
}

/** One named prepared statement, run on whichever pooled connection is free. */
class PgPrepared implements SqlStatement {
  private readonly name: string;
  private readonly text: string;

  constructor(
    private readonly owner: PgExecutor,
    sql: string,
  ) {
    this.text = compilePlaceholders(sql, 'dollar').text;
    // The name is derived from the text, so two stores on one pool can never disagree on it.
    this.name = `smfa_${createHash('sha256').update(this.text).digest('hex').slice(0, 24)}`;
  }

  private async query(args: readonly unknown[]): Promise<{ rows: SqlRow[]; rowCount: number }> {
    try {
      const r = await this.owner.pool.query({
        name: this.name,
        text: this.text,
        values: args as unknown[],
        rowMode: 'array',
      });
      return { rows: r.rows as SqlRow[], rowCount: r.rowCount ?? 0 };
    } catch (err) {
      throw this.owner.error(err, 'query');
    }
  }

  async one(args: readonly unknown[]): Promise<SqlRow | undefined> {
    return (await this.query(args)).rows[0];
  }

  async all(args: readonly unknown[]): Promise<SqlRow[]> {
    return (await this.query(args)).rows;
  }

  async run(args: readonly unknown[]): Promise<number> {
    return (await this.query(args)).rowCount;
  }
}

/** The pool behind a {@link PostgresStore}. */
class PgExecutor implements SqlExecutor {
  constructor(
    readonly pool: pg.Pool,
    readonly ctx: PgContext,
  ) {}

  error(err: unknown, operation: string): SecureMfaError {
    return pgError(err, { ...this.ctx, operation });
  }

  prepare(sql: string): SqlStatement {
    return new PgPrepared(this, sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

type Queryable = pg.Pool | PoolClient;

/** The applied schema version (0 without `schema_version`). */
async function currentVersion(db: Queryable): Promise<number> {
  const q = buildMigrationStatements(postgresDialect);
  const exists = await db.query(q.tableExists, ['schema_version']);
  if (exists.rowCount === 0) return 0;
  const r = await db.query({ text: q.schemaVersion, rowMode: 'array' });
  return Number((r.rows[0] as unknown[] | undefined)?.[0] ?? 0);
}

/** Apply the pending migrations in one transaction under the migration lock. */
async function applyMigrations(
  pool: pg.Pool,
  migrations: readonly Migration[],
  label: string,
): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    try {
      // A migration may take longer than an ordinary statement (an upgrade of a large table),
      // and the lock waits for another installer: both get their own, longer bound.
      await client.query(`SET LOCAL statement_timeout = ${MIGRATION_TIMEOUT_MS}`);
      await client.query({
        text: 'SELECT pg_advisory_xact_lock($1)',
        values: [MIGRATION_LOCK_KEY],
        query_timeout: MIGRATION_TIMEOUT_MS + 1000,
      } as pg.QueryConfig);
      const applied = await applyPendingMigrations(
        {
          version: () => currentVersion(client),
          apply: async (m) => {
            await client.query({
              text: m.sql,
              query_timeout: MIGRATION_TIMEOUT_MS + 1000,
            } as pg.QueryConfig);
          },
        },
        migrations,
        `PostgreSQL ${label}`,
      );
      await client.query('COMMIT');
      return applied;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    client.release();
  }
}

function checkOptions(options: PostgresStoreOptions): { timeoutMs: number; poolSize: number } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('PostgreSQL store options must be an object');
  }
  if (typeof options.connectionString !== 'string') {
    throw new TypeError('"connectionString" must be a string (config pg_connection_string)');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_PG_TIMEOUT_MS;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1) {
    throw new TypeError(`"timeoutMs" must be a positive integer, got ${String(timeoutMs)}`);
  }
  const poolSize = options.poolSize ?? DEFAULT_PG_POOL_SIZE;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1 || poolSize > 1000) {
    throw new TypeError(`"poolSize" must be an integer 1–1000, got ${String(poolSize)}`);
  }
  return { timeoutMs, poolSize };
}

/** Reject when `signal` aborts first. */
function raceSignal<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  label: string,
): Promise<T> {
  if (signal === undefined) return work;
  const aborted = (): SecureMfaError =>
    storeError(
      'ERR_STORE_UNAVAILABLE',
      'timeout',
      `PostgreSQL ${label}: no answer before the deadline`,
      {
        hint: 'check that the server is up and reachable from this host',
      },
    );
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The PostgreSQL store: the shared SQL store plus migrations and a self-check. Open it with
 * {@link openPostgresStore}.
 */
export class PostgresStore extends SqlUserStore implements InspectableStore {
  private readonly pool: pg.Pool;
  private readonly ctx: PgContext;
  private readonly scriptsDir: string | undefined;

  private constructor(executor: PgExecutor, scriptsDir: string | undefined) {
    super(executor, postgresDialect, 'postgres', executor.ctx.label);
    this.pool = executor.pool;
    this.ctx = executor.ctx;
    this.scriptsDir = scriptsDir;
  }

  /**
   * Open a PostgreSQL store; same as {@link openPostgresStore}.
   *
   * @param options - connection string, timeout, pool size, migrate
   * @returns the open store (its pool connected once)
   * @throws {TypeError} when an option is malformed
   * @throws {StoreError} see {@link openPostgresStore}
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const { timeoutMs, poolSize } = checkOptions(options);
    const settings = resolvePgConnection(options.connectionString);
    const ctx: PgContext = { label: settings.label, timeoutMs, user: settings.user };
    const config: PoolConfig = {
      connectionTimeoutMillis: timeoutMs,
      ...settings.pool,
      max: poolSize,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs + 1000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      allowExitOnIdle: true,
      application_name: options.applicationName ?? 'securemfa',
    };
    const pool = new pg.Pool(config);
    // An idle connection the server drops (restart, failover) emits 'error' on the pool; without
    // a listener that would crash the process. The pool replaces the connection by itself.
    pool.on('error', () => undefined);
    const migrate = options.migrate === true;
    try {
      const migrations = listMigrations('postgres', options.scriptsDir ?? sqlScriptsDir());
      if (migrate) {
        await applyMigrations(pool, migrations, settings.label);
      } else {
        const current = await currentVersion(pool);
        if (planMigrations(current, migrations, settings.label).length > 0) {
          throw schemaBehindError(current, migrations.length, `PostgreSQL ${settings.label}`);
        }
      }
      return new PostgresStore(new PgExecutor(pool, ctx), options.scriptsDir);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw pgError(err, { ...ctx, operation: migrate ? 'migrate the schema' : 'open' });
    }
  }

  /**
   * The migration scripts this code knows.
   *
   * @returns `sql-scripts/postgres/*.sql`, in version order
   */
  availableMigrations(): Migration[] {
    return listMigrations('postgres', this.scriptsDir ?? sqlScriptsDir());
  }

  /**
   * The applied schema version.
   *
   * @returns the highest version recorded in `schema_version`
   * @throws {StoreError} when the server cannot be reached
   */
  async schemaVersion(): Promise<number> {
    this.check();
    try {
      return await currentVersion(this.pool);
    } catch (err) {
      throw pgError(err, { ...this.ctx, operation: 'read the schema version' });
    }
  }

  /**
   * Apply pending migrations (idempotent; `install` runs it on the main node).
   *
   * @returns the versions applied now (empty when up to date)
   * @throws {StoreError} ERR_STORE_SCHEMA when the database is newer than this code
   */
  async migrate(): Promise<number[]> {
    this.check();
    try {
      return await applyMigrations(this.pool, this.availableMigrations(), this.ctx.label);
    } catch (err) {
      throw pgError(err, { ...this.ctx, operation: 'migrate the schema' });
    }
  }

  override async ping(signal?: AbortSignal): Promise<void> {
    this.check();
    await raceSignal(super.ping(signal), signal, this.ctx.label);
  }

  /**
   * Schema version and the run-time privileges of the connected role (changes nothing).
   *
   * @returns the inspection
   * @throws {StoreError} when the server cannot be reached
   */
  async inspect(signal?: AbortSignal): Promise<StoreInspection> {
    this.check();
    const work = async (): Promise<StoreInspection> => {
      const current = await currentVersion(this.pool);
      const pairs = RUNTIME_PRIVILEGES.flatMap(([t, ps]) => ps.map((p) => `('${t}', '${p}')`));
      const r = await this.pool.query({
        text:
          `SELECT v.t, v.p FROM (VALUES ${pairs.join(', ')}) AS v(t, p) ` +
          'WHERE to_regclass(v.t) IS NOT NULL AND NOT has_table_privilege(to_regclass(v.t), v.p)',
        rowMode: 'array',
      });
      const user = await this.pool.query({ text: 'SELECT current_user', rowMode: 'array' });
      const role = String((user.rows[0] as unknown[] | undefined)?.[0] ?? '<the SecureMFA user>');
      const missing = (r.rows as [string, string][]).map(([t, p]) => `${p} on ${t}`);
      return {
        schema: { current, latest: this.availableMigrations().length },
        missingAccess: missing,
        accessHint:
          missing.length === 0
            ? undefined
            : `as the owner of the tables: GRANT SELECT, INSERT, UPDATE, DELETE ON secrets, providers, nonces TO "${role}"; GRANT SELECT ON schema_version TO "${role}"`,
      };
    };
    try {
      return await raceSignal(work(), signal, this.ctx.label);
    } catch (err) {
      throw pgError(err, { ...this.ctx, operation: 'inspect the schema' });
    }
  }
}

/**
 * Open a PostgreSQL store.
 *
 * @param options - connection string, timeout, pool size, migrate
 * @returns the open store; `close()` ends its pool
 * @throws {TypeError} when an option is malformed
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` when the server cannot be reached, refuses the
 *   login or has no such database (the error's problem tag says which: `unreachable`,
 *   `auth_failed`, `database_missing`, `timeout`, `tls`); `ERR_STORE_SCHEMA` when the schema is
 *   missing or older than this code (without `migrate`) or newer than it
 * @example
 * ```ts
 * const store = await openPostgresStore({ connectionString: 'postgres://otp:pw@db1/securemfa' });
 * const res = await store.acceptCode(upn, step, { ip }, new Date(), { allowReuse: false });
 * ```
 */
export function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  return PostgresStore.open(options);
}
