/**
 * What differs between the SQL backends. Everything else — the statements' logic, the row
 * mapping, the migration runner, the store class — is shared (sql-user-store.ts).
 *
 * Statements are written with numbered placeholders `$1, $2…`; a dialect rewrites them.
 *
 * @module store
 */

/** A SQL dialect. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres' | 'mssql';
  /** Rewrite `$n` placeholders into the dialect's form (`?n`, `$n`, `@pn`). */
  placeholders(sql: string): string;
  /** A Date as the driver wants it for a timestamp column. */
  toDbTime(date: Date): unknown;
  /** A timestamp column value as a Date (null stays null). */
  fromDbTime(value: unknown): Date | null;
  /**
   * `UPDATE <table> SET <set> WHERE <where>` returning the updated row in one statement
   * (`RETURNING *` or `OUTPUT inserted.*`).
   */
  updateReturning(table: string, set: string, where: string): string;
  /** Upsert a row keyed by `key` (ON CONFLICT … DO UPDATE, or MERGE). */
  upsert(table: string, key: string, columns: readonly string[]): string;
  /** INSERT that silently does nothing when the key exists; the store reads the change count. */
  insertIgnore(table: string, key: string, columns: readonly string[]): string;
  /** `LIMIT n` / `OFFSET 0 ROWS FETCH NEXT n ROWS ONLY` for an ordered select. */
  limit(sql: string, n: number): string;
}

const params = (columns: readonly string[]): string => columns.map((_, i) => `$${i + 1}`).join(', ');

/** SQLite (better-sqlite3): `?n` placeholders, INTEGER milliseconds for times. */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  // better-sqlite3 binds `?` by position only; the executor maps $n to positions at prepare time.
  placeholders: (sql) => sql,
  toDbTime: (d) => d.getTime(),
  fromDbTime: (v) => (v === null || v === undefined ? null : new Date(Number(v))),
  updateReturning: (table, set, where) => `UPDATE ${table} SET ${set} WHERE ${where} RETURNING *`,
  upsert: (table, key, columns) =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${params(columns)}) ON CONFLICT (${key}) DO UPDATE SET ${columns
      .filter((c) => c !== key)
      .map((c) => `${c} = excluded.${c}`)
      .join(', ')}`,
  insertIgnore: (table, key, columns) =>
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${params(columns)}) ON CONFLICT (${key}) DO NOTHING`,
  limit: (sql, n) => `${sql} LIMIT ${n}`,
};
