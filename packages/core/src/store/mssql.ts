/**
 * The Microsoft SQL Server store (`auth_mode: SQL`, the originals' `secrets` table): the shared
 * SQL store (sql/sql-user-store.ts) over a pool of tedious connections.
 *
 * - the farm's two atomic operations are single `UPDATE … OUTPUT inserted.… WHERE …`
 *   statements: SQL Server takes an update lock on the row, so a second concurrent UPDATE waits
 *   for the first and then re-evaluates its condition on the committed row — of N nodes
 *   accepting one step exactly one matches `laststep < step`, and N failures add exactly N;
 * - `enrol`, `rememberNonce` and `register` are `MERGE … WITH (HOLDLOCK)` (HOLDLOCK makes the
 *   match-then-insert serialisable; without it two sessions can both insert);
 * - statements run through `sp_executesql` (tedious `execSql`) with typed parameters, so every
 *   value is a parameter, never SQL text, and the server caches one plan per statement;
 * - `sql_timeout_ms` bounds connecting and each request; nothing hangs;
 * - migrations (`sql-scripts/mssql/NNNN_*.sql`, split at `GO`) run in one transaction under an
 *   application lock (`sp_getapplock`), so two installers at once serialise;
 * - Windows integrated security (`sqlintegratedsecurity`) is Windows-only: opening such a
 *   config fails with a clear message; use a SQL login.
 *
 * @module store
 */
import { StoreError } from '../errors.js';
import { mssqlConnectionConfig, type MssqlConnectionOptions } from './mssql-connection.js';
import { mssqlStoreError, type MssqlErrorContext } from './mssql-errors.js';
import { createMssqlPool, type MssqlPool, type MssqlSession } from './mssql-pool.js';
import { mssqlDialect } from './sql/dialect.js';
import {
  applyPendingMigrations,
  listMigrations,
  planMigrations,
  schemaBehindError,
  splitBatches,
  sqlScriptsDir,
  type Migration,
} from './sql/migrations.js';
import { compilePlaceholders } from './sql/placeholders.js';
import type { SqlRow } from './sql/rows.js';
import { SqlUserStore, type SqlExecutor, type SqlStatement } from './sql/sql-user-store.js';
import { buildMigrationStatements } from './sql/statements.js';
import type { InspectableStore, StoreInspection } from './store-inspection.js';
import { storeProblemOf } from './store-problem.js';

/** Default most connections of the pool. */
export const DEFAULT_MSSQL_POOL_SIZE = 10;
/** Default `sql_timeout_ms`. */
export const DEFAULT_MSSQL_TIMEOUT_MS = 5000;
/** A migration may run longer than an ordinary statement. */
const MIGRATION_TIMEOUT_MS = 600_000;

/** Options of {@link openMssqlStore}: the seeds' keys and this project's `sql_*` keys. */
export interface MssqlStoreOptions {
  /** `sqlserver`: "host", "host,port" or "host\\instance". */
  server: string;
  /** `sqldbname` (default SecureMfaOTP). */
  database?: string | undefined;
  /** `sqlintegratedsecurity`: Windows-only, refused here with a clear message. */
  integratedSecurity?: boolean | undefined;
  /** `sqluseraccount`. */
  user?: string | undefined;
  /** `sqluserpassword` (never logged). */
  password?: string | undefined;
  /** `sql_timeout_ms` (default 5000). */
  timeoutMs?: number | undefined;
  /** `sql_encrypt` (default true). */
  encrypt?: boolean | undefined;
  /** `sql_trust_server_certificate` (default false; test servers only). */
  trustServerCertificate?: boolean | undefined;
  /** `sql_tls_ca_file`. */
  tlsCaFile?: string | undefined;
  /** Apply pending migrations on open (default false: `install` does it on the main node). */
  migrate?: boolean | undefined;
  /** Check on open that the schema is at the latest version (default true). */
  checkSchema?: boolean | undefined;
  /** Most connections kept open (default 10, 1–100). */
  poolSize?: number | undefined;
  /** The `sql-scripts` folder (default: {@link sqlScriptsDir}). */
  scriptsDir?: string | undefined;
}

/** Runs of a statement chosen as a deadlock victim (error 1205) before giving up. */
const DEADLOCK_ATTEMPTS = 3;

/** Tables the provider reads and writes at run time, with what it does to each. */
const RUNTIME_PERMISSIONS: readonly (readonly [string, readonly string[]])[] = [
  ['secrets', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['providers', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['nonces', ['SELECT', 'INSERT', 'UPDATE', 'DELETE']],
  ['schema_version', ['SELECT']],
];

/** One statement, compiled once to `@pN` placeholders, run on a pooled connection. */
class MssqlStatement implements SqlStatement {
  private readonly text: string;

  constructor(
    private readonly owner: MssqlExecutor,
    sql: string,
  ) {
    this.text = compilePlaceholders(sql, 'at').text;
  }

  private async query(args: readonly unknown[]): Promise<{ rows: SqlRow[]; rowCount: number }> {
    this.owner.checkOpen();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.owner.pool.use((s) => s.query(this.text, args));
      } catch (err) {
        const wrapped = mssqlStoreError(err, this.owner.ctx);
        // A deadlock victim's statement was rolled back whole: running it again is safe.
        if (storeProblemOf(wrapped) === 'conflict' && attempt < DEADLOCK_ATTEMPTS) continue;
        throw wrapped;
      }
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

class MssqlExecutor implements SqlExecutor {
  private closing: Promise<void> | undefined;

  constructor(
    readonly pool: MssqlPool,
    readonly ctx: MssqlErrorContext,
  ) {}

  checkOpen(): void {
    if (this.closing !== undefined) {
      throw new StoreError('ERR_STORE_UNAVAILABLE', `the mssql store ${this.ctx.where} is closed`);
    }
  }

  prepare(sql: string): SqlStatement {
    return new MssqlStatement(this, sql);
  }

  close(): Promise<void> {
    this.closing ??= this.pool.close();
    return this.closing;
  }
}

const migrationQueries = (() => {
  const q = buildMigrationStatements(mssqlDialect);
  return {
    tableExists: compilePlaceholders(q.tableExists, 'at').text,
    schemaVersion: q.schemaVersion,
  };
})();

async function readVersion(s: MssqlSession): Promise<number> {
  const exists = await s.query(migrationQueries.tableExists, ['schema_version']);
  if (exists.rows.length === 0) return 0;
  const row = await s.query(migrationQueries.schemaVersion, []);
  return Number(row.rows[0]?.[0] ?? 0);
}

/** The application lock that serialises installers (released with the transaction). */
const MIGRATION_LOCK_BATCH =
  "DECLARE @r INT; EXEC @r = sp_getapplock @Resource = N'securemfa-migrate', @LockMode = N'Exclusive', " +
  `@LockOwner = N'Transaction', @LockTimeout = ${MIGRATION_TIMEOUT_MS}; ` +
  "IF @r < 0 THROW 50001, N'could not take the SecureMFA migration lock (another install is running?)', 1;";

async function migrateOn(
  pool: MssqlPool,
  migrations: readonly Migration[],
  ctx: MssqlErrorContext,
): Promise<number[]> {
  try {
    return await pool.use(async (s) => {
      await s.begin();
      try {
        await s.batch(MIGRATION_LOCK_BATCH, MIGRATION_TIMEOUT_MS);
        const applied = await applyPendingMigrations(
          {
            version: () => readVersion(s),
            apply: async (m) => {
              for (const batch of splitBatches(m.sql)) await s.batch(batch, MIGRATION_TIMEOUT_MS);
            },
          },
          migrations,
          ctx.where,
        );
        await s.commit();
        return applied;
      } catch (err) {
        await s.rollback().catch(() => undefined);
        throw err;
      }
    });
  } catch (err) {
    throw mssqlStoreError(err, ctx);
  }
}

function checkNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`"${name}" must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The MS SQL store. Open it with {@link openMssqlStore}. */
export class MssqlStore extends SqlUserStore implements InspectableStore {
  private readonly pool: MssqlPool;
  private readonly ctx: MssqlErrorContext;
  private readonly scriptsDir: string | undefined;

  private constructor(executor: MssqlExecutor, scriptsDir: string | undefined) {
    super(executor, mssqlDialect, 'mssql', executor.ctx.where);
    this.pool = executor.pool;
    this.ctx = executor.ctx;
    this.scriptsDir = scriptsDir;
  }

  /**
   * Open a MS SQL store; same as {@link openMssqlStore}.
   *
   * @param options - server, database, SQL login, timeout, TLS, migrate
   * @returns the open store
   * @throws {TypeError} on malformed options
   * @throws {StoreError} see {@link openMssqlStore}
   */
  static async open(options: MssqlStoreOptions): Promise<MssqlStore> {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('MS SQL store options must be an object');
    }
    const timeoutMs = checkNumber(
      options.timeoutMs ?? DEFAULT_MSSQL_TIMEOUT_MS,
      'timeoutMs',
      1,
      600_000,
    );
    const poolSize = checkNumber(options.poolSize ?? DEFAULT_MSSQL_POOL_SIZE, 'poolSize', 1, 100);
    const database =
      options.database === undefined || options.database === '' ? 'SecureMfaOTP' : options.database;
    const connection: MssqlConnectionOptions = {
      server: options.server,
      database,
      integratedSecurity: options.integratedSecurity,
      user: options.user,
      password: options.password,
      timeoutMs,
      encrypt: options.encrypt,
      trustServerCertificate: options.trustServerCertificate,
      tlsCaFile: options.tlsCaFile,
    };
    const { config, label } = mssqlConnectionConfig(connection);
    const ctx: MssqlErrorContext = { where: label, user: options.user, database };
    const migrations = listMigrations('mssql', options.scriptsDir ?? sqlScriptsDir());
    const pool = createMssqlPool(config, poolSize, timeoutMs);
    try {
      if (options.migrate === true) {
        await migrateOn(pool, migrations, ctx);
      } else if (options.checkSchema !== false) {
        let current: number;
        try {
          current = await pool.use(readVersion);
        } catch (err) {
          throw mssqlStoreError(err, ctx);
        }
        if (planMigrations(current, migrations, ctx.where).length > 0) {
          throw schemaBehindError(current, migrations.length, `SQL Server ${ctx.where}`);
        }
      }
      return new MssqlStore(new MssqlExecutor(pool, ctx), options.scriptsDir);
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  /** The migration scripts this code knows (`sql-scripts/mssql/*.sql`). */
  availableMigrations(): Migration[] {
    return listMigrations('mssql', this.scriptsDir ?? sqlScriptsDir());
  }

  /**
   * The applied schema version.
   *
   * @returns the highest version in `schema_version` (0 when there is none)
   * @throws {StoreError} ERR_STORE_UNAVAILABLE when the server cannot be read
   */
  async schemaVersion(): Promise<number> {
    this.check();
    try {
      return await this.pool.use(readVersion);
    } catch (err) {
      throw mssqlStoreError(err, this.ctx);
    }
  }

  /**
   * Apply pending migrations (idempotent).
   *
   * @returns the versions applied now
   * @throws {StoreError} ERR_STORE_SCHEMA when the database is newer than this code
   */
  async migrate(): Promise<number[]> {
    this.check();
    return migrateOn(this.pool, this.availableMigrations(), this.ctx);
  }

  /**
   * Schema version and the run-time permissions of the login (changes nothing:
   * `HAS_PERMS_BY_NAME` only reads).
   *
   * @returns the inspection
   * @throws {StoreError} when the server cannot be reached
   */
  async inspect(_signal?: AbortSignal): Promise<StoreInspection> {
    this.check();
    const pairs = RUNTIME_PERMISSIONS.flatMap(([t, ps]) => ps.map((p) => `(N'dbo.${t}', N'${p}')`));
    try {
      return await this.pool.use(async (s) => {
        const current = await readVersion(s);
        const r = await s.query(
          `SELECT v.t, v.p FROM (VALUES ${pairs.join(', ')}) AS v(t, p) ` +
            "WHERE OBJECT_ID(v.t) IS NOT NULL AND HAS_PERMS_BY_NAME(v.t, 'OBJECT', v.p) = 0",
          [],
        );
        const missing = r.rows.map((row) => `${String(row[1])} on ${String(row[0])}`);
        return {
          schema: { current, latest: this.availableMigrations().length },
          missingAccess: missing,
          accessHint:
            missing.length === 0
              ? undefined
              : `add the database user of ${this.ctx.user ?? 'the login'} to the role securemfa_service (sql-scripts/mssql/create_database_SecureMfaOTP.sql), or GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo to it`,
        };
      });
    } catch (err) {
      throw mssqlStoreError(err, this.ctx);
    }
  }
}

/**
 * Open a MS SQL store.
 *
 * @param options - server, database, SQL login, timeout, TLS, migrate
 * @returns the open store (a connection pool)
 * @throws {TypeError} when `server` is not "host", "host,port" or "host\\instance", or a number
 *   option is out of range
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` for integrated security (Windows-only), a missing
 *   SQL login, an unreachable server, a refused login or a missing database; `ERR_STORE_SCHEMA`
 *   when the schema is older (without `migrate`) or newer than this code
 * @example
 * ```ts
 * const store = await openMssqlStore({ server: 'sql1.adatum.labnet,1433', database: 'SecureMfaOTP',
 *   user: 'securemfa_svc', password, timeoutMs: 5000 });
 * ```
 */
export function openMssqlStore(options: MssqlStoreOptions): Promise<MssqlStore> {
  return MssqlStore.open(options);
}
