/**
 * The PostgreSQL store against a real PostgreSQL server on 127.0.0.1 (tools/testenv/postgres.sh,
 * shared by every test file through leases; a database per test): the UserStore contract over two
 * separate pools (two farm nodes), migrations (fresh, concurrent installers, an upgrade from the
 * originals' table), errors with operator hints (unreachable, auth failed, database missing,
 * schema old, no write access, a silent server), SQL injection, the keyword/value connection
 * string, and the pool. A suite that cannot start the server fails; it never skips.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  adminQuery,
  closedPort,
  createDatabase,
  databaseUrl,
  describeUserStoreContract,
  dropDatabases,
  releasePostgres,
  startPostgres,
  startSilentServer,
  startTcpForwarder,
  uniqueName,
  type PgServer,
} from '@securemfa/testkit';
import { openStore, storeOptionsFromConfig } from '../src/store/open-store.js';
import { openPostgresStore, PostgresStore } from '../src/store/postgres.js';
import { resolvePgConnection } from '../src/store/postgres-connection.js';
import { listMigrations } from '../src/store/sql/migrations.js';
import { storeProblemOf } from '../src/store/store-problem.js';

jest.setTimeout(60_000);

let server: PgServer;
const databases: string[] = [];
const roles: string[] = [];
const t0 = new Date('2026-04-01T09:00:00.250Z');
const meta = { ip: '192.0.2.44', userAgent: 'postgres-test' };
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const LATEST = listMigrations('postgres').length;

/** A fresh database with the schema applied; its admin URL. */
async function freshDb(migrate = true): Promise<string> {
  const db = await createDatabase(server);
  databases.push(db);
  const url = databaseUrl(server, db);
  if (migrate) await (await openPostgresStore({ connectionString: url, migrate: true })).close();
  return url;
}

/** What was thrown (a failure to throw is a failed expectation). */
async function thrown(p: Promise<unknown>): Promise<Error & { code?: string; hint?: string }> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

beforeAll(async () => {
  server = await startPostgres();
  process.stderr.write(`[postgres-store] PostgreSQL ${server.started} in ${server.startMs} ms\n`);
}, 300_000);

afterAll(async () => {
  if (server !== undefined) await dropDatabases(server, databases, roles);
  await releasePostgres();
}, 120_000);

describeUserStoreContract(
  'postgres (two pools = two farm nodes)',
  async () => {
    const url = await freshDb();
    const store = await openPostgresStore({ connectionString: url });
    return {
      store,
      openSecond: () => openPostgresStore({ connectionString: url }),
      cleanup: () => store.close(),
    };
  },
  { raceNodes: 4 },
);

describe('PostgreSQL schema and migrations', () => {
  it('creates every table and column of sql-scripts/postgres, records 1…n, and re-running changes nothing', async () => {
    const url = await freshDb(false);
    const store = await openPostgresStore({ connectionString: url, migrate: true });
    try {
      expect(await store.schemaVersion()).toBe(LATEST);
      expect(await store.migrate()).toEqual([]);
      expect(store.availableMigrations().map((m) => m.name)).toEqual([
        'create_database',
        'upgrade_from_previous_version',
      ]);
    } finally {
      await store.close();
    }
    const db = new URL(url).pathname.slice(1);
    const cols = await adminQuery(
      server,
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
      db,
    );
    const of = (t: string) =>
      cols
        .filter((c) => c.table_name === t)
        .map((c) => `${String(c.column_name)} ${String(c.data_type)}`);
    expect(of('secrets')).toEqual([
      'upn_key text',
      'upn text',
      'secret text',
      'enabled boolean',
      'logon smallint',
      'lastlogon timestamp with time zone',
      'logoncount integer',
      'failedlogoncount integer',
      'failedlastlogon timestamp with time zone',
      'failedcode text',
      'logonip text',
      'useragent text',
      'laststep bigint',
      'email text',
      'mobile text',
      'created timestamp with time zone',
    ]);
    expect(of('providers')).toEqual([
      'provider text',
      'version text',
      'fingerprint text',
      'updated timestamp with time zone',
    ]);
    expect(of('nonces')).toEqual(['nonce text', 'expires timestamp with time zone']);
    expect(
      await adminQuery(server, 'SELECT version, name FROM schema_version ORDER BY version', db),
    ).toEqual([
      { version: 1, name: 'create_database' },
      { version: 2, name: 'upgrade_from_previous_version' },
    ]);
    const indexes = await adminQuery(
      server,
      "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
      db,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(
      expect.arrayContaining(['nonces_expires', 'nonces_pkey', 'secrets_pkey']),
    );
  });

  it('4 installers migrating one new database at once: all succeed, each script runs once', async () => {
    const url = await freshDb(false);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openPostgresStore({ connectionString: url, migrate: true })),
    );
    for (const s of stores) expect(await s.schemaVersion()).toBe(LATEST);
    await Promise.all(stores.map((s) => s.close()));
    const rows = await adminQuery(
      server,
      'SELECT version FROM schema_version ORDER BY version',
      new URL(url).pathname.slice(1),
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('without migrate: an empty database is "schema missing", version 1 is "schema old", both with the install hint', async () => {
    const url = await freshDb(false);
    const empty = await thrown(openPostgresStore({ connectionString: url }));
    expect(empty).toMatchObject({
      code: 'ERR_STORE_SCHEMA',
      message: expect.stringContaining('schema version 0'),
      hint: expect.stringContaining('install'),
    });
    expect(storeProblemOf(empty)).toBe('schema_missing');
    await adminQuery(server, listMigrations('postgres')[0]!.sql, new URL(url).pathname.slice(1));
    const old = await thrown(openPostgresStore({ connectionString: url }));
    expect(old).toMatchObject({
      code: 'ERR_STORE_SCHEMA',
      message: expect.stringContaining(`schema version 1; this SecureMFA needs ${LATEST}`),
    });
    expect(storeProblemOf(old)).toBe('schema_old');
  });

  it('refuses a database newer than this code, with or without migrate', async () => {
    const url = await freshDb();
    await adminQuery(
      server,
      "INSERT INTO schema_version (version, name) VALUES (99, 'future')",
      new URL(url).pathname.slice(1),
    );
    for (const migrate of [true, false]) {
      const err = await thrown(openPostgresStore({ connectionString: url, migrate }));
      expect(err).toMatchObject({
        code: 'ERR_STORE_SCHEMA',
        message: expect.stringContaining('schema version 99'),
        hint: expect.stringContaining('upgrade SecureMFA'),
      });
      expect(storeProblemOf(err)).toBe('schema_newer');
    }
  });

  it('a failing script changes nothing (one transaction) and names the script', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const scripts = mkdtempSync(join(tmpdir(), 'smfa-pg-scripts-'));
    try {
      for (const d of ['sqlite', 'postgres']) mkdirSync(join(scripts, d));
      writeFileSync(join(scripts, 'sqlite', '0001_create_database.sql'), '-- marker\n');
      writeFileSync(
        join(scripts, 'postgres', '0001_create_database.sql'),
        listMigrations('postgres')[0]!.sql,
      );
      writeFileSync(
        join(scripts, 'postgres', '0002_broken.sql'),
        'CREATE TABLE half_done (x INT);\nALTER TABLE no_such_table ADD COLUMN y INT;\n',
      );
      const url = await freshDb(false);
      const err = await thrown(
        openPostgresStore({ connectionString: url, migrate: true, scriptsDir: scripts }),
      );
      expect(err).toMatchObject({
        code: 'ERR_STORE_SCHEMA',
        message: expect.stringContaining('no_such_table'),
      });
      const tables = await adminQuery(
        server,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        new URL(url).pathname.slice(1),
      );
      expect(tables).toEqual([]);
    } finally {
      rmSync(scripts, { recursive: true, force: true });
    }
  });

  it("upgrades the originals' secrets table (no upn_key, laststep, enabled…, NULL counters) keeping its rows", async () => {
    const url = await freshDb(false);
    const db = new URL(url).pathname.slice(1);
    await adminQuery(
      server,
      `CREATE TABLE secrets (
         upn TEXT NOT NULL PRIMARY KEY, secret TEXT NOT NULL, logon INTEGER,
         lastlogon TIMESTAMPTZ, logoncount INTEGER, failedlogoncount INTEGER,
         failedlastlogon TIMESTAMPTZ, failedcode TEXT, logonip TEXT, useragent TEXT);
       INSERT INTO secrets (upn, secret, logon, logoncount, failedlogoncount)
       VALUES ('Old.User@Adatum.LabNet', '${SECRET}', 1, 7, NULL),
              ('fresh@adatum.labnet', '${SECRET}', NULL, NULL, NULL);`,
      db,
    );
    const store = await openPostgresStore({ connectionString: url, migrate: true });
    try {
      expect(await store.schemaVersion()).toBe(LATEST);
      expect(await store.get('old.user@adatum.labnet')).toMatchObject({
        upn: 'Old.User@Adatum.LabNet',
        secret: SECRET,
        enabled: true,
        logon: 1,
        logoncount: 7,
        failedlogoncount: 0,
        laststep: -1,
      });
      expect(await store.get('FRESH@adatum.labnet')).toMatchObject({ logon: 0, logoncount: 0 });
      const ok = await store.acceptCode('old.user@adatum.labnet', 100, meta, t0, {
        allowReuse: false,
      });
      expect(ok).toMatchObject({ ok: true, record: { logoncount: 8, laststep: 100 } });
      expect(
        (await store.recordFailure('fresh@adatum.labnet', '1', meta, t0))?.failedlogoncount,
      ).toBe(1);
      // enrol's upsert finds the unique key 0002 added.
      await store.enrol('Old.User@Adatum.LabNet', 'NEWSECRETNEWSECRET', t0);
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL errors carry the problem and a fix hint, never the password', () => {
  it('a wrong password: auth failed', async () => {
    const url = new URL(await freshDb());
    url.password = 'wrong-secret-pw';
    const err = await thrown(
      openPostgresStore({ connectionString: url.toString(), timeoutMs: 5000 }),
    );
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      hint: expect.stringContaining('password'),
    });
    expect(storeProblemOf(err)).toBe('auth_failed');
    expect(`${err.message} ${err.hint}`).not.toContain('wrong-secret-pw');
  });

  it('a database that does not exist: database missing, with CREATE DATABASE in the hint', async () => {
    const err = await thrown(
      openPostgresStore({ connectionString: databaseUrl(server, uniqueName('nosuchdb')) }),
    );
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('does not exist'),
      hint: expect.stringContaining('CREATE DATABASE'),
    });
    expect(storeProblemOf(err)).toBe('database_missing');
  });

  it('a port nobody listens on: unreachable, at once', async () => {
    const port = await closedPort();
    const started = Date.now();
    const err = await thrown(
      openPostgresStore({
        connectionString: `postgres://u:secretpw@127.0.0.1:${port}/otp`,
        timeoutMs: 3000,
      }),
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toMatchObject({
      code: 'ERR_STORE_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(storeProblemOf(err)).toBe('unreachable');
    expect(err.message).not.toContain('secretpw');
  });

  it('a server that accepts and never answers fails within the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const err = await thrown(
        openPostgresStore({
          connectionString: `postgres://u:pw@127.0.0.1:${silent.port}/otp`,
          timeoutMs: 1000,
        }),
      );
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(5000);
      expect(err.code).toBe('ERR_STORE_UNAVAILABLE');
      expect(['timeout', 'unreachable']).toContain(storeProblemOf(err));
    } finally {
      await silent.close();
    }
  });

  it('a role without grants: inspect names what is missing; a write fails with "no write access"', async () => {
    const url = await freshDb();
    const db = new URL(url).pathname.slice(1);
    const role = uniqueName('ro');
    roles.push(role);
    await adminQuery(server, `CREATE ROLE ${role} LOGIN PASSWORD 'ro-pass-1'`);
    await adminQuery(
      server,
      `GRANT SELECT ON secrets, providers, nonces, schema_version TO ${role}`,
      db,
    );
    const admin = await openPostgresStore({ connectionString: url });
    await admin.enrol('victim@adatum.labnet', SECRET, t0);
    const ro = await openPostgresStore({
      connectionString: databaseUrl(server, db, { user: role, password: 'ro-pass-1' }),
    });
    try {
      const report = await ro.inspect();
      expect(report.schema).toEqual({ current: LATEST, latest: LATEST });
      expect(report.missingAccess).toEqual(
        expect.arrayContaining(['UPDATE on secrets', 'INSERT on nonces', 'DELETE on providers']),
      );
      expect(report.missingAccess).not.toContain('SELECT on secrets');
      expect(report.accessHint).toContain(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON secrets, providers, nonces TO "${role}"`,
      );
      expect((await ro.get('victim@adatum.labnet'))?.secret).toBe(SECRET);
      const err = await thrown(
        ro.acceptCode('victim@adatum.labnet', 1, meta, t0, { allowReuse: false }),
      );
      expect(err).toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        hint: expect.stringContaining('GRANT'),
      });
      expect(storeProblemOf(err)).toBe('no_write_access');
      expect((await admin.inspect()).missingAccess).toEqual([]);
    } finally {
      await ro.close();
      await admin.close();
    }
  });

  it('a table dropped under a running node: schema problem with the install hint', async () => {
    const url = await freshDb();
    const store = await openPostgresStore({ connectionString: url });
    try {
      await adminQuery(server, 'DROP TABLE nonces', new URL(url).pathname.slice(1));
      const err = await thrown(store.rememberNonce('n-1', t0, t0));
      expect(err).toMatchObject({
        code: 'ERR_STORE_SCHEMA',
        hint: expect.stringContaining('install'),
      });
      expect(storeProblemOf(err)).toBe('schema_old');
    } finally {
      await store.close();
    }
  });
});

describe('PostgreSQL connection handling', () => {
  it('opens through the keyword/value form with a quoted password', async () => {
    const url = new URL(await freshDb());
    const role = uniqueName('kv');
    roles.push(role);
    const password = "it's a p\\w";
    await adminQuery(server, `CREATE ROLE ${role} LOGIN PASSWORD 'it''s a p\\w'`);
    const db = url.pathname.slice(1);
    await adminQuery(
      server,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON secrets, providers, nonces, schema_version TO ${role}`,
      db,
    );
    const quoted = password.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    const kv = `host=127.0.0.1 port=${server.port} dbname=${db} user=${role} password='${quoted}' sslmode=disable`;
    expect(resolvePgConnection(kv).label).toBe(`127.0.0.1:${server.port}/${db} as ${role}`);
    const store = await openStore(
      storeOptionsFromConfig(
        { auth_mode: 'POSTGRES', pg_connection_string: kv, sql_timeout_ms: 5000 },
        { cwd: '/' },
      ),
    );
    try {
      expect(store).toBeInstanceOf(PostgresStore);
      await store.enrol('kv@adatum.labnet', SECRET, t0);
      expect((await store.get('KV@adatum.labnet'))?.upn).toBe('kv@adatum.labnet');
    } finally {
      await store.close();
    }
  });

  it('rejects a malformed connection string without quoting it', async () => {
    for (const bad of [
      'host=db1 pasword=hunter2x',
      "host=db1 password='hunter2x",
      'just-words-hunter2x',
    ]) {
      const err = await thrown(openPostgresStore({ connectionString: bad }));
      expect(err).toMatchObject({
        code: 'ERR_STORE_UNAVAILABLE',
        message: expect.stringContaining('pg_connection_string'),
      });
      expect(`${err.message} ${err.hint}`).not.toContain('hunter2x');
    }
  });

  it('50 concurrent reads on a pool of 3 connections all answer', async () => {
    const url = await freshDb();
    const store = await openPostgresStore({ connectionString: url, poolSize: 3 });
    try {
      await store.enrol('pool@adatum.labnet', SECRET, t0);
      const got = await Promise.all(
        Array.from({ length: 50 }, () => store.get('pool@adatum.labnet')),
      );
      expect(got.every((r) => r?.secret === SECRET)).toBe(true);
      const active = await adminQuery(
        server,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = '${new URL(url).pathname.slice(1)}' AND application_name = 'securemfa'`,
      );
      expect(Number(active[0]?.n)).toBeLessThanOrEqual(3);
    } finally {
      await store.close();
    }
  });

  it('30 concurrent accepts of one step on 6 separate pools: exactly one wins', async () => {
    const url = await freshDb();
    const nodes = await Promise.all(
      Array.from({ length: 6 }, () => openPostgresStore({ connectionString: url, poolSize: 5 })),
    );
    try {
      await nodes[0]!.enrol('race6@adatum.labnet', SECRET, t0);
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          nodes[i % 6]!.acceptCode('race6@adatum.labnet', 4242, meta, t0, { allowReuse: false }),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'reused')).toHaveLength(29);
      const fails = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          nodes[i % 6]!.recordFailure('race6@adatum.labnet', '1', meta, t0),
        ),
      );
      expect(fails.every((r) => r !== undefined)).toBe(true);
      expect(await nodes[3]!.get('race6@adatum.labnet')).toMatchObject({
        logoncount: 1,
        laststep: 4242,
        failedlogoncount: 30,
      });
    } finally {
      await Promise.all(nodes.map((n) => n.close()));
    }
  });

  it('keeps working after the server dropped every connection (the pool reconnects)', async () => {
    const url = new URL(await freshDb());
    const proxy = await startTcpForwarder(server.port);
    try {
      url.port = String(proxy.port);
      const store = await openPostgresStore({ connectionString: url.toString(), timeoutMs: 3000 });
      try {
        await store.enrol('drop@adatum.labnet', SECRET, t0);
        proxy.dropAll();
        await new Promise((r) => setTimeout(r, 100));
        expect((await store.get('drop@adatum.labnet'))?.secret).toBe(SECRET);
      } finally {
        await store.close();
      }
    } finally {
      await proxy.close();
    }
  });

  it('an aborted ping rejects promptly with ERR_STORE_UNAVAILABLE', async () => {
    const url = await freshDb();
    const store = await openPostgresStore({ connectionString: url });
    try {
      const ac = new AbortController();
      ac.abort();
      await expect(store.ping(ac.signal)).rejects.toMatchObject({ code: 'ERR_STORE_UNAVAILABLE' });
      await expect(store.ping(AbortSignal.timeout(5000))).resolves.toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe('SQL injection against PostgreSQL finds nothing and breaks nothing', () => {
  it.each([
    ["' OR 1=1 --"],
    ["x'; DROP TABLE secrets; --"],
    ["x'); DELETE FROM secrets; --"],
    ['$1'],
    ["%' OR upn_key LIKE '%"],
  ])('UPN, prefix, secret and nonce %j are data, never SQL', async (probe) => {
    const url = await freshDb();
    const store = await openPostgresStore({ connectionString: url });
    try {
      await store.enrol('bystander@adatum.labnet', SECRET, t0);
      expect(await store.get(probe)).toBeUndefined();
      expect(await store.list({ prefix: probe })).toEqual([]);
      expect(await store.replaceSecret('bystander@adatum.labnet', probe, 'X')).toBe(false);
      expect(await store.rememberNonce(probe, new Date(t0.getTime() + 60_000), t0)).toBe(true);
      const enrolled = await store.enrol(probe, probe, t0);
      expect(enrolled).toMatchObject({ upn: probe.trim(), secret: probe });
      expect(await store.count()).toBe(2);
      expect((await store.get('bystander@adatum.labnet'))?.secret).toBe(SECRET);
    } finally {
      await store.close();
    }
  });
});
