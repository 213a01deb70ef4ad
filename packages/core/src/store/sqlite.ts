/**
 * The embedded default store: SQLite through better-sqlite3, in WAL mode with a busy timeout so
 * several processes (a farm on one host, or the CLI next to the service) share one file safely.
 *
 * better-sqlite3 is synchronous; each call is one short statement, and the methods are async to
 * fit the UserStore contract.
 *
 * @module store
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { sqliteDialect } from './sql/dialect.js';
import { listMigrations, sqlScriptsDir, type Migration } from './sql/migrations.js';
import { SqlUserStore, type SqlExecutor } from './sql/sql-user-store.js';

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file (sqlite_path); `:memory:` for a private in-memory database. */
  path: string;
  /** Apply pending migrations on open (default true: the embedded store needs no DBA). */
  migrate?: boolean;
  /** How long to wait for another process's write lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Open read-only (verify, support tools' listings). */
  readonly?: boolean;
}

interface Prepared {
  stmt: Database.Statement;
  order: number[];
}

function wrap(err: unknown, path: string): StoreError {
  const e = err as { code?: string; message?: string };
  if (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED') {
    return new StoreError('ERR_STORE_UNAVAILABLE', `the SQLite database ${path} stayed locked by another process`, {
      cause: err,
      hint: 'another process holds a long write lock; retry, or raise the busy timeout',
    });
  }
  return new StoreError('ERR_STORE_UNAVAILABLE', `SQLite error on ${path}: ${e.message ?? String(err)}`, { cause: err });
}

class SqliteExecutor implements SqlExecutor {
  private readonly cache = new Map<string, Prepared>();

  constructor(
    readonly db: Database.Database,
    private readonly path: string,
  ) {}

  private prepare(sql: string): Prepared {
    let p = this.cache.get(sql);
    if (p === undefined) {
      // better-sqlite3 binds `?` by position only: map each $n occurrence to its position.
      const order: number[] = [];
      const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      });
      p = { stmt: this.db.prepare(text), order };
      this.cache.set(sql, p);
    }
    return p;
  }

  private args(p: Prepared, params: readonly unknown[]): unknown[] {
    return p.order.map((i) => {
      const v = params[i];
      return typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v;
    });
  }

  async all(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    try {
      const p = this.prepare(sql);
      const args = this.args(p, params);
      if (p.stmt.reader) return p.stmt.all(...args) as Record<string, unknown>[];
      p.stmt.run(...args);
      return [];
    } catch (err) {
      throw wrap(err, this.path);
    }
  }

  async run(sql: string, params: readonly unknown[]): Promise<number> {
    try {
      const p = this.prepare(sql);
      return p.stmt.run(...this.args(p, params)).changes;
    } catch (err) {
      throw wrap(err, this.path);
    }
  }

  async ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
    } catch (err) {
      throw wrap(err, this.path);
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** The SQLite store: the shared SQL store plus migrations. */
export class SqliteStore extends SqlUserStore {
  constructor(
    private readonly executor: SqliteExecutor,
    readonly path: string,
  ) {
    super(executor, sqliteDialect, 'sqlite');
  }

  /** The applied schema version (0 for an empty database). */
  schemaVersion(): number {
    const db = this.executor.db;
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
    if (table === undefined) return 0;
    const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
    return row.v ?? 0;
  }

  /**
   * Apply pending migrations in one IMMEDIATE transaction (so two processes migrating at once
   * serialise), recording each version.
   *
   * @returns the versions applied now
   * @throws {StoreError} ERR_STORE_SCHEMA when the database is newer than this code
   */
  migrate(migrations: readonly Migration[] = listMigrations('sqlite', sqlScriptsDir())): number[] {
    const db = this.executor.db;
    const applied: number[] = [];
    const run = db.transaction(() => {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied INTEGER NOT NULL)',
      );
      const current = this.schemaVersion();
      if (current > migrations.length) {
        throw new StoreError(
          'ERR_STORE_SCHEMA',
          `the database ${this.path} is at schema version ${current}, newer than this SecureMFA (${migrations.length})`,
          { hint: 'upgrade SecureMFA on this node to the version the main node runs' },
        );
      }
      for (const m of migrations) {
        if (m.version <= current) continue;
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_version (version, name, applied) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
        applied.push(m.version);
      }
    });
    try {
      run.immediate();
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw wrap(err, this.path);
    }
    return applied;
  }
}

/**
 * Open (and by default migrate) a SQLite store.
 *
 * @param options - path, migrate, busy timeout, readonly
 * @returns the store
 * @throws {StoreError} ERR_STORE_UNAVAILABLE when the file cannot be opened; ERR_STORE_SCHEMA when it is newer than this code
 * @example
 * ```ts
 * const store = await openSqliteStore({ path: './securemfa.db' });
 * ```
 */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path);
  let db: Database.Database;
  try {
    if (path !== ':memory:' && options.readonly !== true) mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (options.readonly !== true) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
  } catch (err) {
    throw new StoreError('ERR_STORE_UNAVAILABLE', `cannot open the SQLite database ${path}: ${(err as Error).message}`, {
      cause: err,
      hint: 'check sqlite_path and that the service account may write to its folder',
    });
  }
  const store = new SqliteStore(new SqliteExecutor(db, path), path);
  try {
    if (options.migrate ?? true) store.migrate();
    else if (store.schemaVersion() === 0) {
      throw new StoreError('ERR_STORE_SCHEMA', `the database ${path} has no SecureMFA tables`, {
        hint: 'run `securemfa-<provider> install` on the main node to create them',
      });
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
