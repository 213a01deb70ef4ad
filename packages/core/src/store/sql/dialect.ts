/**
 * What differs between the SQL backends, and nothing else. The statements' logic, the row
 * mapping, the migration plan and the store class are shared (statements.ts, rows.ts,
 * migrations.ts, sql-user-store.ts); a dialect supplies:
 *
 * - placeholders: `?` (better-sqlite3), `$1` (pg), `@p1` (tedious) — see placeholders.ts;
 * - booleans: INTEGER 0/1 (SQLite), BOOLEAN (PostgreSQL), BIT (MS SQL);
 * - times: INTEGER milliseconds since the epoch (SQLite), TIMESTAMPTZ (PostgreSQL),
 *   DATETIME2(3) (MS SQL) — the drivers of the last two map `Date` themselves;
 * - one-statement forms: `UPDATE … RETURNING` vs `UPDATE … OUTPUT inserted.…`,
 *   `INSERT … ON CONFLICT … DO UPDATE` vs `MERGE … WITH (HOLDLOCK)`, `INSERT … ON CONFLICT DO
 *   NOTHING` vs `INSERT … SELECT … WHERE NOT EXISTS (… WITH (UPDLOCK, HOLDLOCK))`, `LIMIT` vs
 *   `FETCH NEXT`.
 *
 * Conventions the shared statements follow so that every dialect can render them: the target
 * table is never aliased; in an upsert's update clause the existing row's columns are qualified
 * with the table name (`secrets.email`; PostgreSQL calls an unqualified one ambiguous) and the
 * assigned columns are not (PostgreSQL rejects `SET secrets.email = …`).
 *
 * The SQL text each dialect produces is checked by statements.test.ts; the stores run it against
 * real servers in packages/core/test (postgres-store, sqlite-store, mssql-store with
 * SECUREMFA_TEST_MSSQL) and tsql-scripts checks the T-SQL with node-sql-parser.
 *
 * @module store
 */
import type { PlaceholderStyle } from './placeholders.js';

/** An `INSERT`-or-`UPDATE` of one row keyed by one column, as one atomic statement. */
export interface UpsertSpec {
  /** Target table (never aliased). */
  table: string;
  /** The key column the conflict is detected on (primary key or unique). */
  key: string;
  /** Column → value expression (placeholders or literals) for a new row; must include `key`. */
  insert: Readonly<Record<string, string>>;
  /** `SET` body applied to an existing row (`a = $2, b = secrets.b + 1`). */
  update: string;
  /** Only update an existing row when this holds (otherwise nothing changes: 0 rows). */
  updateWhere?: string;
  /** Columns of the inserted or updated row to return. */
  returning?: readonly string[];
}

/** An `INSERT` of one row that inserts nothing when a row with its key exists. */
export interface InsertIfAbsentSpec {
  /** Target table (never aliased). */
  table: string;
  /** The key column (primary key or unique); its value is `insert[key]`. */
  key: string;
  /** Column → value expression for the new row; must include `key`. */
  insert: Readonly<Record<string, string>>;
}

/** A SQL dialect: the few things that differ between the SQL backends. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres' | 'mssql';
  /** How the driver spells bound parameters. */
  readonly placeholderStyle: PlaceholderStyle;
  /** Literal for a true boolean column value in SQL text (`enabled = TRUE`). */
  readonly trueLiteral: string;
  /** Literal for a false boolean column value in SQL text. */
  readonly falseLiteral: string;
  /** A boolean as the driver wants it bound. */
  toDbBool(value: boolean): unknown;
  /** A Date as the driver wants it bound for a time column. */
  toDbTime(date: Date): unknown;
  /** A time column value as a Date; null stays null. */
  fromDbTime(value: unknown): Date | null;
  /** `UPDATE table SET set WHERE where` returning the updated row, in one statement. */
  updateReturning(table: string, set: string, where: string, returning: readonly string[]): string;
  /** Insert-or-update of one row in one statement (see {@link UpsertSpec}). */
  upsert(spec: UpsertSpec): string;
  /**
   * Insert one row unless its key exists, as one atomic statement that changes 1 row (inserted)
   * or 0 (the key exists) — also when another session inserts the same key at the same moment.
   */
  insertIfAbsent(spec: InsertIfAbsentSpec): string;
  /** Limit an ordered SELECT to `placeholder` rows. */
  limit(orderedSelect: string, placeholder: string): string;
  /** A query (one argument: the table name) that returns a row when that table exists. */
  readonly tableExistsQuery: string;
}

/** Time column value (ms number, bigint, numeric string, Date, ISO string) as a Date. */
function timeFromDb(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  const s = String(value);
  return new Date(/^-?\d+$/.test(s) ? Number(s) : s);
}

const onConflictUpsert = (s: UpsertSpec, returning: string): string => {
  const columns = Object.keys(s.insert);
  const where = s.updateWhere === undefined ? '' : ` WHERE ${s.updateWhere}`;
  return (
    `INSERT INTO ${s.table} (${columns.join(', ')}) VALUES (${Object.values(s.insert).join(', ')})` +
    ` ON CONFLICT (${s.key}) DO UPDATE SET ${s.update}${where}${returning}`
  );
};

const onConflictDoNothing = (s: InsertIfAbsentSpec): string =>
  `INSERT INTO ${s.table} (${Object.keys(s.insert).join(', ')}) VALUES (${Object.values(s.insert).join(', ')})` +
  ` ON CONFLICT (${s.key}) DO NOTHING`;

const returningClause = (returning: readonly string[] | undefined): string =>
  returning === undefined || returning.length === 0 ? '' : ` RETURNING ${returning.join(', ')}`;

/**
 * SQLite through better-sqlite3: `?` placeholders, INTEGER 0/1 booleans, INTEGER milliseconds
 * since the epoch for times (exact, sortable, no time-zone parsing), `RETURNING` (SQLite 3.35+;
 * better-sqlite3 12 bundles 3.5x) and `ON CONFLICT … DO UPDATE … WHERE` (3.24+).
 */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  placeholderStyle: 'question',
  trueLiteral: '1',
  falseLiteral: '0',
  toDbBool: (v) => (v ? 1 : 0),
  toDbTime: (d) => d.getTime(),
  fromDbTime: timeFromDb,
  updateReturning: (table, set, where, returning) =>
    `UPDATE ${table} SET ${set} WHERE ${where}${returningClause(returning)}`,
  upsert: (s) => onConflictUpsert(s, returningClause(s.returning)),
  insertIfAbsent: onConflictDoNothing,
  limit: (sql, ph) => `${sql} LIMIT ${ph}`,
  tableExistsQuery: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1",
};

/** PostgreSQL through pg: `$n` placeholders, BOOLEAN, TIMESTAMPTZ (pg maps `Date`). */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholderStyle: 'dollar',
  trueLiteral: 'TRUE',
  falseLiteral: 'FALSE',
  toDbBool: (v) => v,
  toDbTime: (d) => d,
  fromDbTime: timeFromDb,
  updateReturning: (table, set, where, returning) =>
    `UPDATE ${table} SET ${set} WHERE ${where}${returningClause(returning)}`,
  upsert: (s) => onConflictUpsert(s, returningClause(s.returning)),
  insertIfAbsent: onConflictDoNothing,
  limit: (sql, ph) => `${sql} LIMIT ${ph}`,
  tableExistsQuery:
    'SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1',
};

const outputClause = (returning: readonly string[] | undefined): string =>
  returning === undefined || returning.length === 0
    ? ''
    : ` OUTPUT ${returning.map((c) => `inserted.${c}`).join(', ')}`;

/**
 * MS SQL Server through tedious: `@pN` placeholders, BIT, DATETIME2(3) (tedious maps `Date`),
 * `OUTPUT inserted.*` for the updated row, `MERGE … WITH (HOLDLOCK)` for an atomic upsert (the
 * lock hint makes the match-then-insert serialisable, else two sessions can both insert), and
 * `INSERT … SELECT … WHERE NOT EXISTS (SELECT 1 FROM t WITH (UPDLOCK, HOLDLOCK) …)` for an
 * insert-if-absent: the key-range lock the hints take makes a second session wait and then find
 * the row, instead of both seeing "absent" and one failing on the primary key.
 */
export const mssqlDialect: SqlDialect = {
  name: 'mssql',
  placeholderStyle: 'at',
  trueLiteral: '1',
  falseLiteral: '0',
  toDbBool: (v) => v,
  toDbTime: (d) => d,
  fromDbTime: timeFromDb,
  updateReturning: (table, set, where, returning) =>
    `UPDATE ${table} SET ${set}${outputClause(returning)} WHERE ${where}`,
  upsert: (s) => {
    const columns = Object.keys(s.insert);
    const keyValue = s.insert[s.key];
    if (keyValue === undefined)
      throw new TypeError(`upsert of ${s.table}: no value for "${s.key}"`);
    const matched = s.updateWhere === undefined ? '' : ` AND ${s.updateWhere}`;
    return (
      `MERGE INTO ${s.table} WITH (HOLDLOCK) USING (SELECT ${keyValue} AS merge_key) AS merge_source` +
      ` ON ${s.table}.${s.key} = merge_source.merge_key` +
      ` WHEN MATCHED${matched} THEN UPDATE SET ${s.update}` +
      ` WHEN NOT MATCHED THEN INSERT (${columns.join(', ')}) VALUES (${Object.values(s.insert).join(', ')})` +
      `${outputClause(s.returning)};`
    );
  },
  insertIfAbsent: (s) => {
    const keyValue = s.insert[s.key];
    if (keyValue === undefined)
      throw new TypeError(`insert into ${s.table}: no value for "${s.key}"`);
    return (
      `INSERT INTO ${s.table} (${Object.keys(s.insert).join(', ')}) SELECT ${Object.values(s.insert).join(', ')}` +
      ` WHERE NOT EXISTS (SELECT 1 FROM ${s.table} WITH (UPDLOCK, HOLDLOCK) WHERE ${s.key} = ${keyValue})`
    );
  },
  limit: (sql, ph) => `${sql} OFFSET 0 ROWS FETCH NEXT ${ph} ROWS ONLY`,
  tableExistsQuery: 'SELECT 1 FROM sys.tables WHERE name = $1',
};
