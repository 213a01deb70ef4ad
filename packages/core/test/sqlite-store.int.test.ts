// The SQLite store against real database files in a temp folder: the UserStore contract over
// two connections, migrations, error mapping and lock waiting. The accept path's speed lives in
// tools/bench (suite `accept`), not here.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { describeUserStoreContract } from '@securemfa/testkit';
import { openStore, storeOptionsFromConfig } from '../src/store/open-store.js';
import { listMigrations, sqlScriptsDir } from '../src/store/sql/migrations.js';
import { openSqliteStore, SqliteStore } from '../src/store/sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'securemfa-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const now = new Date('2026-03-01T08:00:00.000Z');
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
let fileNo = 0;
const dbFile = (label: string): string => join(dir, `${label}-${(fileNo += 1)}.db`);

describeUserStoreContract(
  'sqlite (file, two connections)',
  async () => {
    const path = dbFile('contract');
    const store = await openSqliteStore({ path });
    return { store, openSecond: () => openSqliteStore({ path }), cleanup: () => store.close() };
  },
  { raceNodes: 3 },
);

describeUserStoreContract('sqlite (:memory:, one connection)', async () => {
  const store = await openSqliteStore({ path: ':memory:' });
  return { store, cleanup: () => store.close() };
});

describe('SQLite schema and migrations', () => {
  it('creates the schema on open, records versions 1 and 2, and migrating again changes nothing', async () => {
    const path = dbFile('migrate');
    const store = await openSqliteStore({ path });
    expect(await store.schemaVersion()).toBe(listMigrations('sqlite').length);
    expect(await store.migrate()).toEqual([]);
    expect(store.availableMigrations().map((m) => m.name)[0]).toBe('create_database');
    await store.close();
    const db = new Database(path, { readonly: true });
    const columns = (table: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string }[]).map(
        (c) => `${c.name} ${c.type}`,
      );
    expect(columns('secrets')).toEqual([
      'upn_key TEXT',
      'upn TEXT',
      'secret TEXT',
      'enabled INTEGER',
      'logon INTEGER',
      'lastlogon INTEGER',
      'logoncount INTEGER',
      'failedlogoncount INTEGER',
      'failedlastlogon INTEGER',
      'failedcode TEXT',
      'logonip TEXT',
      'useragent TEXT',
      'laststep INTEGER',
      'email TEXT',
      'mobile TEXT',
      'created INTEGER',
    ]);
    expect(columns('providers')).toEqual([
      'provider TEXT',
      'version TEXT',
      'fingerprint TEXT',
      'updated INTEGER',
    ]);
    expect(columns('nonces')).toEqual(['nonce TEXT', 'expires INTEGER']);
    expect(db.prepare('SELECT version, name FROM schema_version ORDER BY version').all()).toEqual([
      { version: 1, name: 'create_database' },
      { version: 2, name: 'upgrade_from_previous_version' },
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('stores the key lower-cased, times as integer milliseconds and flags as 0/1', async () => {
    const path = dbFile('columns');
    const store = await openSqliteStore({ path });
    await store.enrol(' Ann.Lee@Adatum.LabNet ', SECRET, now);
    await store.acceptCode('ann.lee@adatum.labnet', 7, { ip: '::1' }, now, { allowReuse: false });
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(
      db
        .prepare('SELECT upn_key, upn, enabled, logon, lastlogon, created, laststep FROM secrets')
        .get(),
    ).toEqual({
      upn_key: 'ann.lee@adatum.labnet',
      upn: 'Ann.Lee@Adatum.LabNet',
      enabled: 1,
      logon: 1,
      lastlogon: now.getTime(),
      created: now.getTime(),
      laststep: 7,
    });
    db.close();
  });

  it('a database created by applying the scripts by hand opens without migrating', async () => {
    const path = dbFile('by-hand');
    const db = new Database(path);
    for (const m of listMigrations('sqlite')) db.exec(m.sql);
    db.close();
    const store = await openSqliteStore({ path, migrate: false });
    expect(await store.schemaVersion()).toBe(2);
    await store.enrol('dba@adatum.labnet', SECRET, now);
    expect(await store.count()).toBe(1);
    await store.close();
  });

  it('refuses a database newer than this code with ERR_STORE_SCHEMA and an upgrade hint', async () => {
    const path = dbFile('newer');
    await (await openSqliteStore({ path })).close();
    const db = new Database(path);
    db.prepare('INSERT INTO schema_version (version, name, applied) VALUES (99, ?, ?)').run(
      'future',
      Date.now(),
    );
    db.close();
    for (const migrate of [true, false]) {
      await expect(openSqliteStore({ path, migrate })).rejects.toMatchObject({
        code: 'ERR_STORE_SCHEMA',
        message: expect.stringContaining('schema version 99'),
        hint: expect.stringContaining('upgrade SecureMFA'),
      });
    }
  });

  it('without migrate: a missing file is unavailable (and not created), an empty one has no schema', async () => {
    const missing = dbFile('missing');
    await expect(openSqliteStore({ path: missing, migrate: false })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining(missing),
      hint: expect.stringContaining('install'),
    });
    expect(existsSync(missing)).toBe(false);
    const empty = dbFile('empty');
    new Database(empty).close();
    await expect(openSqliteStore({ path: empty, migrate: false })).rejects.toMatchObject({
      code: 'ERR_STORE_SCHEMA',
      message: expect.stringContaining('schema version 0'),
    });
  });

  it('applies a failing migration not at all (one transaction) and names the problem', async () => {
    const scripts = join(dir, `scripts-${(fileNo += 1)}`);
    mkdirSync(join(scripts, 'sqlite'), { recursive: true });
    copyFileSync(
      join(sqlScriptsDir(), 'sqlite', '0001_create_database.sql'),
      join(scripts, 'sqlite', '0001_create_database.sql'),
    );
    const path = dbFile('failing');
    await (await openSqliteStore({ path, scriptsDir: scripts })).close();
    writeFileSync(
      join(scripts, 'sqlite', '0002_broken.sql'),
      'CREATE TABLE half_done (x INTEGER);\nALTER TABLE nowhere ADD COLUMN y INTEGER;\n',
    );
    await expect(openSqliteStore({ path, scriptsDir: scripts })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('nowhere'),
    });
    writeFileSync(
      join(scripts, 'sqlite', '0002_broken.sql'),
      'CREATE TABLE forgetful (x INTEGER);\n',
    );
    await expect(openSqliteStore({ path, scriptsDir: scripts })).rejects.toMatchObject({
      code: 'ERR_STORE_SCHEMA',
      message: expect.stringContaining('did not record version 2'),
    });
    const db = new Database(path, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['nonces', 'providers', 'schema_version', 'secrets']);
    db.close();
  });

  it('finds the sql-scripts folder by walking up, honours the override, rejects gaps', () => {
    expect(sqlScriptsDir()).toMatch(/sql-scripts$/);
    expect(existsSync(join(sqlScriptsDir(), 'sqlite', '0001_create_database.sql'))).toBe(true);
    expect(sqlScriptsDir({ SECUREMFA_SQL_SCRIPTS: dir })).toBe(dir);
    expect(() => sqlScriptsDir({}, tmpdir())).toThrow(/cannot find the sql-scripts folder/);
    const bad = join(dir, `gap-${(fileNo += 1)}`);
    mkdirSync(join(bad, 'sqlite'), { recursive: true });
    writeFileSync(join(bad, 'sqlite', '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(bad, 'sqlite', '0003_c.sql'), 'SELECT 1;');
    expect(() => listMigrations('sqlite', bad)).toThrow(/without gaps/);
  });
});

describe('SQLite errors', () => {
  it('reports an unopenable path as ERR_STORE_UNAVAILABLE naming the path', async () => {
    const file = join(dir, `a-file-${(fileNo += 1)}`);
    writeFileSync(file, 'x');
    await expect(openSqliteStore({ path: join(file, 'db.sqlite') })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining(file),
      hint: expect.stringContaining('sqlite_path'),
    });
  });

  it('reports a file that is not a database as ERR_STORE_UNAVAILABLE with a hint', async () => {
    const path = dbFile('garbage');
    writeFileSync(path, 'this is not a database, just some text that is long enough'.repeat(20));
    await expect(openSqliteStore({ path })).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('not a SQLite database'),
      hint: expect.stringContaining('sqlite_path'),
    });
  });

  it('a lock held longer than busy_timeout becomes ERR_STORE_UNAVAILABLE without secrets in it', async () => {
    const path = dbFile('busy');
    const store = await openSqliteStore({ path, busyTimeoutMs: 50 });
    await store.enrol('busy@adatum.labnet', SECRET, now);
    const holder = new Database(path);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const err = await store.replaceSecret('busy@adatum.labnet', SECRET, 'NEWSECRETVALUE').then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string; hint: string },
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
      expect(err).toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: expect.stringContaining(path),
        hint: expect.stringContaining('busy timeout'),
      });
      expect(err?.message).toMatch(/locked .* more than 50 ms/);
      expect(`${err?.message} ${err?.hint}`).not.toMatch(/JBSWY3DP|NEWSECRETVALUE/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await store.replaceSecret('busy@adatum.labnet', SECRET, 'NEWSECRETVALUE')).toBe(true);
    await store.close();
  });

  it('waits for another process’s write lock instead of failing', async () => {
    const path = dbFile('wait');
    const store = await openSqliteStore({ path });
    await store.enrol('wait@adatum.labnet', SECRET, now);
    const child = spawn(process.execPath, [join(fixtures, 'lock-holder.mjs'), path, '400'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('lock holder did not start')), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const started = Date.now();
    const res = await store.acceptCode('wait@adatum.labnet', 1, {}, now, { allowReuse: false });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(await exited).toBe(0);
    await store.close();
  }, 30_000);

  it('a read-only store reads, and a write through it is ERR_STORE_UNAVAILABLE', async () => {
    const path = dbFile('readonly');
    const writer = await openSqliteStore({ path });
    await writer.enrol('ro@adatum.labnet', SECRET, now);
    const reader = await openSqliteStore({ path, readonly: true });
    expect((await reader.get('RO@adatum.labnet'))?.upn).toBe('ro@adatum.labnet');
    await expect(reader.setEnabled('ro@adatum.labnet', false)).rejects.toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    expect((await writer.get('ro@adatum.labnet'))?.enabled).toBe(true);
    await Promise.all([reader.close(), writer.close()]);
  });

  it('rejects misuse with TypeErrors before touching the database', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    await expect(store.acceptCode('a@x.test', 1.5, {}, now, { allowReuse: false })).rejects.toThrow(
      TypeError,
    );
    await expect(store.enrol('', SECRET, now)).rejects.toThrow(TypeError);
    await expect(store.rememberNonce('', now, now)).rejects.toThrow(TypeError);
    await expect(openSqliteStore({ path: '' })).rejects.toThrow(TypeError);
    await expect(openSqliteStore({ path: ':memory:', busyTimeoutMs: -1 })).rejects.toThrow(
      /busyTimeoutMs/,
    );
    await expect(
      openSqliteStore({ path: ':memory:', synchronous: 'OFF' as never }),
    ).rejects.toThrow('"synchronous" must be FULL or NORMAL, got "OFF"');
    await store.close();
  });

  it('commits durably by default (synchronous FULL) and uses NORMAL only when asked', async () => {
    const full = await openSqliteStore({ path: join(dir, `sync-full-${(fileNo += 1)}.db`) });
    const normal = await openSqliteStore({
      path: join(dir, `sync-normal-${(fileNo += 1)}.db`),
      synchronous: 'NORMAL',
    });
    expect([full.synchronous, normal.synchronous]).toEqual(['FULL', 'NORMAL']);
    await full.close();
    await normal.close();
  });
});

describe('SQLite group commit', () => {
  const meta = { ip: '192.0.2.7' };
  const opts = { allowReuse: false };

  it('commits the writes started in one turn together, each with its own result, durably', async () => {
    const path = dbFile('group');
    const store = await openSqliteStore({ path });
    const upns = Array.from({ length: 64 }, (_, i) => `g${i}@example.test`);
    for (const upn of upns) await store.enrol(upn, SECRET, now);
    const before = store.writeStats;
    const results = await Promise.all(
      upns.map((upn, i) => store.acceptCode(upn, 100 + i, meta, now, opts)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const after = store.writeStats;
    expect(after.writes - before.writes).toBe(64);
    expect(after.commits - before.commits).toBeLessThan(8); // one fsync per batch, not per write
    await store.close();
    const again = await openSqliteStore({ path });
    for (const [i, upn] of upns.entries()) expect((await again.get(upn))?.laststep).toBe(100 + i);
    await again.close();
  });

  it('within one batch the conditional UPDATE still lets exactly one of 64 same-step accepts win', async () => {
    const store = await openSqliteStore({ path: dbFile('group-race') });
    await store.enrol('race@example.test', SECRET, now);
    const results = await Promise.all(
      Array.from({ length: 64 }, () => store.acceptCode('race@example.test', 500, meta, now, opts)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'reused')).toHaveLength(63);
    expect((await store.get('race@example.test'))?.logoncount).toBe(1);
    await store.close();
  });

  it('a statement that fails inside a batch fails alone; the others commit', async () => {
    const path = dbFile('group-fail');
    const store = await openSqliteStore({ path });
    const upns = ['ok1@example.test', 'bad@example.test', 'ok2@example.test'];
    for (const upn of upns) await store.enrol(upn, SECRET, now);
    const raw = new Database(path);
    raw.exec(
      "CREATE TRIGGER refuse_bad BEFORE UPDATE ON secrets WHEN NEW.upn_key = 'bad@example.test' BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END",
    );
    raw.close();
    const settled = await Promise.allSettled(
      upns.map((upn) => store.acceptCode(upn, 42, meta, now, opts)),
    );
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
    });
    expect((await store.get('ok1@example.test'))?.laststep).toBe(42);
    expect((await store.get('ok2@example.test'))?.laststep).toBe(42);
    expect((await store.get('bad@example.test'))?.laststep).toBe(-1);
    await store.close();
  });

  it('close() commits the writes already started before it closes the file', async () => {
    const path = dbFile('group-close');
    const store = await openSqliteStore({ path });
    await store.enrol('late@example.test', SECRET, now);
    const pending = store.acceptCode('late@example.test', 7, meta, now, opts);
    await store.close();
    await expect(pending).resolves.toMatchObject({ ok: true });
    const again = await openSqliteStore({ path });
    expect((await again.get('late@example.test'))?.laststep).toBe(7);
    await again.close();
  });
});

describe('openStore with SQLite', () => {
  it('opens the configured sqlite_path relative to the config folder', async () => {
    const cwd = join(dir, `cfg-${(fileNo += 1)}`);
    mkdirSync(cwd);
    const options = storeOptionsFromConfig({ auth_mode: 'SQLITE', sqlite_path: 'otp.db' }, { cwd });
    const store = await openStore(options);
    expect(store).toBeInstanceOf(SqliteStore);
    expect(store.kind).toBe('sqlite');
    await store.enrol('cfg@adatum.labnet', SECRET, now);
    await store.close();
    expect(existsSync(join(cwd, 'otp.db'))).toBe(true);
    const typed = await openStore({ kind: 'sqlite', path: join(cwd, 'otp.db'), migrate: false });
    expect(await typed.schemaVersion()).toBe(2);
    expect(await typed.count()).toBe(1);
    await typed.close();
  });
});
