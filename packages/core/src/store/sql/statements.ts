/**
 * Every statement the SQL stores run, written once with `$n` placeholders and rendered for a
 * dialect. Each is prepared once per connection (sql-user-store.ts) and then only bound and run.
 *
 * The two statements a farm depends on are single conditional UPDATEs with the row returned in
 * the same statement, so no read can interleave:
 *
 * ```sql
 * -- accept: the reuse guard, enabled and lockout checks and the counters in one UPDATE
 * UPDATE secrets SET laststep = $1, logon = 1, lastlogon = $2, logoncount = logoncount + 1,
 *        failedlogoncount = 0, logonip = $3, useragent = $4
 *  WHERE upn_key = $5 AND enabled = TRUE AND laststep < $6          -- `<=` with allowReuse
 *    AND (failedlogoncount < $7 OR failedlastlogon IS NULL OR failedlastlogon <= $8) -- lockout
 * RETURNING upn, secret, …
 * -- failure: N concurrent calls add exactly N
 * UPDATE secrets SET failedlogoncount = CASE WHEN failedlastlogon <= $4 THEN 1
 *        ELSE failedlogoncount + 1 END, failedlastlogon = $2, failedcode = $3
 *  WHERE upn_key = $1 RETURNING upn, secret, …
 * ```
 *
 * A restore (support's import, migrations) writes a whole record in one statement: an insert
 * that inserts nothing when the key exists, or one UPDATE of every field whose `laststep`
 * never goes back for the same secret:
 *
 * ```sql
 * INSERT INTO secrets (upn_key, upn, secret, …, created) VALUES ($1, …, $16)
 *   ON CONFLICT (upn_key) DO NOTHING          -- T-SQL: SELECT … WHERE NOT EXISTS (… WITH (UPDLOCK, HOLDLOCK) …)
 * UPDATE secrets SET secret = $2, …, laststep = CASE WHEN secret = $2 AND laststep > $12
 *        THEN laststep ELSE $12 END, … WHERE upn_key = $1
 * ```
 *
 * The lockout clause is the negation of "locked" (`failedlogoncount >= max AND failedlastlogon >
 * windowStart`) written without NOT, so a NULL `failedlastlogon` cannot turn it into UNKNOWN.
 *
 * @module store
 */
import type { SqlDialect } from './dialect.js';
import { RECORD_COLUMNS, REGISTRATION_COLUMNS } from './rows.js';

/** The statement texts of a SQL store, `$n` placeholders (parameters listed per statement). */
export interface StoreStatements {
  /** $1 upn_key → record row. */
  readonly get: string;
  /** $1 laststep, $2 lastlogon, $3 logonip, $4 useragent, $5 upn_key, $6 step → record row. */
  readonly accept: string;
  /** {@link accept} with `laststep <= $6` (totp_allow_reuse). */
  readonly acceptReuse: string;
  /** {@link accept} plus $7 maxFailures, $8 lastFailureAfter (lockout inside the UPDATE). */
  readonly acceptLockout: string;
  /** {@link acceptReuse} plus the lockout clause. */
  readonly acceptReuseLockout: string;
  /** $1 upn_key, $2 failedlastlogon, $3 failedcode → record row. */
  readonly fail: string;
  /** {@link fail} plus $4 restartIfLastFailureBefore (count restarts at 1). */
  readonly failRestart: string;
  /**
   * $1 upn_key, $2 upn, $3 secret, $4 email, $5 mobile, $6 created, $7 email given (1/0),
   * $8 mobile given (1/0) → record row. Insert, or re-enrol an existing row.
   */
  readonly enrol: string;
  /**
   * $1 upn_key, $2 upn, $3 secret, $4 enabled, $5 logon, $6 lastlogon, $7 logoncount,
   * $8 failedlogoncount, $9 failedlastlogon, $10 failedcode, $11 logonip, $12 useragent,
   * $13 laststep, $14 email, $15 mobile, $16 created. Inserts the whole record unless the key
   * exists: changes 1 row (created) or 0.
   */
  readonly restoreInsert: string;
  /**
   * $1 upn_key, $2 secret, $3 enabled, $4 logon, $5 lastlogon, $6 logoncount,
   * $7 failedlogoncount, $8 failedlastlogon, $9 failedcode, $10 logonip, $11 useragent,
   * $12 laststep, $13 email, $14 mobile, $15 created. Replaces every field of an existing row
   * (the UPN spelling stays) in one UPDATE; the reuse guard never goes back for the same secret.
   * Changes 1 row (replaced) or 0 (no such row).
   */
  readonly restoreReplace: string;
  /** $1 upn_key, $2 enabled (dialect boolean). */
  readonly setEnabled: string;
  /** $1 upn_key. */
  readonly resetLogon: string;
  /** $1 upn_key. */
  readonly unlock: string;
  /** $1 upn_key, $2 email given (1/0), $3 email, $4 mobile given (1/0), $5 mobile. */
  readonly setProfile: string;
  /** $1 upn_key, $2 expected secret, $3 next secret. */
  readonly replaceSecret: string;
  /** $1 upn_key. */
  readonly delete: string;
  /** $1 limit → record rows. */
  readonly list: string;
  /** $1 after (upn_key), $2 limit. */
  readonly listAfter: string;
  /** $1 LIKE pattern (escaped, `\` escape), $2 limit. */
  readonly listPrefix: string;
  /** $1 after, $2 LIKE pattern, $3 limit. */
  readonly listAfterPrefix: string;
  /** → one row: the number of records. */
  readonly count: string;
  /** $1 nonce, $2 expires, $3 now. Changes 1 row when first seen (or seen but expired), else 0. */
  readonly nonce: string;
  /** $1 now: drop expired nonces. */
  readonly nonceSweep: string;
  /** $1 provider, $2 version, $3 fingerprint, $4 updated. */
  readonly register: string;
  /** $1 provider → registration row. */
  readonly registration: string;
  /** $1 provider. */
  readonly unregister: string;
  /** Cheap query that touches the database file / server (and needs the schema). */
  readonly ping: string;
}

/** Statements of the migration runner: they work on a database without any table yet. */
export interface MigrationStatements {
  /** $1 table name → a row when that table exists. */
  readonly tableExists: string;
  /** → one row: the highest applied migration version (NULL when none). Needs the table. */
  readonly schemaVersion: string;
}

/**
 * Render the store's statements for a dialect.
 *
 * @param d - the dialect
 * @returns the statement texts (still with `$n` placeholders; the executor compiles them)
 * @example
 * ```ts
 * const sql = buildStatements(sqliteDialect);
 * db.prepare(compilePlaceholders(sql.accept, 'question').text);
 * ```
 */
export function buildStatements(d: SqlDialect): StoreStatements {
  const cols = RECORD_COLUMNS;
  const select = `SELECT ${cols.join(', ')} FROM secrets`;
  const acceptSet =
    'laststep = $1, logon = 1, lastlogon = $2, logoncount = logoncount + 1, ' +
    'failedlogoncount = 0, logonip = $3, useragent = $4';
  const notLocked =
    ' AND (failedlogoncount < $7 OR failedlastlogon IS NULL OR failedlastlogon <= $8)';
  const accept = (op: '<' | '<=', lockout: boolean): string =>
    d.updateReturning(
      'secrets',
      acceptSet,
      `upn_key = $5 AND enabled = ${d.trueLiteral} AND laststep ${op} $6${lockout ? notLocked : ''}`,
      cols,
    );
  const failSet = (count: string): string =>
    `failedlogoncount = ${count}, failedlastlogon = $2, failedcode = $3`;
  const byKey = (where: string, limitPh: string): string =>
    d.limit(`${select}${where} ORDER BY upn_key`, limitPh);
  const like = "LIKE $PH ESCAPE '\\'";
  return {
    get: `${select} WHERE upn_key = $1`,
    accept: accept('<', false),
    acceptReuse: accept('<=', false),
    acceptLockout: accept('<', true),
    acceptReuseLockout: accept('<=', true),
    fail: d.updateReturning('secrets', failSet('failedlogoncount + 1'), 'upn_key = $1', cols),
    failRestart: d.updateReturning(
      'secrets',
      failSet(
        'CASE WHEN failedlastlogon IS NOT NULL AND failedlastlogon <= $4 THEN 1 ' +
          'ELSE failedlogoncount + 1 END',
      ),
      'upn_key = $1',
      cols,
    ),
    enrol: d.upsert({
      table: 'secrets',
      key: 'upn_key',
      insert: {
        upn_key: '$1',
        upn: '$2',
        secret: '$3',
        enabled: d.trueLiteral,
        logon: '0',
        logoncount: '0',
        failedlogoncount: '0',
        laststep: '-1',
        email: '$4',
        mobile: '$5',
        created: '$6',
      },
      update:
        'secret = $3, logon = 0, laststep = -1, failedlogoncount = 0, failedlastlogon = NULL, ' +
        'failedcode = NULL, email = CASE WHEN $7 = 1 THEN $4 ELSE secrets.email END, ' +
        'mobile = CASE WHEN $8 = 1 THEN $5 ELSE secrets.mobile END',
      returning: cols,
    }),
    restoreInsert: d.insertIfAbsent({
      table: 'secrets',
      key: 'upn_key',
      insert: Object.fromEntries(
        ['upn_key', ...RECORD_COLUMNS].map((column, i) => [column, `$${i + 1}`]),
      ),
    }),
    restoreReplace:
      'UPDATE secrets SET secret = $2, enabled = $3, logon = $4, lastlogon = $5, logoncount = $6, ' +
      'failedlogoncount = $7, failedlastlogon = $8, failedcode = $9, logonip = $10, useragent = $11, ' +
      // Right-hand sides read the row as it was: `secret` here is the stored one.
      'laststep = CASE WHEN secret = $2 AND laststep > $12 THEN laststep ELSE $12 END, ' +
      'email = $13, mobile = $14, created = $15 WHERE upn_key = $1',
    setEnabled: 'UPDATE secrets SET enabled = $2 WHERE upn_key = $1',
    resetLogon: 'UPDATE secrets SET logon = 0, laststep = -1 WHERE upn_key = $1',
    unlock: 'UPDATE secrets SET failedlogoncount = 0, failedlastlogon = NULL WHERE upn_key = $1',
    setProfile:
      'UPDATE secrets SET email = CASE WHEN $2 = 1 THEN $3 ELSE email END, ' +
      'mobile = CASE WHEN $4 = 1 THEN $5 ELSE mobile END WHERE upn_key = $1',
    replaceSecret: 'UPDATE secrets SET secret = $3 WHERE upn_key = $1 AND secret = $2',
    delete: 'DELETE FROM secrets WHERE upn_key = $1',
    list: byKey('', '$1'),
    listAfter: byKey(' WHERE upn_key > $1', '$2'),
    listPrefix: byKey(` WHERE upn_key ${like.replace('$PH', '$1')}`, '$2'),
    listAfterPrefix: byKey(` WHERE upn_key > $1 AND upn_key ${like.replace('$PH', '$2')}`, '$3'),
    count: 'SELECT COUNT(*) FROM secrets',
    nonce: d.upsert({
      table: 'nonces',
      key: 'nonce',
      insert: { nonce: '$1', expires: '$2' },
      update: 'expires = $2',
      updateWhere: 'nonces.expires <= $3',
    }),
    nonceSweep: 'DELETE FROM nonces WHERE expires <= $1',
    register: d.upsert({
      table: 'providers',
      key: 'provider',
      insert: { provider: '$1', version: '$2', fingerprint: '$3', updated: '$4' },
      update: 'version = $2, fingerprint = $3, updated = $4',
    }),
    registration: `SELECT ${REGISTRATION_COLUMNS.join(', ')} FROM providers WHERE provider = $1`,
    unregister: 'DELETE FROM providers WHERE provider = $1',
    ping: 'SELECT COUNT(*) FROM schema_version',
  };
}

/**
 * Render the migration runner's statements for a dialect.
 *
 * @param d - the dialect
 * @returns the statement texts (`$n` placeholders)
 * @example
 * ```ts
 * const { tableExists } = buildMigrationStatements(postgresDialect);
 * ```
 */
export function buildMigrationStatements(d: SqlDialect): MigrationStatements {
  return {
    tableExists: d.tableExistsQuery,
    schemaVersion: 'SELECT MAX(version) FROM schema_version',
  };
}

/**
 * A `LIKE` pattern matching keys that start with `prefix` (lower-cased, as keys are), with the
 * wildcards `%` and `_` and the escape `\` escaped for `ESCAPE '\'`.
 *
 * @param prefix - the UPN prefix as the caller gave it
 * @returns the pattern to bind
 * @example
 * ```ts
 * likePrefixPattern('Ann_') // → 'ann\\_%'
 * ```
 */
export function likePrefixPattern(prefix: string): string {
  return `${prefix
    .trim()
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
