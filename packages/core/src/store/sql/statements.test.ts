import { describe, expect, it } from '@jest/globals';
import { mssqlDialect, postgresDialect, sqliteDialect, type SqlDialect } from './dialect.js';
import { compilePlaceholders } from './placeholders.js';
import { RECORD_COLUMNS } from './rows.js';
import { buildMigrationStatements, buildStatements, likePrefixPattern } from './statements.js';

const cols = RECORD_COLUMNS.join(', ');
const dialects: SqlDialect[] = [sqliteDialect, postgresDialect, mssqlDialect];

describe('buildStatements', () => {
  it('accept is one conditional UPDATE … RETURNING with the reuse guard (SQLite)', () => {
    const s = buildStatements(sqliteDialect);
    expect(s.accept).toBe(
      'UPDATE secrets SET laststep = $1, logon = 1, lastlogon = $2, logoncount = logoncount + 1, ' +
        'failedlogoncount = 0, logonip = $3, useragent = $4 ' +
        `WHERE upn_key = $5 AND enabled = 1 AND laststep < $6 RETURNING ${cols}`,
    );
    expect(s.acceptReuse).toContain('AND laststep <= $6 RETURNING');
    expect(s.acceptLockout).toContain(
      'AND laststep < $6 AND (failedlogoncount < $7 OR failedlastlogon IS NULL OR failedlastlogon <= $8) RETURNING',
    );
    expect(s.acceptReuseLockout).toContain('laststep <= $6 AND (failedlogoncount < $7');
  });

  it('failure is one UPDATE … RETURNING; the restart variant resets to 1 in the same statement', () => {
    const s = buildStatements(sqliteDialect);
    expect(s.fail).toBe(
      'UPDATE secrets SET failedlogoncount = failedlogoncount + 1, failedlastlogon = $2, ' +
        `failedcode = $3 WHERE upn_key = $1 RETURNING ${cols}`,
    );
    expect(s.failRestart).toContain(
      'failedlogoncount = CASE WHEN failedlastlogon IS NOT NULL AND failedlastlogon <= $4 THEN 1 ELSE failedlogoncount + 1 END',
    );
    expect(s.fail.split(' WHERE ')[0]).not.toMatch(/logonip|useragent/);
  });

  it('renders PostgreSQL with boolean literals and ON CONFLICT upserts', () => {
    const s = buildStatements(postgresDialect);
    expect(s.accept).toContain('AND enabled = TRUE AND laststep < $6');
    expect(s.enrol).toMatch(
      /^INSERT INTO secrets \(upn_key, upn, secret, enabled, .*\) VALUES \(\$1, \$2, \$3, TRUE, .*\) ON CONFLICT \(upn_key\) DO UPDATE SET secret = \$3, .* RETURNING upn, /,
    );
    expect(s.nonce).toBe(
      'INSERT INTO nonces (nonce, expires) VALUES ($1, $2) ON CONFLICT (nonce) DO UPDATE SET expires = $2 WHERE nonces.expires <= $3',
    );
    expect(s.list).toBe(`SELECT ${cols} FROM secrets ORDER BY upn_key LIMIT $1`);
  });

  it('renders MS SQL with OUTPUT inserted.*, MERGE … WITH (HOLDLOCK) and FETCH NEXT', () => {
    const s = buildStatements(mssqlDialect);
    expect(s.accept).toMatch(
      /^UPDATE secrets SET laststep = \$1, .* OUTPUT inserted\.upn, inserted\.secret, .*inserted\.created WHERE upn_key = \$5 AND enabled = 1 AND laststep < \$6$/,
    );
    expect(s.nonce).toBe(
      'MERGE INTO nonces WITH (HOLDLOCK) USING (SELECT $1 AS merge_key) AS merge_source ' +
        'ON nonces.nonce = merge_source.merge_key ' +
        'WHEN MATCHED AND nonces.expires <= $3 THEN UPDATE SET expires = $2 ' +
        'WHEN NOT MATCHED THEN INSERT (nonce, expires) VALUES ($1, $2);',
    );
    expect(s.enrol).toMatch(/WHEN NOT MATCHED THEN INSERT .* OUTPUT inserted\.upn, .*;$/);
    expect(s.listAfter).toBe(
      `SELECT ${cols} FROM secrets WHERE upn_key > $1 ORDER BY upn_key OFFSET 0 ROWS FETCH NEXT $2 ROWS ONLY`,
    );
    expect(compilePlaceholders(s.setEnabled, 'at').text).toBe(
      'UPDATE secrets SET enabled = @p2 WHERE upn_key = @p1',
    );
  });

  it('restore: one insert that inserts nothing when the key exists, one UPDATE of every field with the reuse guard', () => {
    const values = Array.from({ length: 16 }, (_, i) => `$${i + 1}`).join(', ');
    for (const d of [sqliteDialect, postgresDialect]) {
      expect(buildStatements(d).restoreInsert).toBe(
        `INSERT INTO secrets (upn_key, ${cols}) VALUES (${values}) ON CONFLICT (upn_key) DO NOTHING`,
      );
    }
    expect(buildStatements(mssqlDialect).restoreInsert).toBe(
      `INSERT INTO secrets (upn_key, ${cols}) SELECT ${values} ` +
        'WHERE NOT EXISTS (SELECT 1 FROM secrets WITH (UPDLOCK, HOLDLOCK) WHERE upn_key = $1)',
    );
    for (const d of dialects) {
      const replace = buildStatements(d).restoreReplace;
      expect(replace).toMatch(/^UPDATE secrets SET secret = \$2, .* WHERE upn_key = \$1$/);
      expect(replace).toContain(
        'laststep = CASE WHEN secret = $2 AND laststep > $12 THEN laststep ELSE $12 END',
      );
      // Every record column but the UPN (the stored spelling stays) is assigned once.
      const assignments = replace
        .replace(/^UPDATE secrets SET /, '')
        .replace(/ WHERE upn_key = \$1$/, '')
        .split(', ');
      for (const column of RECORD_COLUMNS.filter((c) => c !== 'upn')) {
        expect([column, assignments.filter((p) => p.startsWith(`${column} = `)).length]).toEqual([
          column,
          1,
        ]);
      }
      expect(replace).not.toMatch(/\bupn = /);
    }
  });

  it.each(dialects.map((d) => [d.name, d] as const))(
    '%s: every statement numbers its parameters 1…n without gaps',
    (_name, d) => {
      const all = { ...buildStatements(d), ...buildMigrationStatements(d) };
      for (const [name, sql] of Object.entries(all)) {
        const c = compilePlaceholders(sql, d.placeholderStyle);
        const used = new Set(c.order);
        expect([name, used.size]).toEqual([name, c.arity]);
      }
    },
  );

  it('qualifies existing-row columns in upsert updates and never aliases the target', () => {
    for (const d of dialects) {
      const s = buildStatements(d);
      expect(s.enrol).toContain('ELSE secrets.email END');
      expect(s.enrol).not.toMatch(/SET secrets\.|\bAS t\b/);
    }
  });
});

describe('likePrefixPattern', () => {
  it('lower-cases, trims and escapes LIKE wildcards and the escape character', () => {
    expect(likePrefixPattern(' Ann_')).toBe('ann\\_%');
    expect(likePrefixPattern('100%\\')).toBe('100\\%\\\\%');
    expect(likePrefixPattern("x' OR '1'='1")).toBe("x' or '1'='1%");
  });
});
