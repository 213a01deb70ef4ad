import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { listMigrations, planMigrations, sqlScriptsDir, type Migration } from './migrations.js';

const tmp = mkdtempSync(join(tmpdir(), 'securemfa-migrations-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const m = (version: number): Migration => ({
  version,
  name: `m${version}`,
  file: `/x/${version}.sql`,
  sql: '',
});

describe('planMigrations', () => {
  const all = [m(1), m(2), m(3)];

  it('returns the scripts newer than the database, in order', () => {
    expect(planMigrations(0, all, 'db').map((x) => x.version)).toEqual([1, 2, 3]);
    expect(planMigrations(2, all, 'db').map((x) => x.version)).toEqual([3]);
    expect(planMigrations(3, all, 'db')).toEqual([]);
  });

  it('refuses a database newer than the scripts with ERR_STORE_SCHEMA', () => {
    expect(() => planMigrations(4, all, '/srv/otp.db')).toThrow(
      expect.objectContaining({
        code: 'ERR_STORE_SCHEMA',
        message: expect.stringContaining('/srv/otp.db is at schema version 4'),
      }),
    );
    expect(() => planMigrations(1, [], 'db')).toThrow(/newer than this SecureMFA knows \(0\)/);
  });
});

describe('listMigrations', () => {
  it('reads NNNN_<what>.sql in order and ignores other files', () => {
    const dir = join(tmp, 'ok');
    mkdirSync(join(dir, 'postgres'), { recursive: true });
    writeFileSync(join(dir, 'postgres', '0002_add_thing.sql'), 'B');
    writeFileSync(join(dir, 'postgres', '0001_create_database.sql'), 'A');
    writeFileSync(join(dir, 'postgres', 'README.md'), 'not a script');
    writeFileSync(join(dir, 'postgres', '0003_Bad-Name.sql'), 'ignored');
    const list = listMigrations('postgres', dir);
    expect(list.map(({ version, name, sql }) => ({ version, name, sql }))).toEqual([
      { version: 1, name: 'create_database', sql: 'A' },
      { version: 2, name: 'add_thing', sql: 'B' },
    ]);
    expect(list[0]?.file).toBe(join(dir, 'postgres', '0001_create_database.sql'));
  });

  it('rejects gaps and duplicates, and a missing folder, with ERR_STORE_SCHEMA', () => {
    const dir = join(tmp, 'gap');
    mkdirSync(join(dir, 'mssql'), { recursive: true });
    writeFileSync(join(dir, 'mssql', '0002_b.sql'), '');
    expect(() => listMigrations('mssql', dir)).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_SCHEMA' }),
    );
    writeFileSync(join(dir, 'mssql', '0001_a.sql'), '');
    writeFileSync(join(dir, 'mssql', '0002_c.sql'), '');
    expect(() => listMigrations('mssql', dir)).toThrow(/without gaps or duplicates/);
    expect(() => listMigrations('sqlite', join(tmp, 'nowhere'))).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_SCHEMA' }),
    );
  });
});

describe('sqlScriptsDir', () => {
  it('walks up from a nested folder to the first sql-scripts holding the SQLite 0001 script', () => {
    const root = join(tmp, 'walk');
    const deep = join(root, 'packages', 'core', 'dist', 'store', 'sql');
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(root, 'sql-scripts', 'sqlite'), { recursive: true });
    writeFileSync(join(root, 'sql-scripts', 'sqlite', '0001_create_database.sql'), '');
    // A sql-scripts folder without the marker script on the way up is skipped.
    mkdirSync(join(root, 'packages', 'core', 'sql-scripts'), { recursive: true });
    expect(sqlScriptsDir({}, deep)).toBe(join(root, 'sql-scripts'));
  });

  it('prefers SECUREMFA_SQL_SCRIPTS, and fails with a hint naming it when nothing is found', () => {
    expect(sqlScriptsDir({ SECUREMFA_SQL_SCRIPTS: '/opt/securemfa/sql-scripts' }, tmp)).toBe(
      '/opt/securemfa/sql-scripts',
    );
    expect(() => sqlScriptsDir({}, join(tmp))).toThrow(
      expect.objectContaining({
        code: 'ERR_STORE_SCHEMA',
        hint: expect.stringContaining('SECUREMFA_SQL_SCRIPTS'),
      }),
    );
  });

  it('finds the repository scripts from this module by default', () => {
    expect(listMigrations('sqlite').map((x) => x.name)[0]).toBe('create_database');
  });
});
