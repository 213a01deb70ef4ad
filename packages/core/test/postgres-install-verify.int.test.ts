/**
 * `install` and `verify` against a real PostgreSQL server (tools/testenv/postgres.sh): each store
 * check is one line naming the problem with a fix hint — schema missing, schema version old, auth
 * failed, database missing, unreachable, no write access — and install applies the migrations
 * idempotently, reporting what it applied. The CLI runs in-process (memoryIo) with a provider
 * whose channel is an authenticator app (nothing to reach).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  adminQuery,
  closedPort,
  createDatabase,
  databaseUrl,
  dropDatabases,
  releasePostgres,
  startPostgres,
  uniqueName,
  type PgServer,
} from '@securemfa/testkit';
import type { ProviderDefinition } from '../src/adapter/provider-definition.js';
import { memoryIo } from '../src/cli/io.js';
import { runProviderCli } from '../src/cli/program.js';
import type { QrOtpConfig } from '../src/config/types.js';
import { listMigrations } from '../src/store/sql/migrations.js';

jest.setTimeout(60_000);

const definition: ProviderDefinition<QrOtpConfig> = {
  id: 'qr-otp',
  bin: 'securemfa-qr-otp',
  title: 'SecureMFA QR OTP provider',
  version: '9.9.9',
  configFileName: 'SecureMfaOtpProvider.json',
  eventSource: 'Secure MFA OTP',
  createChannel: async () => ({
    mode: 'app',
    name: 'authenticator',
    enrolment: async () => ({ title: 'enrol', message: 'scan' }),
  }),
};

let server: PgServer;
const databases: string[] = [];
const roles: string[] = [];
const dirs: string[] = [];
const LATEST = listMigrations('postgres').length;

function config(pg: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'smfa-pg-cli-'));
  dirs.push(dir);
  const file = join(dir, definition.configFileName);
  writeFileSync(
    file,
    JSON.stringify({
      company: 'Contoso',
      auth_mode: 'POSTGRES',
      pg_connection_string: pg,
      sql_timeout_ms: '3000',
      data_encryption: 'true',
      data_encryption_passphrase: 'pg-cli-test-passphrase-0001',
      adapter_api_key: 'k'.repeat(48),
    }),
    { mode: 0o600 },
  );
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dirs[0] ?? tmpdir() });
  const code = await runProviderCli(definition, ['node', definition.bin, ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

/** The line of a check (`ok    store  …`) and its hint line, if any. */
function check(out: string, name: string): { line: string; hint: string } {
  const lines = out.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^(ok|FAIL|skip)\\s+${name}\\s`).test(l));
  const next = lines[i + 1] ?? '';
  return { line: lines[i] ?? '', hint: /^\s+hint: /.test(next) ? next.trim() : '' };
}

beforeAll(async () => {
  server = await startPostgres();
}, 300_000);

afterAll(async () => {
  if (server !== undefined) await dropDatabases(server, databases, roles);
  await releasePostgres();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 120_000);

describe('install and verify on PostgreSQL: one line per store check, with a fix hint', () => {
  let db: string;
  let file: string;
  const units = (): string => join(dirs[0]!, 'units');

  beforeAll(async () => {
    db = await createDatabase(server, 'smfa_cli');
    databases.push(db);
    file = config(databaseUrl(server, db));
  });

  it('verify on an empty database: FAIL store "schema missing" with the install hint, exit 1', async () => {
    const r = await cli(['verify', '-c', file]);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(
      /^FAIL\s+store\s+schema missing: the database PostgreSQL 127\.0\.0\.1:\d+\/smfa_cli_\w+ as securemfa_admin has no SecureMFA schema/,
    );
    expect(store.hint).toContain('securemfa-<provider> install');
    expect(r.out).not.toContain(server.adminPassword);
  });

  it('install on the main node applies 0001…0002, reports it, grants are complete, exit 0', async () => {
    const r = await cli(['install', '-c', file, '--service-dir', units()]);
    expect([r.code, r.out]).toEqual([0, expect.any(String)]);
    expect(check(r.out, 'store').line).toMatch(
      /^ok\s+store\s+postgres 127\.0\.0\.1:\d+\/smfa_cli_\w+, 0 user\(s\)/,
    );
    expect(check(r.out, 'schema').line).toMatch(
      new RegExp(
        `^ok\\s+schema\\s+schema version ${LATEST}: applied migrations 0001…000${LATEST} now \\(the database was at 0\\)`,
      ),
    );
    expect(check(r.out, 'access').line).toMatch(
      /^ok\s+access\s+the account may read and write everything/,
    );
    expect(check(r.out, 'registration').line).toMatch(
      /^ok\s+registration\s+registered qr-otp 9\.9\.9/,
    );
    const versions = await adminQuery(
      server,
      'SELECT version FROM schema_version ORDER BY version',
      db,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
  });

  it('install again changes nothing: schema at the latest version, registration unchanged', async () => {
    const r = await cli(['install', '-c', file, '--service-dir', units()]);
    expect(r.code).toBe(0);
    expect(check(r.out, 'schema').line).toMatch(
      new RegExp(`^ok\\s+schema\\s+schema version ${LATEST} \\(the latest this version ships\\)`),
    );
    expect(check(r.out, 'registration').line).toMatch(/already registered; config unchanged/);
  });

  it('verify after install: store, schema, access ok, exit 0', async () => {
    const r = await cli(['verify', '-c', file]);
    expect(r.code).toBe(0);
    for (const name of ['store', 'schema', 'access', 'registration']) {
      expect(check(r.out, name).line).toMatch(/^ok/);
    }
  });

  it('a wrong password: FAIL store "auth failed", password never printed', async () => {
    const url = new URL(databaseUrl(server, db));
    url.password = 'Wrong-pw-31337';
    const r = await cli(['verify', '-c', config(url.toString())]);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(/^FAIL\s+store\s+auth failed: PostgreSQL .* authentication failed/);
    expect(store.hint).toContain('check the user and password in pg_connection_string');
    expect(r.out + r.err).not.toContain('Wrong-pw-31337');
  });

  it('a database that does not exist: FAIL store "database missing" with CREATE DATABASE', async () => {
    const r = await cli(['verify', '-c', config(databaseUrl(server, uniqueName('gone')))]);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(/^FAIL\s+store\s+database missing: /);
    expect(store.hint).toContain('CREATE DATABASE');
  });

  it('nothing listening: FAIL store "unreachable" within the timeout', async () => {
    const port = await closedPort();
    const started = Date.now();
    const r = await cli(['verify', '-c', config(`postgres://u:p@127.0.0.1:${port}/otp`)]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    const store = check(r.out, 'store');
    expect(store.line).toMatch(
      /^FAIL\s+store\s+unreachable: cannot reach PostgreSQL 127\.0\.0\.1:\d+\/otp as u: ECONNREFUSED/,
    );
    expect(store.hint).toContain('host and port');
  });

  it('a role that may only read: FAIL access "no write access" naming the privileges, with GRANT', async () => {
    const role = uniqueName('reader');
    roles.push(role);
    await adminQuery(server, `CREATE ROLE ${role} LOGIN PASSWORD 'reader-pass-1'`);
    await adminQuery(
      server,
      `GRANT SELECT ON secrets, providers, nonces, schema_version TO ${role}`,
      db,
    );
    const r = await cli([
      'verify',
      '-c',
      config(databaseUrl(server, db, { user: role, password: 'reader-pass-1' })),
    ]);
    expect(r.code).toBe(1);
    expect(check(r.out, 'store').line).toMatch(/^ok/);
    const access = check(r.out, 'access');
    expect(access.line).toMatch(
      /^FAIL\s+access\s+no write access: INSERT on secrets, UPDATE on secrets, DELETE on secrets/,
    );
    expect(access.hint).toContain(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON secrets, providers, nonces TO "${role}"`,
    );
  });

  it('a database at schema version 1: FAIL store "schema version old" (verify), install upgrades it', async () => {
    const old = await createDatabase(server, 'smfa_old');
    databases.push(old);
    await adminQuery(server, listMigrations('postgres')[0]!.sql, old);
    const cfg = config(databaseUrl(server, old));
    const v = await cli(['verify', '-c', cfg]);
    expect(v.code).toBe(1);
    expect(check(v.out, 'store').line).toMatch(
      new RegExp(
        `^FAIL\\s+store\\s+schema version old: the database .* is at schema version 1; this SecureMFA needs ${LATEST}`,
      ),
    );
    const i = await cli(['install', '-c', cfg, '--service-dir', units()]);
    expect(i.code).toBe(0);
    expect(check(i.out, 'schema').line).toMatch(
      /applied migrations 0002 now \(the database was at 1\)/,
    );
  });
});
