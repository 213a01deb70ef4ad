/**
 * A small pool of tedious connections (tedious has none, and runs one request at a time per
 * connection): connections are opened on demand up to `size`, lent to one caller at a time,
 * discarded when they fail below SQL (socket, timeout), and all closed by `close()`.
 *
 * Every wait is bounded: connecting by `connectTimeout`, each request by `requestTimeout`, and
 * waiting for a free connection by 4 × timeoutMs.
 *
 * @module store
 */
import { Connection, ISOLATION_LEVEL, Request, TYPES, type ConnectionConfiguration } from 'tedious';
import type { SqlRow } from './sql/rows.js';

/** Result of one request. */
export interface MssqlResult {
  rows: SqlRow[];
  rowCount: number;
}

/** A connection lent by the pool. */
export interface MssqlSession {
  /** Run a parameterised statement (sp_executesql); `args[0]` binds `@p1`. */
  query(sql: string, args: readonly unknown[], timeoutMs?: number): Promise<MssqlResult>;
  /** Run a batch without parameters (DDL, migration batches). */
  batch(sql: string, timeoutMs?: number): Promise<MssqlResult>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The pool. */
export interface MssqlPool {
  use<T>(fn: (s: MssqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How long a caller may wait for a busy pool, in multiples of the timeout. */
const POOL_WAIT_FACTOR = 4;

/** An error of the pool itself, shaped like tedious' ConnectionError for the classifier. */
class PoolError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ConnectionError';
  }
}

/** A JS value as a typed tedious parameter. */
function addParameter(request: Request, name: string, value: unknown): void {
  if (value === null || value === undefined) request.addParameter(name, TYPES.NVarChar, null);
  else if (typeof value === 'boolean') request.addParameter(name, TYPES.Bit, value);
  else if (typeof value === 'bigint') request.addParameter(name, TYPES.BigInt, value.toString());
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) request.addParameter(name, TYPES.BigInt, value);
    else request.addParameter(name, TYPES.Float, value);
  } else if (value instanceof Date) {
    request.addParameter(name, TYPES.DateTime2, value, { scale: 3 });
  } else {
    const s = String(value);
    // A fixed declared length keeps one cached plan per statement (not one per value length).
    request.addParameter(name, TYPES.NVarChar, s, s.length <= 4000 ? { length: 4000 } : null);
  }
}

interface Column {
  value: unknown;
}

function toRows(rows: unknown): SqlRow[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((r: Column[]) => r.map((c) => c.value));
}

/** One pooled connection. */
class Pooled {
  alive = true;

  constructor(readonly connection: Connection) {
    connection.on('end', () => {
      this.alive = false;
    });
    connection.on('error', () => {
      this.alive = false;
    });
  }

  exec(
    sql: string,
    args: readonly unknown[] | undefined,
    timeoutMs: number | undefined,
  ): Promise<MssqlResult> {
    return new Promise<MssqlResult>((resolve, reject) => {
      const request = new Request(sql, (err, rowCount, rows) => {
        if (err) reject(err);
        else resolve({ rows: toRows(rows), rowCount: rowCount ?? 0 });
      });
      if (timeoutMs !== undefined) request.setTimeout(timeoutMs);
      try {
        if (args === undefined) {
          this.connection.execSqlBatch(request);
        } else {
          args.forEach((v, i) => addParameter(request, `p${i + 1}`, v));
          this.connection.execSql(request);
        }
      } catch (err) {
        reject(err);
      }
    });
  }

  transaction(kind: 'begin' | 'commit' | 'rollback'): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (kind === 'begin')
        this.connection.beginTransaction(done, '', ISOLATION_LEVEL.READ_COMMITTED);
      else if (kind === 'commit') this.connection.commitTransaction(done);
      else this.connection.rollbackTransaction(done);
    });
  }

  close(): Promise<void> {
    this.alive = false;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      timer.unref();
      this.connection.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.connection.close();
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}

/**
 * Create a pool; nothing connects until the first `use`.
 *
 * @param config - tedious configuration (connectTimeout and requestTimeout set)
 * @param size - most connections
 * @param timeoutMs - bound for connecting and for waiting for a free connection
 * @returns the pool
 */
export function createMssqlPool(
  config: ConnectionConfiguration,
  size: number,
  timeoutMs: number,
): MssqlPool {
  const all = new Set<Pooled>();
  const idle: Pooled[] = [];
  const waiters: Array<(p: Pooled | undefined) => void> = [];
  let closed = false;

  function connect(): Promise<Pooled> {
    return new Promise<Pooled>((resolve, reject) => {
      const connection = new Connection(config);
      const pooled = new Pooled(connection);
      all.add(pooled);
      let settled = false;
      // tedious bounds the login by connectTimeout; this is a backstop for a stuck socket.
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        all.delete(pooled);
        void pooled.close();
        reject(new PoolError(`connecting timed out after ${timeoutMs} ms`, 'ETIMEOUT'));
      }, timeoutMs + 1000);
      connection.connect((err) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          all.delete(pooled);
          void pooled.close();
          reject(err);
        } else resolve(pooled);
      });
    });
  }

  async function acquire(): Promise<Pooled> {
    while (idle.length > 0) {
      const p = idle.pop()!;
      if (p.alive) return p;
      all.delete(p);
    }
    if (all.size < size) return connect();
    const p = await new Promise<Pooled | undefined>((resolve) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(wake);
        if (i >= 0) waiters.splice(i, 1);
        resolve(undefined);
      }, timeoutMs * POOL_WAIT_FACTOR);
      const wake = (x: Pooled | undefined): void => {
        clearTimeout(timer);
        resolve(x);
      };
      waiters.push(wake);
    });
    if (closed) throw new PoolError('the connection pool is closed', 'ECLOSE');
    if (p === undefined) {
      throw new PoolError(
        `all ${size} connections stayed busy for ${timeoutMs * POOL_WAIT_FACTOR} ms`,
        'ETIMEOUT',
      );
    }
    return p.alive ? p : connect();
  }

  function release(p: Pooled, keep: boolean): void {
    if (!keep || closed || !p.alive) {
      all.delete(p);
      void p.close();
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        connect().then(waiter, () => waiter(undefined));
      }
      return;
    }
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(p);
    else idle.push(p);
  }

  return {
    async use<T>(fn: (s: MssqlSession) => Promise<T>): Promise<T> {
      if (closed) throw new PoolError('the connection pool is closed', 'ECLOSE');
      const p = await acquire();
      let keep = true;
      const session: MssqlSession = {
        query: (sql, args, t) => p.exec(sql, args, t),
        batch: (sql, t) => p.exec(sql, undefined, t),
        begin: () => p.transaction('begin'),
        commit: () => p.transaction('commit'),
        rollback: () => p.transaction('rollback'),
      };
      try {
        return await fn(session);
      } catch (err) {
        // A SQL error leaves the connection usable; a socket error, a timeout or a
        // cancellation does not (tedious may still be draining the cancelled request).
        const code = (err as { code?: unknown }).code;
        const sqlError = err instanceof Error && err.name === 'RequestError' && code === 'EREQUEST';
        keep = sqlError && p.alive;
        throw err;
      } finally {
        release(p, keep);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const w of waiters.splice(0)) w(undefined);
      idle.length = 0;
      const list = [...all];
      all.clear();
      await Promise.all(list.map((p) => p.close()));
    },
  };
}
