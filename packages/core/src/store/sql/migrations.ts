/**
 * Numbered schema migrations: `sql-scripts/<dialect>/NNNN_<what>.sql`, the same numbers in every
 * dialect (STYLE B.9). Each script creates or changes tables AND records itself in
 * `schema_version` (`INSERT INTO schema_version … VALUES (N, '<what>', …)`), so that a DBA can
 * also apply the scripts by hand, as the originals' `sql_Create_Database_SecureMfaOTP.txt` was
 * (seed 001 "Installation"). The backends apply the pending scripts in one transaction each and
 * check that every script recorded its version; running them again changes nothing.
 *
 * This module is the dialect-neutral part: finding the scripts, listing them, and deciding which
 * ones are pending. Executing them is the backend's job (SQLite: `SqliteStore.migrate()`).
 *
 * @module store
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../../errors.js';
import { storeError } from '../store-problem.js';

/** One migration script. */
export interface Migration {
  /** 1, 2, … (the `NNNN` of the file name). */
  version: number;
  /** The `<what>` of the file name, e.g. `create_database`. */
  name: string;
  /** Absolute path of the script. */
  file: string;
  /** The script's text. */
  sql: string;
}

/** The dialect folders under `sql-scripts/`. */
export type MigrationDialect = 'sqlite' | 'postgres' | 'mssql';

/** Environment variable that overrides where the scripts are found. */
export const SQL_SCRIPTS_ENV = 'SECUREMFA_SQL_SCRIPTS';

/** The first script: its presence identifies a real `sql-scripts` folder while walking up. */
const MARKER = join('sqlite', '0001_create_database.sql');

/** How many parent folders {@link sqlScriptsDir} looks at. */
const MAX_WALK = 8;

/**
 * Find the `sql-scripts` folder.
 *
 * `$SECUREMFA_SQL_SCRIPTS` wins when set. Otherwise the folder is found by walking up from this
 * module until a `sql-scripts` folder holding `sqlite/0001_create_database.sql` appears: from
 * the TypeScript source (`packages/core/src/store/sql/`) and from the build
 * (`packages/core/dist/store/sql/`) alike, that is the repository root, four or five levels up.
 * Walking (rather than a fixed `../../../../`) keeps working if the build layout changes.
 *
 * @param env - environment to read the override from (injected by tests)
 * @param from - folder to start from (default: this module's folder)
 * @returns the absolute path of the folder
 * @throws {StoreError} `ERR_STORE_SCHEMA` when no such folder is found
 * @example
 * ```ts
 * listMigrations('sqlite', sqlScriptsDir());
 * ```
 */
export function sqlScriptsDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  from: string = dirname(fileURLToPath(import.meta.url)),
): string {
  const override = env[SQL_SCRIPTS_ENV];
  if (override !== undefined && override !== '') return resolve(override);
  let dir = resolve(from);
  for (let i = 0; i < MAX_WALK; i += 1) {
    const candidate = join(dir, 'sql-scripts');
    if (existsSync(join(candidate, MARKER))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new StoreError(
    'ERR_STORE_SCHEMA',
    `cannot find the sql-scripts folder (looked for sql-scripts/${MARKER.replace(/\\/g, '/')} in ${from} and ${MAX_WALK - 1} parent folders)`,
    { hint: `set ${SQL_SCRIPTS_ENV} to the sql-scripts folder of the SecureMFA distribution` },
  );
}

/**
 * The migration scripts of a dialect, in version order.
 *
 * @param dialect - folder name under `sql-scripts/`
 * @param dir - the `sql-scripts` folder (default: {@link sqlScriptsDir})
 * @returns the scripts, versions 1…n without gaps
 * @throws {StoreError} `ERR_STORE_SCHEMA` when the folder is missing or unreadable, or the
 *   numbering has a gap or a duplicate
 * @example
 * ```ts
 * const latest = listMigrations('sqlite').at(-1)?.version ?? 0;
 * ```
 */
export function listMigrations(
  dialect: MigrationDialect,
  dir: string = sqlScriptsDir(),
): Migration[] {
  const folder = join(dir, dialect);
  let files: string[];
  try {
    files = readdirSync(folder).sort();
  } catch (err) {
    throw new StoreError('ERR_STORE_SCHEMA', `cannot read the migration folder ${folder}`, {
      cause: err,
      hint: `check the SecureMFA installation (or ${SQL_SCRIPTS_ENV})`,
    });
  }
  const out: Migration[] = [];
  for (const file of files) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (m === null) continue;
    const path = join(folder, file);
    out.push({ version: Number(m[1]), name: m[2]!, file: path, sql: readFileSync(path, 'utf8') });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StoreError(
        'ERR_STORE_SCHEMA',
        `migrations in ${folder} must be numbered 0001, 0002, … without gaps or duplicates; found ${m.file} at position ${i + 1}`,
        { hint: 'restore the sql-scripts folder from the SecureMFA distribution' },
      );
    }
  });
  return out;
}

/**
 * The scripts a database at version `current` still needs.
 *
 * @param current - the database's recorded version (0 for an empty database)
 * @param available - every script of the dialect ({@link listMigrations})
 * @param where - the database, for messages (a path or host/database, never a password)
 * @returns the pending scripts in order (empty when up to date)
 * @throws {StoreError} `ERR_STORE_SCHEMA` when the database is newer than the scripts
 * @example
 * ```ts
 * for (const m of planMigrations(await schemaVersion(), listMigrations('postgres'), 'db1/otp')) …
 * ```
 */
export function planMigrations(
  current: number,
  available: readonly Migration[],
  where: string,
): Migration[] {
  const latest = available.length === 0 ? 0 : available[available.length - 1]!.version;
  if (current > latest) {
    throw storeError(
      'ERR_STORE_SCHEMA',
      'schema_newer',
      `the database ${where} is at schema version ${current}, newer than this SecureMFA knows (${latest})`,
      { hint: 'upgrade SecureMFA on this node to the version the main node runs' },
    );
  }
  return available.filter((m) => m.version > current);
}

/**
 * The error of a database whose schema is missing (version 0) or older than this code, opened
 * without migrating.
 *
 * @param current - the database's recorded version
 * @param latest - the latest version this code ships
 * @param where - the database, for the message (never a password)
 * @returns the `ERR_STORE_SCHEMA` error, tagged `schema_missing` or `schema_old`
 * @example
 * ```ts
 * if (current < latest) throw schemaBehindError(current, latest, 'PostgreSQL db1:5432/otp');
 * ```
 */
export function schemaBehindError(current: number, latest: number, where: string): StoreError {
  const hint =
    'run `securemfa-<provider> install` on the main node to create or upgrade the schema (or apply the sql-scripts by hand, see sql-scripts/README.md)';
  const err =
    current === 0
      ? storeError(
          'ERR_STORE_SCHEMA',
          'schema_missing',
          `the database ${where} has no SecureMFA schema (schema version 0); this SecureMFA needs ${latest}`,
          { hint },
        )
      : storeError(
          'ERR_STORE_SCHEMA',
          'schema_old',
          `the database ${where} is at schema version ${current}; this SecureMFA needs ${latest}`,
          { hint },
        );
  Object.defineProperty(err, 'schemaVersions', { value: { current, latest }, enumerable: false });
  return err;
}

/**
 * The versions a {@link schemaBehindError} reports.
 *
 * @param err - anything thrown
 * @returns `{ current, latest }`, or undefined for another error
 */
export function schemaVersionsOf(err: unknown): { current: number; latest: number } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const v = (err as { schemaVersions?: unknown }).schemaVersions;
  return typeof v === 'object' && v !== null
    ? (v as { current: number; latest: number })
    : undefined;
}

/** One transaction of an asynchronous backend, as {@link applyPendingMigrations} drives it. */
export interface MigrationTransaction {
  /** The highest version recorded in `schema_version` (0 without the table). */
  version(): Promise<number>;
  /** Run one script (all of its statements or batches). */
  apply(migration: Migration): Promise<void>;
}

/**
 * Apply the pending scripts inside a transaction the backend opened (and locked against other
 * installers), checking that each script recorded its version.
 *
 * @param tx - the backend's transaction
 * @param available - every script of the dialect
 * @param where - the database, for messages
 * @returns the versions applied (empty when up to date)
 * @throws {StoreError} `ERR_STORE_SCHEMA` when the database is newer than the scripts, or a
 *   script did not record its version
 * @example
 * ```ts
 * await applyPendingMigrations({ version: () => readVersion(c), apply: (m) => c.query(m.sql) }, listMigrations('postgres'), label);
 * ```
 */
export async function applyPendingMigrations(
  tx: MigrationTransaction,
  available: readonly Migration[],
  where: string,
): Promise<number[]> {
  const applied: number[] = [];
  for (const m of planMigrations(await tx.version(), available, where)) {
    await tx.apply(m);
    const now = await tx.version();
    if (now !== m.version) {
      throw storeError(
        'ERR_STORE_SCHEMA',
        'other',
        `migration ${m.file} did not record version ${m.version} in schema_version (found ${now})`,
        { hint: 'each script must end by recording its version; restore the script' },
      );
    }
    applied.push(m.version);
  }
  return applied;
}

/**
 * Split a T-SQL script into its batches at `GO` lines (the sqlcmd / SSMS batch separator, which
 * is not T-SQL: the server never sees it). Comment-only and empty batches are dropped.
 *
 * @param script - the script text
 * @returns the batches in order
 * @example
 * ```ts
 * splitBatches('CREATE TABLE a (x INT);\nGO\nINSERT INTO a VALUES (1);\nGO\n'); // two batches
 * ```
 */
export function splitBatches(script: string): string[] {
  const batches: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    const text = current.join('\n');
    const code = text
      .split('\n')
      .map((l) => l.replace(/--.*$/, '').trim())
      .join('');
    if (code !== '') batches.push(text.trim());
    current = [];
  };
  for (const line of script.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*GO\s*(--.*)?$/i.test(line)) flush();
    else current.push(line);
  }
  flush();
  return batches;
}
