/**
 * Numbered migrations from `sql-scripts/<dialect>/NNNN_<what>.sql` (the same numbers in every
 * dialect). The runner applies the ones newer than the recorded version, in order, and records
 * each in `schema_version` — idempotent, so `install` can run it after every upgrade.
 *
 * @module store
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from '../../errors.js';

/** One migration file. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The `sql-scripts` directory: `SECUREMFA_SQL_SCRIPTS` if set, else found by walking up from this
 * module (it sits at the repository root, next to packages/).
 *
 * @throws {StoreError} ERR_STORE_SCHEMA when it cannot be found
 */
export function sqlScriptsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const override = env.SECUREMFA_SQL_SCRIPTS;
  if (override !== undefined && override !== '') return override;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i += 1) {
    const candidate = join(dir, 'sql-scripts');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new StoreError('ERR_STORE_SCHEMA', 'cannot find the sql-scripts directory', {
    hint: 'set SECUREMFA_SQL_SCRIPTS to the sql-scripts folder of the SecureMFA distribution',
  });
}

/**
 * The migrations of a dialect, in version order.
 *
 * @param dialect - folder name: sqlite, postgres, mssql
 */
export function listMigrations(dialect: string, dir = sqlScriptsDir()): Migration[] {
  const folder = join(dir, dialect);
  const out: Migration[] = [];
  for (const file of readdirSync(folder).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (m === null) continue;
    out.push({ version: Number(m[1]), name: m[2]!, sql: readFileSync(join(folder, file), 'utf8') });
  }
  for (let i = 0; i < out.length; i += 1) {
    if (out[i]!.version !== i + 1) {
      throw new StoreError('ERR_STORE_SCHEMA', `migrations in ${folder} are not numbered 0001, 0002, … without gaps`);
    }
  }
  return out;
}

/** The newest schema version this code knows for a dialect. */
export function latestVersion(dialect: string, dir = sqlScriptsDir()): number {
  return listMigrations(dialect, dir).length;
}
