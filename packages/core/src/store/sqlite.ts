/**
 * The embedded default store (`auth_mode: SQLITE`): SQLite through better-sqlite3.
 *
 * - WAL journal, so readers never block the writer and several processes — a farm on one
 *   host, or the CLI next to the service — share one file safely;
 * - `busy_timeout` (default 5000 ms), so a process that finds the write lock taken waits for
 *   it instead of failing; only a lock held longer than that becomes `ERR_STORE_UNAVAILABLE`;
 * - `synchronous = FULL` by default: every commit is on disk before `acceptCode` returns. With
 *   NORMAL (WAL) a power cut or OS crash can roll back the last commits (sqlite.org/wal.html):
 *   an accepted code's `laststep` and the failure counters would then be forgotten, and that
 *   code accepted a second time. FULL costs one fsync per write (≈0.13 ms on a virtio disk,
 *   still thousands of accepts per second); `synchronous: 'NORMAL'` trades that guarantee for
 *   speed where the file lives on storage that cannot lose acknowledged writes;
 * - every statement prepared once per connection; the accept path is one prepared
 *   `UPDATE … RETURNING` in raw (array) row mode, no second statement on success;
 * - group commit: the writes that callers start in one turn of the event loop (64 sign-ins in
 *   flight on a busy host) run together as one `BEGIN IMMEDIATE … COMMIT` at the end of the
 *   turn, so they share one fsync instead of paying one each. While the connection is quiet
 *   (the last batch held at most one write) the first write of a turn runs at once, so a lone
 *   caller waits for nothing; once a batch has gathered several writes, the first write of the
 *   next turns waits for the batch too, rather than paying an fsync of its own, until a batch
 *   comes out single again. Every write is still its own atomic conditional statement, its
 *   promise settles only after the COMMIT (with FULL: on disk), and a failing statement fails
 *   alone (SQLite rolls back just that statement). When the batch's BEGIN or COMMIT fails,
 *   nothing of it was committed and each write is run again on its own, so the error a caller
 *   sees is its own.
 *
 * better-sqlite3 is synchronous: each call runs one short statement on the calling thread
 * (waiting for a lock blocks it, up to the busy timeout). The methods are async to fit the
 * `UserStore` contract.
 *
 * @module store
 */
import { accessSync, constants as fsConstants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { sqliteDialect } from './sql/dialect.js';
import {
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
import type { InspectableStore, StoreInspection } from './store-inspection.js';
import { storeError, type StoreProblem } from './store-problem.js';

/** Default time to wait for another process's write lock, in ms. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000;

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file (config `sqlite_path`), or `:memory:` for a private in-memory database. */
  path: string;
  /**
   * Create the tables / apply pending migrations on open (default true: the embedded store
   * needs no DBA). With false the file must exist and be at the latest schema version.
   */
  migrate?: boolean;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Open read-only (listings, `verify`); implies `migrate: false`. */
  readonly?: boolean;
  /** The `sql-scripts` folder (default: {@link sqlScriptsDir}). */
  scriptsDir?: string;
  /**
   * SQLite `synchronous` (default FULL: an accepted code survives a power cut; see the module
   * comment). NORMAL is faster and can forget the last commits after an OS crash.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/** better-sqlite3's error shape (SqliteError has `code`; the addon loader sets others). */
interface DriverError {
  code?: unknown;
  message?: unknown;
}

/**
 * Turn a better-sqlite3 error into a `StoreError` naming the database and how to fix it.
 * SQLite's messages name tables and constraints, never bound values, so no secret can leak.
 *
 * @param err - what the driver threw
 * @param path - the database file
 * @param busyTimeoutMs - the configured wait, for the message
 * @returns the error to throw
 */
export function sqliteError(err: unknown, path: string, busyTimeoutMs: number): StoreError {
  if (err instanceof StoreError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const detail = typeof e.message === 'string' ? e.message : String(err);
  const fail = (message: string, hint: string, problem: StoreProblem = 'other'): StoreError =>
    storeError('ERR_STORE_UNAVAILABLE', problem, message, { cause: err, hint });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return fail(
      `the SQLite database ${path} stayed locked by another connection for more than ${busyTimeoutMs} ms (${code})`,
      'another process holds a long write transaction (a backup, an open sqlite3 shell?); retry, or raise the busy timeout',
      'timeout',
    );
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM'
  ) {
    return fail(
      `cannot open the SQLite database ${path} for writing: ${detail}`,
      'check sqlite_path, and that the service account may read and write the file and its folder (SQLite also creates <file>-wal and <file>-shm next to it)',
      'no_write_access',
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return fail(
      `${path} is not a SQLite database or is damaged: ${detail}`,
      'check that sqlite_path points at the SecureMFA database; restore it from a backup if it is damaged',
    );
  }
  if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    return fail(
      `I/O error on the SQLite database ${path}: ${detail}`,
      'check the disk holding the database (free space, health, network mounts are not supported)',
    );
  }
  if (code === 'ERR_DLOPEN_FAILED' || /bindings|better_sqlite3\.node/.test(detail)) {
    return fail(
      `the SQLite driver (better-sqlite3) cannot be loaded: ${detail}`,
      'rebuild it for this Node version: npm rebuild better-sqlite3',
    );
  }
  return fail(`SQLite error on ${path}: ${detail}`, 'see the cause in the debug log');
}

/** One prepared better-sqlite3 statement, bound positionally from `$n` arguments. */
class SqlitePrepared implements SqlStatement {
  private readonly stmt: Database.Statement<unknown[], unknown>;
  private readonly order: readonly number[] | undefined;
  private readonly reader: boolean;
  /** The statement changes the database (UPDATE … RETURNING included): group-committed. */
  private readonly writes: boolean;

  constructor(
    private readonly owner: SqliteExecutor,
    sql: string,
  ) {
    const compiled = compilePlaceholders(sql, 'question');
    this.stmt = owner.db.prepare(compiled.text);
    this.reader = this.stmt.reader;
    this.writes = !this.stmt.readonly;
    // Raw mode: rows as arrays in the SELECT/RETURNING column order (no object per row).
    if (this.reader) this.stmt.raw(true);
    this.order = compiled.inOrder ? undefined : compiled.order;
  }

  private bind(args: readonly unknown[]): unknown[] {
    const order = this.order;
    return order === undefined ? (args as unknown[]) : order.map((i) => args[i]);
  }

  /** Reads run at once; writes join the connection's next group commit. */
  private exec<T>(work: () => T): T | Promise<T> {
    if (this.writes) return this.owner.write(work);
    try {
      return work();
    } catch (err) {
      throw this.owner.error(err);
    }
  }

  one(args: readonly unknown[]): SqlRow | undefined | Promise<SqlRow | undefined> {
    return this.exec(() => {
      if (!this.reader) {
        this.stmt.run(...this.bind(args));
        return undefined;
      }
      return this.stmt.get(...this.bind(args)) as SqlRow | undefined;
    });
  }

  all(args: readonly unknown[]): SqlRow[] | Promise<SqlRow[]> {
    return this.exec(() => {
      if (!this.reader) {
        this.stmt.run(...this.bind(args));
        return [];
      }
      return this.stmt.all(...this.bind(args)) as SqlRow[];
    });
  }

  run(args: readonly unknown[]): number | Promise<number> {
    return this.exec(() => this.stmt.run(...this.bind(args)).changes);
  }
}

/** A write waiting for the next group commit. */
interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** The better-sqlite3 connection behind a {@link SqliteStore}. */
class SqliteExecutor implements SqlExecutor {
  constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly busyTimeoutMs: number,
  ) {}

  private pending: PendingWrite[] = [];
  private scheduled = false;
  /** The last batch gathered several writes: callers are concurrent, so batch every write. */
  private grouping = false;
  /** Group commits run so far (a batch of one is an ordinary autocommit write). */
  commits = 0;
  /** Writes committed through {@link write}. */
  writes = 0;

  error(err: unknown): StoreError {
    return sqliteError(err, this.path, this.busyTimeoutMs);
  }

  /**
   * Queue a write for the group commit at the end of this turn of the event loop.
   *
   * @param work - runs the statement (synchronously, inside the batch's transaction)
   * @returns what `work` returned, once the batch is committed
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item = { work, resolve: resolve as (value: unknown) => void, reject };
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
        if (!this.grouping) {
          // Quiet: the first write of a turn runs at once (a lone caller waits for nothing);
          // the writes that follow it in the same turn are committed together after it.
          this.commits += 1;
          this.writes += 1;
          this.runAlone(item);
          return;
        }
      }
      this.pending.push(item);
    });
  }

  private runAlone(item: PendingWrite): void {
    try {
      item.resolve(item.work());
    } catch (err) {
      item.reject(this.error(err));
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    // A serial caller (each write awaited before the next) never makes a batch of more than
    // one: only concurrent callers switch grouping on, and a quiet turn switches it off.
    this.grouping = batch.length > 1;
    if (batch.length === 0) return;
    this.commits += 1;
    this.writes += batch.length;
    if (batch.length === 1 || !this.db.open) {
      for (const item of batch) this.runAlone(item);
      return;
    }
    const results: Array<{ ok: true; value: unknown } | { ok: false; err: unknown }> = [];
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              results.push({ ok: true, value: item.work() });
            } catch (err) {
              results.push({ ok: false, err });
            }
          }
        })
        .immediate();
    } catch {
      // BEGIN IMMEDIATE (lock wait over busy_timeout) or COMMIT failed: nothing was committed.
      // Each write on its own reports its own error (or succeeds once the lock is free).
      for (const item of batch) this.runAlone(item);
      return;
    }
    batch.forEach((item, i) => {
      const r = results[i];
      if (r === undefined) item.reject(this.error(new Error('write not run')));
      else if (r.ok) item.resolve(r.value);
      else item.reject(this.error(r.err));
    });
  }

  prepare(sql: string): SqlStatement {
    try {
      return new SqlitePrepared(this, sql);
    } catch (err) {
      throw this.error(err);
    }
  }

  async close(): Promise<void> {
    // Writes already started finish first: a close never drops an acknowledged-to-be write.
    if (this.pending.length > 0) this.flush();
    if (this.db.open) this.db.close();
  }
}

/**
 * `journal_mode = WAL`, retried within the busy timeout: switching needs an exclusive lock, and
 * when several processes open a new file at once SQLite may answer SQLITE_BUSY at once instead
 * of waiting (it does not wait where waiting could deadlock two lock upgrades).
 */
async function switchToWal(db: Database.Database, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const busy = typeof code === 'string' && code.startsWith('SQLITE_BUSY');
      if (!busy || Date.now() >= deadline) throw err;
      await sleep(Math.min(5 + attempt * 10, 100) + Math.floor(Math.random() * 10));
    }
  }
}

/** The applied schema version of an open database (0 without `schema_version`). */
function currentVersion(db: Database.Database): number {
  const q = buildMigrationStatements(sqliteDialect);
  const exists = db
    .prepare(compilePlaceholders(q.tableExists, 'question').text)
    .get('schema_version');
  if (exists === undefined) return 0;
  const row = db.prepare(q.schemaVersion).raw(true).get() as [number | null] | undefined;
  return Number(row?.[0] ?? 0);
}

/**
 * Apply the pending migrations in one `BEGIN IMMEDIATE` transaction: two processes migrating
 * at once serialise on the write lock, and the second finds nothing left to do.
 */
function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  path: string,
): number[] {
  const applied: number[] = [];
  const run = db.transaction(() => {
    for (const m of planMigrations(currentVersion(db), migrations, path)) {
      db.exec(m.sql);
      if (currentVersion(db) !== m.version) {
        throw new StoreError(
          'ERR_STORE_SCHEMA',
          `migration ${m.file} did not record version ${m.version} in schema_version`,
          { hint: 'each script must end with INSERT INTO schema_version …; restore the script' },
        );
      }
      applied.push(m.version);
    }
  });
  run.immediate();
  return applied;
}

/**
 * The SQLite store: the shared SQL store plus migrations. Open it with {@link openSqliteStore}.
 */
export class SqliteStore extends SqlUserStore implements InspectableStore {
  /** The database file (absolute), or `:memory:`. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly busyTimeoutMs: number;
  private readonly scriptsDir: string | undefined;
  private readonly readonly: boolean;
  private readonly executor: SqliteExecutor;

  private constructor(executor: SqliteExecutor, scriptsDir: string | undefined, readonly: boolean) {
    super(executor, sqliteDialect, 'sqlite', executor.path);
    this.executor = executor;
    this.path = executor.path;
    this.db = executor.db;
    this.busyTimeoutMs = executor.busyTimeoutMs;
    this.scriptsDir = scriptsDir;
    this.readonly = readonly;
  }

  /**
   * Group-commit counters of this connection: `writes` committed in `commits` transactions
   * (a commit of one write is an ordinary autocommit). For metrics and the bench.
   */
  get writeStats(): { commits: number; writes: number } {
    return { commits: this.executor.commits, writes: this.executor.writes };
  }

  /** The `synchronous` setting in force on this connection, as SQLite reports it. */
  get synchronous(): 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA' {
    const level = Number(this.db.pragma('synchronous', { simple: true }));
    return (['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[level] ?? 'FULL';
  }

  /**
   * Open (and by default create or migrate) a SQLite store; same as {@link openSqliteStore}.
   *
   * @param options - file, migrate, busy timeout, read-only
   * @returns the open store
   * @throws {TypeError} when an option is malformed
   * @throws {StoreError} see {@link openSqliteStore}
   * @example
   * ```ts
   * const store = await SqliteStore.open({ path: './securemfa.db' });
   * ```
   */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const busy = checkOptions(options);
    const inMemory = options.path === ':memory:';
    const path = inMemory ? ':memory:' : resolve(options.path);
    const readonly = options.readonly === true;
    const migrate = !readonly && (options.migrate ?? true);
    if (!inMemory && !migrate && !existsSync(path)) {
      throw storeError(
        'ERR_STORE_UNAVAILABLE',
        'database_missing',
        `the SQLite database ${path} does not exist`,
        {
          hint: 'check sqlite_path; run `securemfa-<provider> install` on the main node to create it',
        },
      );
    }
    let db: Database.Database;
    try {
      db = new Database(path, { readonly, fileMustExist: !migrate });
    } catch (err) {
      throw sqliteError(err, path, busy);
    }
    try {
      // busy_timeout first: switching to WAL needs a lock another process may hold.
      db.pragma(`busy_timeout = ${busy}`);
      if (!readonly && !inMemory) await switchToWal(db, busy);
      if (!readonly)
        db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
      const migrations = listMigrations('sqlite', options.scriptsDir ?? sqlScriptsDir());
      if (migrate) {
        applyMigrations(db, migrations, path);
      } else {
        const current = currentVersion(db);
        if (planMigrations(current, migrations, path).length > 0) {
          throw schemaBehindError(current, migrations.length, path);
        }
      }
      return new SqliteStore(new SqliteExecutor(db, path, busy), options.scriptsDir, readonly);
    } catch (err) {
      if (db.open) db.close();
      throw sqliteError(err, path, busy);
    }
  }

  /**
   * The migration scripts this code knows.
   *
   * @returns `sql-scripts/sqlite/*.sql`, in version order
   * @throws {StoreError} ERR_STORE_SCHEMA when the scripts cannot be found
   */
  availableMigrations(): Migration[] {
    return listMigrations('sqlite', this.scriptsDir ?? sqlScriptsDir());
  }

  /**
   * The applied schema version.
   *
   * @returns the highest version recorded in `schema_version`
   * @throws {StoreError} ERR_STORE_UNAVAILABLE when the database cannot be read
   */
  async schemaVersion(): Promise<number> {
    this.check();
    try {
      return currentVersion(this.db);
    } catch (err) {
      throw sqliteError(err, this.path, this.busyTimeoutMs);
    }
  }

  /**
   * Schema version and whether this process may write the database file, its folder (SQLite
   * creates `-wal` and `-shm` files there) and the WAL files (changes nothing).
   *
   * @returns the inspection
   */
  async inspect(_signal?: AbortSignal): Promise<StoreInspection> {
    const current = await this.schemaVersion();
    const missing: string[] = [];
    if (this.path !== ':memory:') {
      if (this.readonly) missing.push(`write ${this.path} (opened read-only)`);
      for (const target of [
        this.path,
        dirname(this.path),
        `${this.path}-wal`,
        `${this.path}-shm`,
      ]) {
        if (!existsSync(target)) continue;
        try {
          accessSync(target, fsConstants.W_OK);
        } catch {
          missing.push(`write ${target}`);
        }
      }
    }
    return {
      schema: { current, latest: this.availableMigrations().length },
      missingAccess: missing,
      accessHint:
        missing.length === 0
          ? undefined
          : 'let the service account write the database file, its -wal/-shm files and their folder (chown/chmod), or point sqlite_path at a folder it owns',
    };
  }

  /**
   * Apply pending migrations (idempotent: `install` runs it after every upgrade).
   *
   * @returns the versions applied now (empty when already up to date)
   * @throws {StoreError} ERR_STORE_SCHEMA when the database is newer than this code;
   *   ERR_STORE_UNAVAILABLE when it cannot be written
   * @example
   * ```ts
   * const applied = await store.migrate(); // [] when up to date
   * ```
   */
  async migrate(): Promise<number[]> {
    this.check();
    const migrations = this.availableMigrations();
    try {
      return applyMigrations(this.db, migrations, this.path);
    } catch (err) {
      throw sqliteError(err, this.path, this.busyTimeoutMs);
    }
  }
}

function checkOptions(options: SqliteStoreOptions): number {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('SQLite store options must be an object');
  }
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw new TypeError('"path" must be a non-empty string (config sqlite_path)');
  }
  const busy = options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busy) || busy < 0) {
    throw new TypeError(`"busyTimeoutMs" must be a non-negative integer, got ${String(busy)}`);
  }
  if (
    options.synchronous !== undefined &&
    options.synchronous !== 'FULL' &&
    options.synchronous !== 'NORMAL'
  ) {
    throw new TypeError(
      `"synchronous" must be FULL or NORMAL, got ${JSON.stringify(options.synchronous)}`,
    );
  }
  return busy;
}

/**
 * Open (and by default create or migrate) a SQLite store.
 *
 * @param options - file, migrate, busy timeout, read-only
 * @returns the open store
 * @throws {TypeError} when an option is malformed
 * @throws {StoreError} `ERR_STORE_UNAVAILABLE` when the file cannot be opened (missing with
 *   `migrate: false`, no permission, not a database, driver not loadable) or stays locked;
 *   `ERR_STORE_SCHEMA` when the database is newer than this code, or (with `migrate: false`)
 *   older
 * @example
 * ```ts
 * const store = await openSqliteStore({ path: './securemfa.db' });
 * const res = await store.acceptCode(upn, step, { ip }, new Date(), { allowReuse: false });
 * ```
 */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return SqliteStore.open(options);
}
