/**
 * The SQL scripts of every dialect, read from sql-scripts/ — no SQL Server is needed (none runs
 * here; TESTENV §6: the only offline T-SQL checker available is node-sql-parser):
 *
 * - every T-SQL batch the parser can check (TransactSQL grammar) parses, a corrupted copy of each
 *   CREATE/ALTER batch does not (so the check can fail), and the few batches beyond the parser
 *   (CREATE DATABASE … ON PRIMARY, logins, users, roles, GRANT … ON SCHEMA::) are named here and
 *   get lexical checks instead;
 * - the statements the MS SQL store runs: the ones the parser understands parse, the rest
 *   (OUTPUT, MERGE, FETCH with a parameter, LIKE … ESCAPE) are listed with the reason;
 * - the tables of every dialect have exactly the columns the store reads (DESIGN "User record"),
 *   each dialect's 0002 adds every column the originals' table lacks with the type 0001 gives it,
 *   and the numbers and names of the migrations are the same in every dialect.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import nodeSqlParser from 'node-sql-parser';
import { mssqlDialect } from '../src/store/sql/dialect.js';
import {
  listMigrations,
  splitBatches,
  sqlScriptsDir,
  type MigrationDialect,
} from '../src/store/sql/migrations.js';
import { compilePlaceholders } from '../src/store/sql/placeholders.js';
import { RECORD_COLUMNS, REGISTRATION_COLUMNS } from '../src/store/sql/rows.js';
import { buildMigrationStatements, buildStatements } from '../src/store/sql/statements.js';

const parser = new nodeSqlParser.Parser();
const GRAMMAR: Readonly<Record<MigrationDialect, string>> = {
  mssql: 'TransactSQL',
  postgres: 'postgresql',
  sqlite: 'sqlite',
};
const DIALECTS: readonly MigrationDialect[] = ['sqlite', 'postgres', 'mssql'];
const MSSQL_DIR = join(sqlScriptsDir(), 'mssql');
const DATABASE_SCRIPT = 'create_database_SecureMfaOTP.sql';

/** The columns every dialect's tables must have, in this order. */
const EXPECTED_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  schema_version: ['version', 'name', 'applied'],
  secrets: ['upn_key', ...RECORD_COLUMNS],
  providers: [...REGISTRATION_COLUMNS],
  nonces: ['nonce', 'expires'],
};

/** The columns of the originals' `secrets` table (seed 000 "SQL"): what 0002 starts from. */
const ORIGINAL_COLUMNS = ['upn', 'secret'];

/** Batches of the database script that the TransactSQL grammar does not cover (valid T-SQL). */
const BEYOND_PARSER: readonly [RegExp, string][] = [
  [/CREATE DATABASE[\s\S]*\bON PRIMARY/, 'CREATE DATABASE with file specifications'],
  [/\bCREATE LOGIN\b/, 'CREATE LOGIN'],
  [/\bCREATE USER\b/, 'CREATE USER'],
  [/\bCREATE ROLE\b/, 'CREATE ROLE'],
  [/\bON SCHEMA::/, 'GRANT … ON SCHEMA::'],
];

/** Store statements the grammar cannot read, and why (they are valid T-SQL). */
const STATEMENTS_BEYOND_PARSER: Readonly<Record<string, string>> = {
  accept: 'UPDATE … OUTPUT inserted.…',
  acceptReuse: 'UPDATE … OUTPUT inserted.…',
  acceptLockout: 'UPDATE … OUTPUT inserted.…',
  acceptReuseLockout: 'UPDATE … OUTPUT inserted.…',
  fail: 'UPDATE … OUTPUT inserted.…',
  failRestart: 'UPDATE … OUTPUT inserted.…',
  enrol: 'MERGE',
  nonce: 'MERGE',
  register: 'MERGE',
  list: 'OFFSET … FETCH NEXT @p ROWS',
  listAfter: 'OFFSET … FETCH NEXT @p ROWS',
  listPrefix: 'LIKE … ESCAPE, OFFSET … FETCH NEXT @p ROWS',
  listAfterPrefix: 'LIKE … ESCAPE, OFFSET … FETCH NEXT @p ROWS',
};

const withoutComments = (sql: string): string =>
  sql
    .split('\n')
    .map((l) => l.replace(/--.*$/, ''))
    .join('\n')
    .trim();

function parses(
  sql: string,
  grammar: string,
): { ok: true; ast: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, ast: parser.astify(sql, { database: grammar }) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message.slice(0, 200) : String(err) };
  }
}

/** Text outside string literals, bracketed identifiers and comments. */
function code(sql: string): string {
  return withoutComments(sql)
    .replace(/N?'(?:[^']|'')*'/g, "''")
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/"[^"]*"/g, '""');
}

/** Problems a T-SQL text shows without a parser (other dialects' syntax, broken nesting). */
function lexicalProblems(sql: string): string[] {
  const c = code(sql);
  const problems: string[] = [];
  let depth = 0;
  for (const ch of c) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0) break;
  }
  if (depth !== 0) problems.push('unbalanced parentheses');
  const foreign: [RegExp, string][] = [
    [/`/, 'MySQL backticks'],
    [/\bLIMIT\b/i, 'LIMIT (T-SQL: TOP / FETCH NEXT)'],
    [/\bRETURNING\b/i, 'RETURNING (T-SQL: OUTPUT)'],
    [/\bON CONFLICT\b/i, 'ON CONFLICT (T-SQL: MERGE)'],
    [/\bAUTO_?INCREMENT\b/i, 'AUTOINCREMENT (T-SQL: IDENTITY)'],
    [/\bSERIAL\b/i, 'SERIAL'],
    [/\bBOOLEAN\b/i, 'BOOLEAN (T-SQL: BIT)'],
    [/\bTIMESTAMPTZ\b/i, 'TIMESTAMPTZ (T-SQL: DATETIME2)'],
    [/\$\d/, '$n placeholders (tedious binds @pN)'],
    [/(?<!SCHEMA)::/, ':: cast'],
  ];
  for (const [re, what] of foreign) if (re.test(c)) problems.push(what);
  return problems;
}

/** Every node of a parsed tree. */
function* nodes(tree: unknown): Generator<Record<string, unknown>> {
  if (Array.isArray(tree)) {
    for (const x of tree) yield* nodes(x);
  } else if (typeof tree === 'object' && tree !== null) {
    yield tree as Record<string, unknown>;
    for (const v of Object.values(tree)) yield* nodes(v);
  }
}

/** A column name as the parser spells it (`column` is a string or `{expr: {value}}`). */
function columnName(column: unknown): string {
  const c = (column as { column?: unknown }).column;
  if (typeof c === 'string') return c;
  return String((c as { expr?: { value?: unknown } } | undefined)?.expr?.value);
}

interface ColumnDef {
  name: string;
  type: string;
}

function typeOf(definition: unknown): string {
  const d = definition as { dataType?: string; length?: number | string; scale?: number };
  const len =
    d.length === undefined
      ? ''
      : d.scale === undefined
        ? `(${d.length})`
        : `(${d.length},${d.scale})`;
  return `${String(d.dataType).toUpperCase()}${len}`;
}

/** Tables created by a script (any dialect, IF-wrapped or not): name → columns with types. */
function createdTables(grammar: string, statements: string[]): Map<string, ColumnDef[]> {
  const out = new Map<string, ColumnDef[]>();
  for (const st of statements) {
    const r = parses(st, grammar);
    if (!r.ok) throw new Error(`${grammar} does not parse: ${st.slice(0, 80)}… (${r.error})`);
    for (const n of nodes(r.ast)) {
      if (n.type !== 'create' || n.keyword !== 'table') continue;
      const table = String((n.table as { table: string }[])[0]?.table);
      const defs = (n.create_definitions as Record<string, unknown>[]).filter(
        (d) => d.resource === 'column',
      );
      out.set(
        table,
        defs.map((d) => ({ name: columnName(d.column), type: typeOf(d.definition) })),
      );
    }
  }
  return out;
}

/** Columns added by ALTER TABLE … ADD in a script: name → type. */
function addedColumns(grammar: string, statements: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const st of statements) {
    if (!/\bALTER TABLE\b[\s\S]*\bADD\b/i.test(st)) continue;
    const r = parses(st, grammar);
    if (!r.ok) throw new Error(`${grammar} does not parse: ${st.slice(0, 80)}… (${r.error})`);
    for (const n of nodes(r.ast)) {
      if (n.action === 'add' && n.resource === 'column') {
        out.set(columnName(n.column), typeOf(n.definition));
      }
    }
  }
  return out;
}

/** A script's statements: T-SQL batches at GO, other dialects at `;` line ends (no $$ bodies). */
function statementsOf(dialect: MigrationDialect, sql: string): string[] {
  if (dialect === 'mssql') return splitBatches(sql).map(withoutComments);
  const out: string[] = [];
  let current = '';
  let inDollar = false;
  for (const line of withoutComments(sql).split('\n')) {
    current += `${line}\n`;
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inDollar = !inDollar;
    if (!inDollar && /;\s*$/.test(line)) {
      out.push(current.trim());
      current = '';
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out;
}

const mssqlScripts = [
  ...listMigrations('mssql').map((m) => ({ file: m.file, sql: m.sql })),
  {
    file: join(MSSQL_DIR, DATABASE_SCRIPT),
    sql: readFileSync(join(MSSQL_DIR, DATABASE_SCRIPT), 'utf8'),
  },
];

describe('T-SQL scripts (sql-scripts/mssql) checked with node-sql-parser (TransactSQL)', () => {
  const batches = mssqlScripts.flatMap(({ file, sql }) =>
    splitBatches(sql).map((b, i) => ({
      label: `${file.split('/').pop()} batch ${i + 1}`,
      text: withoutComments(b),
      beyond: BEYOND_PARSER.find(([re]) => re.test(withoutComments(b)))?.[1],
    })),
  );
  const checkable = batches.filter((b) => b.beyond === undefined);

  it('the parser checks most batches: every migration batch, and the database script except the named ones', () => {
    expect(checkable.length).toBeGreaterThanOrEqual(30);
    const migrationBatches = batches.filter((b) => !b.label.startsWith(DATABASE_SCRIPT));
    expect(migrationBatches.every((b) => b.beyond === undefined)).toBe(true);
    const beyond = batches.filter((b) => b.beyond !== undefined).map((b) => b.beyond);
    expect(new Set(beyond)).toEqual(new Set(BEYOND_PARSER.map(([, what]) => what)));
  });

  it.each(checkable.map((b) => [b.label, b.text] as const))(
    '%s parses as T-SQL',
    (_label, text) => {
      const r = parses(text, 'TransactSQL');
      expect(r.ok ? 'parsed' : r.error).toBe('parsed');
    },
  );

  it.each(batches.map((b) => [b.label, b.text] as const))(
    "%s shows no other dialect's syntax and balanced parentheses",
    (_label, text) => {
      expect(lexicalProblems(text)).toEqual([]);
    },
  );

  it('a corrupted copy of each CREATE/ALTER batch fails to parse (the check can fail)', () => {
    const ddl = checkable.filter((b) =>
      /\b(CREATE TABLE|ALTER TABLE|CREATE (UNIQUE |NONCLUSTERED )*INDEX)\b/.test(b.text),
    );
    expect(ddl.length).toBeGreaterThanOrEqual(20);
    for (const b of ddl) {
      // A misspelt type where there is one, else a dropped closing parenthesis.
      const broken = /\b(NVARCHAR|BIGINT|DATETIME2|BIT|INT)\b/.test(b.text)
        ? b.text.replace(/\b(NVARCHAR|BIGINT|DATETIME2|BIT|INT)\b/, '$1X')
        : b.text.replace(/\)(?=[^)]*$)/, '');
      expect([b.label, parses(broken, 'TransactSQL').ok]).toEqual([b.label, false]);
    }
  });

  it('the lexical check catches what the parser would wrongly accept (LIMIT, backticks)', () => {
    expect(parses('SELECT upn FROM secrets LIMIT 1', 'TransactSQL').ok).toBe(true);
    expect(lexicalProblems('SELECT upn FROM secrets LIMIT 1')).toEqual([
      'LIMIT (T-SQL: TOP / FETCH NEXT)',
    ]);
    expect(lexicalProblems('SELECT `upn` FROM secrets WHERE (a = 1')).toEqual([
      'unbalanced parentheses',
      'MySQL backticks',
    ]);
  });

  it('creates the SecureMfaOTP database, an ADFS-style Windows service account, a SQL login and least-privilege roles', () => {
    const sql = code(readFileSync(join(MSSQL_DIR, DATABASE_SCRIPT), 'utf8'));
    expect(sql).toMatch(/IF DB_ID\(''\) IS NULL\s+CREATE DATABASE SecureMfaOTP/);
    expect(sql).toMatch(/CREATE LOGIN \[\] FROM WINDOWS/);
    expect(readFileSync(join(MSSQL_DIR, DATABASE_SCRIPT), 'utf8')).toContain('[ADATUM\\svc-adfs]');
    expect(sql).toMatch(/CREATE LOGIN securemfa_svc WITH PASSWORD = ''/);
    expect(sql).toMatch(/GRANT SELECT, INSERT, UPDATE, DELETE ON SCHEMA::dbo TO securemfa_service/);
    expect(sql).toMatch(/ALTER ROLE securemfa_service ADD MEMBER \[\]/);
    expect(sql).toMatch(/ALTER ROLE db_ddladmin ADD MEMBER securemfa_installer/);
    expect(sql).toMatch(/USE SecureMfaOTP;/);
    expect(sql).not.toMatch(/db_owner/);
  });

  it('indexes: clustered primary keys on the lookup keys, a nonclustered index for the nonce sweep, and the unique key the upgrade needs', () => {
    const m1 = code(listMigrations('mssql')[0]!.sql);
    for (const pk of ['pk_schema_version', 'pk_secrets', 'pk_providers', 'pk_nonces']) {
      expect(m1).toMatch(new RegExp(`CONSTRAINT ${pk} PRIMARY KEY CLUSTERED`));
    }
    expect(m1).toMatch(/CREATE NONCLUSTERED INDEX ix_nonces_expires ON dbo\.nonces \(expires\)/);
    expect(code(listMigrations('mssql')[1]!.sql)).toMatch(
      /CREATE UNIQUE INDEX ux_secrets_upn_key ON dbo\.secrets \(upn_key\)/,
    );
  });
});

describe('the statements the MS SQL store runs (rendered by the mssql dialect)', () => {
  const rendered = Object.entries({
    ...buildStatements(mssqlDialect),
    ...buildMigrationStatements(mssqlDialect),
  }).map(([name, sql]) => [name, compilePlaceholders(sql, 'at').text] as const);

  it('parses every statement the grammar covers; the others are exactly the listed forms', () => {
    const failed = rendered.filter(([, sql]) => !parses(sql, 'TransactSQL').ok).map(([n]) => n);
    expect(failed.sort()).toEqual(Object.keys(STATEMENTS_BEYOND_PARSER).sort());
    expect(rendered.length - failed.length).toBeGreaterThanOrEqual(12);
  });

  it.each(rendered)("%s uses @pN parameters and no other dialect's syntax", (_name, sql) => {
    expect(lexicalProblems(sql)).toEqual([]);
    expect(sql).not.toMatch(/\?/);
  });

  it('the farm operations are single statements: UPDATE … OUTPUT … WHERE, MERGE … WITH (HOLDLOCK) …;', () => {
    const s = buildStatements(mssqlDialect);
    for (const name of [
      'accept',
      'acceptReuse',
      'acceptLockout',
      'acceptReuseLockout',
      'fail',
      'failRestart',
    ] as const) {
      expect(s[name]).toMatch(
        /^UPDATE secrets SET [^;]+ OUTPUT inserted\.upn, [^;]+ WHERE upn_key = \$\d+/,
      );
    }
    for (const name of ['enrol', 'nonce', 'register'] as const) {
      expect(s[name]).toMatch(
        /^MERGE INTO \w+ WITH \(HOLDLOCK\) USING \(SELECT \$1 AS merge_key\) AS merge_source [\s\S]+;$/,
      );
    }
  });
});

describe('the same tables and migrations in every dialect', () => {
  it('numbers and names the migrations alike in sqlite, postgres and mssql', () => {
    const plan = (d: MigrationDialect) => listMigrations(d).map((m) => `${m.version} ${m.name}`);
    expect(plan('postgres')).toEqual(plan('sqlite'));
    expect(plan('mssql')).toEqual(plan('sqlite'));
    expect(plan('sqlite')).toEqual(['1 create_database', '2 upgrade_from_previous_version']);
  });

  it.each(DIALECTS)('%s: every migration records its own version in schema_version', (d) => {
    for (const m of listMigrations(d)) {
      const inserts = [
        ...code(m.sql).matchAll(
          /INSERT INTO (?:dbo\.)?schema_version \([^)]*\)\s*VALUES \((\d+),/g,
        ),
      ];
      expect([m.file, inserts.map((x) => Number(x[1]))]).toEqual([m.file, [m.version]]);
    }
  });

  it.each(DIALECTS)('%s: 0001 creates exactly the columns the store reads', (d) => {
    const m1 = listMigrations(d)[0]!;
    const tables = createdTables(GRAMMAR[d], statementsOf(d, m1.sql));
    expect([...tables.keys()].sort()).toEqual(Object.keys(EXPECTED_COLUMNS).sort());
    for (const [table, columns] of Object.entries(EXPECTED_COLUMNS)) {
      expect([table, tables.get(table)?.map((c) => c.name)]).toEqual([table, columns]);
    }
  });

  it.each(['postgres', 'mssql'] as const)(
    "%s: 0002 adds every column the originals' table lacks, each with the type 0001 gives it",
    (d) => {
      const [m1, m2] = listMigrations(d);
      const created = createdTables(GRAMMAR[d], statementsOf(d, m1!.sql)).get('secrets')!;
      const added = addedColumns(GRAMMAR[d], statementsOf(d, m2!.sql));
      const lacking = EXPECTED_COLUMNS.secrets!.filter((c) => !ORIGINAL_COLUMNS.includes(c));
      expect([...added.keys()].sort()).toEqual([...lacking].sort());
      for (const [name, type] of added) {
        expect([name, type]).toEqual([name, created.find((c) => c.name === name)?.type]);
      }
    },
  );

  it('the MS SQL column sizes hold what the store writes (useragent 512, logonip 64, failedcode ≥ 13)', () => {
    const m1 = listMigrations('mssql')[0]!;
    const cols = createdTables('TransactSQL', statementsOf('mssql', m1.sql)).get('secrets')!;
    const type = (n: string) => cols.find((c) => c.name === n)?.type;
    expect(type('useragent')).toBe('NVARCHAR(512)');
    expect(type('logonip')).toBe('NVARCHAR(64)');
    expect(type('failedcode')).toBe('NVARCHAR(16)'); // '<non-numeric>' is 13 characters
    expect(type('laststep')).toBe('BIGINT'); // a 1-second step is beyond 2^31
    expect(type('lastlogon')).toBe('DATETIME2(3)'); // milliseconds survive
  });
});
