// GET /readyz when the store cannot be reached (DESIGN "HTTP provider host": "`/readyz` (store
// reachable)"): a QR OTP host (createProviderRuntime + createRuntimeHost, the code `serve` runs)
// on 127.0.0.1 whose PostgreSQL store is the real server of tools/testenv/postgres.sh, reached
// through a loopback TCP forwarder the test controls — what a network between a node and its
// database does: a server that stops answering (connections accepted, nothing said), a refused
// port, and the way back. The host keeps answering: /healthz 200, /readyz 503
// {"status":"unavailable","store":"postgres"} within its 2 s check (never hanging), no internals.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createProviderRuntime, type ProviderRuntime, type QrOtpConfig } from '@securemfa/core';
import { createRuntimeHost, type RuntimeHost } from '@securemfa/core/http';
import { qrOtpProvider } from '@securemfa/qr-otp';
import {
  createDatabase,
  databaseUrl,
  dropDatabases,
  releasePostgres,
  startPostgres,
  startTcpForwarder,
  type PgServer,
  type TcpForwarder,
} from '@securemfa/testkit';
import { captureProviderLog, type CapturedLog } from '../helpers/captured-log.js';
import { expectNoInternals, http, qrConfig } from '../helpers/e2e-qr-host.js';

jest.setTimeout(60_000);

/** The host's readiness check gives the store 2 s (create-host.ts); the answer comes soon after. */
const READY_CHECK_MS = 2000;
const SLACK_MS = 1500;

let dir: string;
let server: PgServer;
const databases: string[] = [];
let forwarder: TcpForwarder;
let forwarderClosed = false;
let log: CapturedLog;
let runtime: ProviderRuntime<QrOtpConfig>;
let host: RuntimeHost;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2e-qr-readyz-'));
  server = await startPostgres();
  process.stderr.write(`[host-readyz] PostgreSQL ${server.started} in ${server.startMs} ms\n`);
  const db = await createDatabase(server, 'smfa_readyz');
  databases.push(db);
  forwarder = await startTcpForwarder(server.port);
  const url = new URL(databaseUrl(server, db));
  url.hostname = '127.0.0.1';
  url.port = String(forwarder.port);
  const apiKey = randomBytes(32).toString('base64url');
  const config = qrConfig({
    company: 'Adatum Readiness',
    auth_mode: 'POSTGRES',
    pg_connection_string: url.toString(),
    // Longer than the host's readiness check: a silent server is ended by the host's own 2 s
    // bound, not by the driver's connect timeout.
    sql_timeout_ms: '10000',
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
  });
  log = captureProviderLog('e2e-qr-readyz', { secrets: [apiKey, config.pg_connection_string] });
  runtime = await createProviderRuntime({
    definition: qrOtpProvider,
    config,
    configDir: dir,
    logger: log.logger,
    migrate: true,
  });
  host = await createRuntimeHost(runtime, { configDir: dir, processMetrics: false });
  await host.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(host.app.server.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await host?.app.close();
  await runtime?.close();
  await log?.logger.close();
  if (!forwarderClosed) await forwarder?.close();
  if (server !== undefined) await dropDatabases(server, databases);
  await releasePostgres();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 120_000);

/** GET /readyz and how long the answer took. */
async function readyz(): Promise<{ status: number; json: unknown; text: string; ms: number }> {
  const t0 = performance.now();
  const r = await http(`${base}/readyz`);
  return { status: r.status, json: r.json, text: r.text, ms: performance.now() - t0 };
}

/** Poll /readyz (at most `tries` times, 200 ms apart) until it answers `status`. */
async function readyzBecomes(status: number, tries = 25): Promise<number> {
  let last = 0;
  for (let i = 0; i < tries; i += 1) {
    last = (await readyz()).status;
    if (last === status) return last;
    await sleep(200);
  }
  return last;
}

/** The "readiness check failed" warnings logged so far. */
async function readinessWarnings(): Promise<Record<string, unknown>[]> {
  await log.flush();
  return log.records.filter((r) => r.message === 'readiness check failed');
}

describe('/readyz follows the PostgreSQL store', () => {
  it('200 {"status":"ready","store":"postgres"} while the store answers', async () => {
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'ready', store: 'postgres' });
  });

  it('a store that accepts connections and never answers: 503 {"status":"unavailable"} after the host’s 2 s check (sql_timeout_ms is 10 s); /healthz stays 200', async () => {
    forwarder.mode = 'hang';
    forwarder.dropAll(); // the pool's open connections break; new ones hang
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ status: 'unavailable', store: 'postgres' });
    expect(expectNoInternals(r.text)).toEqual([]);
    expect(r.text).not.toContain(String(forwarder.port));
    expect(r.ms).toBeGreaterThanOrEqual(READY_CHECK_MS - 100);
    expect(r.ms).toBeLessThan(READY_CHECK_MS + SLACK_MS);
    const health = await http(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    const warnings = await readinessWarnings();
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // The log names the failure without the connection string's password.
    expect(log.text()).not.toContain(new URL(databaseUrl(server, databases[0]!)).password);
  });

  it('once the store answers again, /readyz is 200 again (the host recovers on its own)', async () => {
    forwarder.mode = 'forward';
    expect(await readyzBecomes(200)).toBe(200);
  });

  it('a refused port (the forwarder is gone): 503 {"status":"unavailable"} promptly', async () => {
    await forwarder.close();
    forwarderClosed = true;
    const r = await readyz();
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ status: 'unavailable', store: 'postgres' });
    expect(expectNoInternals(r.text)).toEqual([]);
    expect(r.ms).toBeLessThan(READY_CHECK_MS + SLACK_MS);
    expect((await http(`${base}/healthz`)).status).toBe(200);
  });
});
