/**
 * The soak (issue 9): a real `securemfa-qr-otp serve` process (the built CLI, a SQLite file,
 * lockout off, rate limits out of the way) under mixed logins on loopback for `--soak-seconds`
 * (default 10 minutes), its resident memory sampled from /proc every few seconds. Passes when
 * nothing failed and the memory shows no growth trend.
 *
 * The mix, paced to a fixed rate by a few lanes (every request with its own timeout): a first
 * or later successful sign-in (begin, then end with the code of the current step — each user at
 * most once per step), a wrong code, the same code again (reused_code), the hosted page for a
 * signed request, and the health, readiness and metrics routes. Every answer is checked: a
 * network error, a non-2xx status or an outcome other than the expected one is an error.
 *
 * The leak test is the **heap floor**: V8's used heap (`securemfa_nodejs_heap_size_used_bytes`
 * from the host's own /metrics, sampled with the RSS) is lowest right after a collection, so the lowest
 * sample of each minute is what survives garbage collection. Objects that leak survive every
 * collection and raise those floors; garbage does not. The figure is the rise of a least-squares
 * line through the per-minute floors after a one-minute warm-up (target ≤ 5 MiB over the run: at
 * 40 logins/s for 10 minutes that is about 250 bytes per login). RSS is reported too (its trend,
 * halves, start, end, peak) but is not the pass criterion: V8 grows and shrinks its heap in
 * steps (a major collection at about 1.5 minutes, then regrowth to the same ceiling), so a line
 * through RSS samples measures where that step falls, not a leak.
 * Bounded: the run stops at its time, or at a request count cap, whichever comes first; the
 * child is killed if it does not stop.
 *
 * @module bench
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTotp, signJwt } from '@securemfa/core';
import type { BenchFigure, BenchSuite } from '../types.js';

const QR_BIN = fileURLToPath(new URL('../../../../packages/qr-otp/dist/bin.js', import.meta.url));
/** Users enrolled for the soak: more than the successes one step needs at the target rate. */
const USERS = 800;
/** Logins (one mixed operation each) per second the lanes aim for. */
const TARGET_PER_SEC = 40;
const LANES = 8;
const SAMPLE_EVERY_MS = 5000;
const REQUEST_TIMEOUT_MS = 15_000;
/** Largest rise of the per-minute heap floor over the run that still counts as "no leak". */
const MAX_HEAP_FLOOR_GROWTH_MIB = 5;
/** Warm-up before the heap floors count (minutes). */
const HEAP_WARMUP_MIN = 1;
const MIB = 1024 * 1024;

interface SoakUser {
  upn: string;
  secret: string;
  /** A lane is signing this user in (no other lane takes the user meanwhile). */
  busy: boolean;
  /** Step of the last code sent for a success (−1: none yet). */
  lastStep: number;
  /** Step and code of the last success the host confirmed (for the reuse probe). */
  confirmedStep: number;
  lastCode: string;
}

type Op = 'success' | 'wrong' | 'reused' | 'page' | 'probe';

/** A small seeded PRNG (mulberry32): the same mix every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** RSS of a process in bytes, from /proc (Linux), or undefined. */
function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}

/**
 * A sample's value in a Prometheus text exposition, by its full name (no labels), or undefined.
 * The host registers prom-client's process metrics with the `securemfa_` prefix, hence the
 * names below.
 */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name} `)) continue;
    const value = Number(line.slice(name.length + 1).trim());
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

/** V8's used heap, as the host's /metrics names it. */
export const HEAP_USED_METRIC = 'securemfa_nodejs_heap_size_used_bytes';
/** Resident memory, as the host's /metrics names it. */
export const RSS_METRIC = 'securemfa_process_resident_memory_bytes';

async function fromMetrics(base: string, name: string): Promise<number | undefined> {
  const r = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return metricValue(await r.text(), name);
}

/**
 * The lowest sample of each whole minute from `fromMin` on: what survived garbage collection.
 *
 * @param points - (minutes, MiB) samples
 * @param fromMin - first minute counted
 * @returns one point per minute with samples, at the minute's middle
 */
export function minuteFloors(
  points: readonly { x: number; y: number }[],
  fromMin: number,
): { x: number; y: number }[] {
  const floors = new Map<number, number>();
  for (const p of points) {
    if (p.x < fromMin) continue;
    const minute = Math.floor(p.x);
    floors.set(minute, Math.min(floors.get(minute) ?? Infinity, p.y));
  }
  return [...floors.entries()].sort((a, b) => a[0] - b[0]).map(([m, y]) => ({ x: m + 0.5, y }));
}

/** Least-squares slope of y over x. */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** Start serve and wait (bounded) for its URL. */
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
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`soak: serve did not start in 30 s\n${out}\n${err}`));
    }, 30_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-20_000)));
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
      reject(new Error(`soak: serve exited (${code ?? signal})\n${out}\n${err}`));
    });
  });
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** The soak (runs only with --soak / --soak-seconds). */
export const soakSuite: BenchSuite = {
  id: 'soak',
  title: 'soak: mixed logins on loopback against a serve process, RSS sampled',
  iterations: 0,
  maxMs: 1,
  soak: true,
  setup(context) {
    const seconds = context.soakSeconds;
    const dir = mkdtempSync(join(tmpdir(), 'securemfa-bench-soak-'));
    const apiKey = randomBytes(32).toString('base64url');
    const configFile = join(dir, 'SecureMfaOtpProvider.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        company: 'Soak',
        auth_mode: 'SQLITE',
        sqlite_path: join(dir, 'soak.db'),
        data_encryption: 'true',
        data_encryption_passphrase: randomBytes(18).toString('base64url'),
        adapter_api_key: apiKey,
        ui_login_failures: '0',
        rate_limit_per_ip_per_minute: '1000000',
        rate_limit_per_user_per_minute: '1000000',
        log_file: join(dir, 'soak.log'),
      }),
      { mode: 0o600 },
    );
    let child: ChildProcess | undefined;

    const figures = async (): Promise<BenchFigure[]> => {
      const started = await startServe(configFile, dir);
      child = started.child;
      const { base } = started;
      const pid = child.pid!;
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        return { status: r.status, json: (await r.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
      };

      // Enrolment (not measured): begin shows each user's secret.
      const users: SoakUser[] = [];
      for (let i = 0; i < USERS; i += 1) {
        const upn = `soak${i}@bench.test`;
        const b = await post('/adapter/begin', { upn });
        const secret = b.json.presentation?.enrollment?.secret;
        if (b.status !== 200 || typeof secret !== 'string') {
          throw new Error(`soak self-check: enrolment of ${upn}: ${b.status}`);
        }
        users.push({ upn, secret, busy: false, lastStep: -1, confirmedStep: -1, lastCode: '' });
      }

      const random = prng(20261202);
      const pick = (): Op => {
        const r = random();
        return r < 0.5
          ? 'success'
          : r < 0.75
            ? 'wrong'
            : r < 0.85
              ? 'reused'
              : r < 0.95
                ? 'page'
                : 'probe';
      };
      const counts: Record<string, number> = {};
      const latencies: number[] = [];
      const errorSamples: string[] = [];
      let errors = 0;
      const fail = (what: string): void => {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(what);
      };
      const step = (): number => Math.floor(Date.now() / 30_000);

      const login = async (op: Op): Promise<void> => {
        const t0 = performance.now();
        if (op === 'probe') {
          for (const path of ['/healthz', '/readyz', '/metrics']) {
            const r = await fetch(`${base}${path}`, {
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
            await r.arrayBuffer();
            if (r.status !== 200) fail(`${path} → ${r.status}`);
          }
        } else if (op === 'page') {
          const u = users[Math.floor(random() * users.length)]!;
          const request = await signJwt(
            { sub: u.upn, return_to: 'https://app.bench.test/cb', state: 'soak' },
            { secret: apiKey, now: new Date(), ttlSeconds: 300, audience: 'qr-otp' },
          );
          const r = await fetch(`${base}/mfa?request=${request}`, {
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          await r.arrayBuffer();
          if (r.status !== 200) fail(`GET /mfa → ${r.status}`);
        } else {
          const now = step();
          let u: SoakUser | undefined;
          if (op === 'success') u = users.find((x) => !x.busy && x.lastStep < now);
          if (op === 'reused') u = users.find((x) => !x.busy && x.confirmedStep === now);
          if (u === undefined) {
            op = 'wrong';
            for (let tries = 0; tries < 10 && (u === undefined || u.busy); tries += 1) {
              u = users[Math.floor(random() * users.length)]!;
            }
          }
          const user = u!;
          // Taken before the first await: no two lanes sign the same user in at once.
          const took = !user.busy;
          user.busy = true;
          if (op === 'success') user.lastStep = now;
          try {
            await signIn(op, user, now);
          } finally {
            if (took) user.busy = false;
          }
        }
        counts[op] = (counts[op] ?? 0) + 1;
        latencies.push(performance.now() - t0);
      };

      const signIn = async (op: Op, user: SoakUser, now: number): Promise<void> => {
        {
          const b = await post('/adapter/begin', { upn: user.upn });
          if (b.status !== 200) {
            fail(`begin → ${b.status}`);
            return;
          }
          const epoch = Math.floor(Date.now() / 1000);
          let code: string;
          let expect: string;
          if (op === 'success') {
            code = generateTotp({ secret: user.secret, epoch });
            user.lastStep = Math.max(now, Math.floor(epoch / 30));
            expect = 'ok';
          } else if (op === 'reused') {
            code = user.lastCode;
            expect = 'reused_code';
          } else {
            const near = new Set(
              [-60, -30, 0, 30, 60].map((d) =>
                generateTotp({ secret: user.secret, epoch: epoch + d }),
              ),
            );
            code = String(Math.floor(random() * 1_000_000)).padStart(6, '0');
            while (near.has(code)) code = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
            expect = 'invalid_code';
          }
          const e = await post('/adapter/end', { context: b.json.context, code });
          const got =
            e.status === 200
              ? e.json.ok === true
                ? 'ok'
                : String(e.json.reason)
              : `http_${e.status}`;
          if (got !== expect) fail(`${op}: expected ${expect}, got ${got}`);
          if (op === 'success' && got === 'ok') {
            user.confirmedStep = Math.floor(epoch / 30);
            user.lastCode = code;
          }
        }
      };

      const samples: { x: number; y: number }[] = [];
      const heap: { x: number; y: number }[] = [];
      const t0 = Date.now();
      const sample = async (): Promise<void> => {
        const rss = rssOf(pid) ?? (await fromMetrics(base, RSS_METRIC));
        const x = (Date.now() - t0) / 60_000;
        if (rss !== undefined) samples.push({ x, y: rss / MIB });
        const used = await fromMetrics(base, HEAP_USED_METRIC);
        if (used !== undefined) heap.push({ x, y: used / MIB });
      };
      await sample();
      const sampler = setInterval(() => void sample().catch(() => undefined), SAMPLE_EVERY_MS);
      const deadline = t0 + seconds * 1000;
      const cap = seconds * TARGET_PER_SEC * 2;
      let issued = 0;
      const lane = async (k: number): Promise<void> => {
        for (let n = k; Date.now() < deadline && issued < cap; n += LANES) {
          // Paced: operation n is due at t0 + n / rate.
          const due = t0 + (n * 1000) / TARGET_PER_SEC;
          const wait = due - Date.now();
          if (wait > 0)
            await new Promise((r) => setTimeout(r, Math.min(wait, deadline - Date.now())));
          if (Date.now() >= deadline) break;
          issued += 1;
          try {
            await login(pick());
          } catch (err) {
            fail(`network: ${(err as Error).message}`);
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: LANES }, (_, k) => lane(k)));
      } finally {
        clearInterval(sampler);
      }
      await sample();
      const elapsedMin = (Date.now() - t0) / 60_000;
      const alive = child.exitCode === null && child.signalCode === null;
      if (!alive) fail('the serve process died');
      // V8 sizes its heap during the first minutes (RSS rises, then a major GC drops it): the
      // trend is taken over the rest, after a quarter of the run (at most 3 minutes).
      const warmup = Math.min(3, elapsedMin / 4);
      const measured = samples.filter((p) => p.x >= warmup);
      const perMin = slope(measured);
      const growth = perMin * (elapsedMin - warmup);
      const half = warmup + (elapsedMin - warmup) / 2;
      const mean = (ps: { y: number }[]): number =>
        ps.length === 0 ? 0 : ps.reduce((a, p) => a + p.y, 0) / ps.length;
      const halves =
        mean(measured.filter((p) => p.x >= half)) - mean(measured.filter((p) => p.x < half));
      const floors = minuteFloors(heap, HEAP_WARMUP_MIN);
      const floorPerMin = slope(floors);
      const floorGrowth = floorPerMin * Math.max(0, elapsedMin - HEAP_WARMUP_MIN);
      if (floors.length < 3)
        fail(`too few heap samples for the leak test (${floors.length} minutes)`);
      const sorted = [...latencies].sort((a, b) => a - b);
      const rss = samples.map((p) => p.y);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      process.stdout.write(
        `soak: ${total} logins in ${elapsedMin.toFixed(1)} min (${JSON.stringify(counts)}), ${errors} errors${errorSamples.length > 0 ? ` e.g. ${errorSamples.join(' | ')}` : ''}; RSS ${rss.map((v) => v.toFixed(0)).join(' ')} MiB\n`,
      );
      return [
        {
          id: 'heap-floor-growth-mib',
          title: 'heap floor rise over the run (used heap after collections, per-minute minima)',
          value: floorGrowth,
          unit: 'MiB',
          target: { op: '<=', value: MAX_HEAP_FLOOR_GROWTH_MIB },
          required: true,
          note: `floors ${floors.map((p) => p.y.toFixed(1)).join(' ')} MiB; slope ${floorPerMin.toFixed(3)} MiB/min after a ${HEAP_WARMUP_MIN} min warm-up`,
        },
        {
          id: 'rss-growth-mib',
          title:
            'RSS rise over the measured run (least-squares trend after warm-up; for information)',
          value: growth,
          unit: 'MiB',
          note: `${measured.length} samples every ${SAMPLE_EVERY_MS / 1000} s after a ${warmup.toFixed(1)} min warm-up; slope ${perMin.toFixed(3)} MiB/min`,
        },
        {
          id: 'rss-halves-mib',
          title: 'RSS mean of the second half − the first half (after warm-up)',
          value: halves,
          unit: 'MiB',
        },
        {
          id: 'rss-slope-mib-per-min',
          title: 'RSS trend',
          value: perMin,
          unit: 'MiB/min',
        },
        { id: 'rss-start-mib', title: 'RSS at the start', value: rss[0] ?? 0, unit: 'MiB' },
        { id: 'rss-end-mib', title: 'RSS at the end', value: rss.at(-1) ?? 0, unit: 'MiB' },
        { id: 'rss-max-mib', title: 'RSS, largest sample', value: Math.max(...rss), unit: 'MiB' },
        {
          id: 'errors',
          title: 'errors (network errors, non-2xx, unexpected outcomes, process died)',
          value: errors,
          unit: '',
          target: { op: '<=', value: 0 },
          required: true,
          note: errorSamples.join(' | '),
        },
        {
          id: 'logins',
          title: `mixed logins (${Object.entries(counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`,
          value: total,
          unit: '',
          note: `${LANES} lanes paced to ${TARGET_PER_SEC}/s, ${USERS} users, ${elapsedMin.toFixed(1)} min`,
        },
        {
          id: 'logins-per-sec',
          title: 'logins per second achieved',
          value: total / (elapsedMin * 60),
          unit: '/s',
        },
        {
          id: 'login-p50-ms',
          title: 'login latency p50 (begin + end, or one page/probe)',
          value: percentile(sorted, 0.5),
          unit: 'ms',
        },
        {
          id: 'login-p99-ms',
          title: 'login latency p99',
          value: percentile(sorted, 0.99),
          unit: 'ms',
        },
      ];
    };

    return {
      cases: [],
      figures,
      teardown: async () => {
        if (child !== undefined) await stopServe(child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};
