import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, afterAll } from '@jest/globals';
import Database from 'better-sqlite3';
import { describeUserStoreContract } from '@securemfa/testkit';
import { openSqliteStore } from '../src/store/sqlite.js';
import { listMigrations, sqlScriptsDir } from '../src/store/sql/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'securemfa-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeUserStoreContract('sqlite (file, two connections)', async () => {
  const path = join(dir, 'contract.db');
  const store = await openSqliteStore({ path });
  return {
    store,
    openSecond: () => openSqliteStore({ path }),
    cleanup: () => store.close(),
  };
});

describe('SQLite store specifics', () => {
  it('creates the schema on open, records the version, and re-running migrations changes nothing', async () => {
    const path = join(dir, 'migrate.db');
    const store = await openSqliteStore({ path });
    const latest = listMigrations('sqlite').length;
    expect(store.schemaVersion()).toBe(latest);
    expect(store.migrate()).toEqual([]);
    await store.close();
    const db = new Database(path, { readonly: true });
    const cols = (db.prepare('PRAGMA table_info(secrets)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['upn', 'secret', 'enabled', 'logon', 'lastlogon', 'logoncount', 'failedlogoncount', 'failedlastlogon', 'failedcode', 'logonip', 'useragent', 'laststep']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a database newer than this code with ERR_STORE_SCHEMA and a hint', async () => {
    const path = join(dir, 'newer.db');
    (await openSqliteStore({ path })).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, name, applied) VALUES (999, ?, ?)').run('future', Date.now());
    db.close();
    await expect(openSqliteStore({ path })).rejects.toMatchObject({ code: 'ERR_STORE_SCHEMA', hint: expect.stringContaining('upgrade') });
  });

  it('without migrate, an empty database is reported as missing its tables', async () => {
    await expect(openSqliteStore({ path: join(dir, 'empty.db'), migrate: false })).rejects.toMatchObject({
      code: 'ERR_STORE_SCHEMA',
    });
  });

  it('reports an unopenable path as ERR_STORE_UNAVAILABLE naming the path', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(openSqliteStore({ path: join(file, 'db.sqlite') })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('a-file'),
    });
  });

  it('finds the sql-scripts folder and rejects a gap in the numbering', () => {
    expect(sqlScriptsDir()).toMatch(/sql-scripts$/);
    const bad = join(dir, 'scripts');
    mkdirSync(join(bad, 'sqlite'), { recursive: true });
    writeFileSync(join(bad, 'sqlite', '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(bad, 'sqlite', '0003_c.sql'), 'SELECT 1;');
    expect(() => listMigrations('sqlite', bad)).toThrow(/without gaps/);
  });
});
