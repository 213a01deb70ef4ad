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
 * @module bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSecretCipher, generateSecret, generateTotp, openStore } from '@securemfa/core';
import type { BenchFigure, BenchSuite } from '../types.js';

const QR_BIN = fileURLToPath(new URL('../../../../packages/qr-otp/dist/bin.js', import.meta.url));
const IN_FLIGHT = 32;
/** Requests per measured round and side. */
const PER_ROUND = 600;
const ROUNDS = 3;
const USERS = PER_ROUND * ROUNDS * 2;
const REQUEST_TIMEOUT_MS = 15_000;

interface FarmUser {
  upn: string;
  secret: string;
  context: string;
}

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

/** One closed-loop round: `users` signed in over `bases` (round-robin), IN_FLIGHT at a time. */
async function round(
  bases: readonly string[],
  key: string,
  users: readonly FarmUser[],
): Promise<{ ms: number; latencies: number[]; bad: string[] }> {
  let next = 0;
  const latencies: number[] = [];
  const bad: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      for (let i = next++; i < users.length; i = next++) {
        const u = users[i]!;
        const code = generateTotp({ secret: u.secret, epoch: Math.floor(Date.now() / 1000) });
        const s = performance.now();
        try {
          const r = await post(bases[i % bases.length]!, key, '/adapter/end', {
            context: u.context,
            code,
          });
          if (r.status !== 200 || r.json.ok !== true)
            bad.push(`${r.status} ${JSON.stringify(r.json).slice(0, 120)}`);
        } catch (err) {
          bad.push(`network: ${(err as Error).message}`);
        }
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { ms: performance.now() - t0, latencies, bad };
}

const p99 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)] ?? 0;
};

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
          for (let i = 0; i < USERS; i += 1) {
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
        const bases = nodes.map((n) => n.base);
        const users: FarmUser[] = [];
        for (const [i, u] of plain.entries()) {
          const b = await post(bases[i % 2]!, apiKey, '/adapter/begin', { upn: u.upn });
          if (b.json.status !== 'enter_code')
            throw new Error(`farm self-check: begin said ${String(b.json.status)}`);
          users.push({ ...u, context: String(b.json.context) });
        }
        // Rounds alternate which side goes first; each user signs in once.
        const one = { ms: 0, latencies: [] as number[], n: 0 };
        const two = { ms: 0, latencies: [] as number[], n: 0 };
        let at = 0;
        for (let r = 0; r < ROUNDS; r += 1) {
          for (const [side, over] of (r % 2 === 0
            ? [
                [one, [bases[0]!]],
                [two, bases],
              ]
            : [
                [two, bases],
                [one, [bases[0]!]],
              ]) as [typeof one, string[]][]) {
            const slice = users.slice(at, at + PER_ROUND);
            at += PER_ROUND;
            const res = await round(over, apiKey, slice);
            if (res.bad.length > 0) {
              throw new Error(
                `farm self-check: ${res.bad.length} of ${slice.length} sign-ins failed, e.g. ${res.bad.slice(0, 3).join(' | ')}`,
              );
            }
            side.ms += res.ms;
            side.latencies.push(...res.latencies);
            side.n += slice.length;
          }
        }
        const oneRate = one.n / (one.ms / 1000);
        const twoRate = two.n / (two.ms / 1000);
        return [
          {
            id: 'one-node',
            title: 'one serve process: successful sign-ins per second',
            value: oneRate,
            unit: '/s',
            note: `${one.n} requests in ${ROUNDS} rounds`,
          },
          {
            id: 'two-nodes',
            title: 'two serve processes on the same file: successful sign-ins per second',
            value: twoRate,
            unit: '/s',
            note: `${two.n} requests in ${ROUNDS} rounds, round-robin`,
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
            value: p99(one.latencies),
            unit: 'ms',
          },
          {
            id: 'two-nodes-p99-ms',
            title: 'two processes: p99 latency',
            value: p99(two.latencies),
            unit: 'ms',
          },
        ];
      },
      teardown: async () => {
        await Promise.all(children.map((c) => stop(c)));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
