/**
 * The farm on one SQLite file (issue 9): successful sign-ins per second through POST
 * /adapter/end of ONE `securemfa-qr-otp serve` process, next to TWO such processes on the same
 * file (requests spread over both), driven by the same closed-loop client in the same run
 * (rounds alternate, so machine noise hits both alike). Every accept is one conditional UPDATE
 * with synchronous FULL; SQLite serialises writers on the file's write lock, so the second
 * process adds HTTP and crypto capacity but not write capacity — the ratio shows what a farm on
 * one file buys.
 *
 * Users are enrolled and signed in once directly in the file (set-up, not measured), then each
 * begins a sign-in over HTTP; every measured request is a real success (the code of the current
 * step, each user once), and the suite fails when any answer is not.
 *
 * The client is the http bench's lean one (load/http-load.ts) in a worker thread: 32 requests in
 * flight to the one process, 16 to each of the two. A warm-up round per side goes first (not
 * measured), then rounds alternate which side goes first. (Until this used fetch in the main
 * thread with 600 requests a round and no warm-up: the client and the serve processes' JIT
 * warm-up, not the serve processes, set the figures — ~450–1,270 sign-ins/s, p99 up to 400 ms.)
 *
 * @module bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSecretCipher, generateSecret, openStore } from '@securemfa/core';
import { spawnLoadClient, type BatchResult, type LoadUser } from '../load/http-load.js';
import { createLoadTally } from '../load/latency.js';
import type { BenchFigure, BenchSuite } from '../types.js';

const QR_BIN = fileURLToPath(new URL('../../../../packages/qr-otp/dist/bin.js', import.meta.url));
const IN_FLIGHT = 32;
/** Requests per measured round and side. */
const PER_ROUND = 1_000;
const ROUNDS = 5;
/** One warm-up round per side, then the measured ones; each user signs in once. */
const PER_SIDE = PER_ROUND * (ROUNDS + 1);
const REQUEST_TIMEOUT_MS = 15_000;
/** Begins sent at once during set-up. */
const BEGIN_IN_FLIGHT = 16;

function startServe(
  configFile: string,
  cwd: string,
): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    delete env.SECUREMFA_CONFIG;
    const child = spawn(process.execPath, [QR_BIN, 'serve', '-c', configFile, '--port', '0'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`farm: serve did not start in 30 s\n${out}`));
    }, 30_000);
    child.stderr!.resume();
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve({ child, base: m[1]! });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`farm: serve exited (${code ?? signal})\n${out}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

async function post(base: string, key: string, path: string, body: unknown) {
  const r = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

/** Begin a sign-in for each user on `base` (set-up), BEGIN_IN_FLIGHT at a time. */
async function beginAll(
  base: string,
  key: string,
  plain: readonly { upn: string; secret: string }[],
): Promise<LoadUser[]> {
  const users: LoadUser[] = new Array<LoadUser>(plain.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: BEGIN_IN_FLIGHT }, async () => {
      for (let i = next++; i < plain.length; i = next++) {
        const u = plain[i]!;
        const b = await post(base, key, '/adapter/begin', { upn: u.upn });
        if (b.json.status !== 'enter_code')
          throw new Error(`farm self-check: begin said ${String(b.json.status)}`);
        users[i] = { secret: u.secret, context: String(b.json.context) };
      }
    }),
  );
  return users;
}

/** Batches run side by side (the two processes) as one batch: the longest wall, all answers. */
function merge(batches: readonly BatchResult[]): BatchResult {
  const latencyNs = new Float64Array(batches.reduce((n, b) => n + b.requests, 0));
  let at = 0;
  for (const b of batches) {
    latencyNs.set(b.latencyNs, at);
    at += b.requests;
  }
  const outcomes: Record<string, number> = {};
  for (const b of batches) {
    for (const [k, v] of Object.entries(b.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
  }
  return {
    requests: latencyNs.length,
    wallNs: Math.max(...batches.map((b) => b.wallNs)),
    latencyNs,
    errors: batches.reduce((n, b) => n + b.errors, 0),
    errorSamples: batches.flatMap((b) => b.errorSamples),
    outcomes,
    clientBusy: 0,
  };
}

/** Fail the suite unless every answer was a successful sign-in. */
function checkRound(batch: BatchResult, side: string): void {
  const success = batch.outcomes.success ?? 0;
  if (success !== batch.requests) {
    throw new Error(
      `farm self-check (${side}): ${batch.requests - success} of ${batch.requests} sign-ins ` +
        `did not succeed (${JSON.stringify(batch.outcomes)}), e.g. ${batch.errorSamples.slice(0, 3).join(' | ')}`,
    );
  }
}

/** One vs two serve processes on one SQLite file. */
export const farmSuite: BenchSuite = {
  id: 'farm',
  title: `farm on one SQLite file: successful sign-ins/s over POST /adapter/end, one serve process vs two (${IN_FLIGHT} in flight)`,
  iterations: 0,
  maxMs: 120_000,
  setup() {
    const dir = mkdtempSync(join(tmpdir(), 'securemfa-bench-farm-'));
    const apiKey = randomBytes(32).toString('base64url');
    const passphrase = randomBytes(18).toString('base64url');
    const dbPath = join(dir, 'farm.db');
    const configFile = join(dir, 'SecureMfaOtpProvider.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        auth_mode: 'SQLITE',
        sqlite_path: dbPath,
        data_encryption: 'true',
        data_encryption_passphrase: passphrase,
        adapter_api_key: apiKey,
        rate_limit_per_ip_per_minute: '0',
        rate_limit_per_user_per_minute: '0',
      }),
      { mode: 0o600 },
    );
    const children: ChildProcess[] = [];
    let closeClient = async (): Promise<void> => undefined;
    return {
      cases: [],
      figures: async (): Promise<BenchFigure[]> => {
        // Set-up in the file: enrolled, first sign-in ten minutes ago (logon = 1).
        const cipher = createSecretCipher({ enabled: true, passphrase });
        const store = await openStore({
          kind: 'sqlite',
          path: dbPath,
          migrate: true,
          synchronous: 'NORMAL',
        });
        const past = new Date(Date.now() - 600_000);
        const plain: { upn: string; secret: string }[] = [];
        try {
          for (let i = 0; i < PER_SIDE * 2; i += 1) {
            const upn = `farm${i}@bench.test`;
            const secret = generateSecret();
            await store.enrol(upn, cipher.encrypt(secret), past);
            await store.acceptCode(upn, Math.floor(past.getTime() / 30_000), {}, past, {
              allowReuse: false,
            });
            plain.push({ upn, secret });
          }
        } finally {
          await store.close();
        }
        const nodes = await Promise.all([startServe(configFile, dir), startServe(configFile, dir)]);
        children.push(...nodes.map((n) => n.child));
        const [a, b] = nodes.map((n) => n.base) as [string, string];
        const half = PER_SIDE / 2;
        const oneUsers = await beginAll(a, apiKey, plain.slice(0, PER_SIDE));
        const twoA = await beginAll(a, apiKey, plain.slice(PER_SIDE, PER_SIDE + half));
        const twoB = await beginAll(b, apiKey, plain.slice(PER_SIDE + half));
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
        const target = (base: string, users: LoadUser[], concurrency: number) => ({
          port: Number(new URL(base).port),
          path: '/adapter/end',
          headers,
          users,
          concurrency,
        });
        const client = await spawnLoadClient({
          targets: {
            one: target(a, oneUsers, IN_FLIGHT),
            twoA: target(a, twoA, IN_FLIGHT / 2),
            twoB: target(b, twoB, IN_FLIGHT / 2),
          },
          users: oneUsers,
          concurrency: IN_FLIGHT,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
        });
        closeClient = () => client.close();
        const runSide = async (side: 'one' | 'two'): Promise<BatchResult> => {
          const batch =
            side === 'one'
              ? await client.run('one', PER_ROUND)
              : merge(
                  await Promise.all([
                    client.run('twoA', PER_ROUND / 2),
                    client.run('twoB', PER_ROUND / 2),
                  ]),
                );
          checkRound(batch, side === 'one' ? 'one process' : 'two processes');
          return batch;
        };
        await runSide('one');
        await runSide('two');
        const tallies = { one: createLoadTally(), two: createLoadTally() };
        for (let r = 0; r < ROUNDS; r += 1) {
          for (const side of r % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const)) {
            tallies[side].add(await runSide(side), 0);
          }
        }
        const one = tallies.one.summary();
        const two = tallies.two.summary();
        const oneRate = one.requestsPerSec;
        const twoRate = two.requestsPerSec;
        return [
          {
            id: 'one-node',
            title: 'one serve process: successful sign-ins per second',
            value: oneRate,
            unit: '/s',
            note: `${one.requests} requests in ${ROUNDS} rounds, ${IN_FLIGHT} in flight`,
          },
          {
            id: 'two-nodes',
            title: 'two serve processes on the same file: successful sign-ins per second',
            value: twoRate,
            unit: '/s',
            note: `${two.requests} requests in ${ROUNDS} rounds, ${IN_FLIGHT / 2} in flight to each`,
          },
          {
            id: 'two-vs-one',
            title: 'two processes ÷ one (one SQLite writer lock)',
            value: twoRate / oneRate,
            unit: 'x',
          },
          {
            id: 'one-node-p99-ms',
            title: 'one process: p99 latency',
            value: one.p99Ms,
            unit: 'ms',
          },
          {
            id: 'two-nodes-p99-ms',
            title: 'two processes: p99 latency',
            value: two.p99Ms,
            unit: 'ms',
          },
        ];
      },
      teardown: async () => {
        await closeClient().catch(() => undefined);
        await Promise.all(children.map((c) => stop(c)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
