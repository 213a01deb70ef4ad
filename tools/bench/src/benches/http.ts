/**
 * The HTTP path: POST /adapter/end on the provider host (fastify, built in-process as `serve`
 * builds it: see http-host.ts) on 127.0.0.1 with keep-alive and 64 requests in flight, next to
 * a bare `node:http` server (http-bare.ts) driven by the same client in the same run. Targets:
 * the host serves ≥ 0.35x the bare server's requests/s, and its p99 latency is ≤ 15 ms.
 *
 * Two suites, as for the accept path: `http` with the store as shipped (synchronous FULL: one
 * fsync per accepted code, on the event loop, since better-sqlite3 is synchronous) — the
 * targets apply there — and `http-normal` with synchronous NORMAL, for information: what the
 * host costs without the fsync.
 *
 * **Request mix.** Every request to the host is a real, successful sign-in: a user who has
 * begun one (`adapter.begin` made the sealed context), with the code of the current step from
 * that user's secret, the real clock on both sides. Each user is used once (there are more
 * users than requests), so every request runs the whole path: bearer check, JSON schema, open
 * the sealed context (compact JWE, dir + A256GCM), store read, decrypt the secret (v2; a real
 * decrypt every time, since no user comes twice the decrypt cache never hits), verify the code, the
 * conditional UPDATE, the log record (built and redacted; the logger writes nowhere), the
 * metrics. Outcomes are counted from the answers and printed; the suite fails when under 99%
 * are `success` (the mix is not what this says) or when over 1% are errors (network error,
 * non-2xx status, or no boolean `ok`). The bare server gets the same bodies and answers
 * `{"ok":true}`.
 *
 * **Measurement.** One operation of the runner is a batch of 1,000 requests with 64 in flight
 * (a closed loop: a lane sends its next request when its answer is read), so the table's
 * ops/s are batches/s (×1,000 for requests/s) and time/op is the time of 1,000 requests. The
 * runner interleaves host and bare batches in 20 rounds after 3 warm-up batches each, capped at
 * 20 s of measured time per side. A batch ends when its last answer is in (a short drain, a few
 * per cent of a batch on both sides). Latency is per request, send to whole answer read, as
 * the client sees it. The latencies, the outcomes and how busy the server and client threads
 * were are printed when the suite ends (the report format has no place for them).
 *
 * **Where the time goes** (for information): two more servers get the same requests in the same
 * rounds (http-floor.ts) — plain fastify with one route, and the provider host's framework
 * (`createProviderHost` as above over an adapter that answers success at once). Each side's
 * line shows its server thread's CPU per request (event-loop busy time ÷ requests), so the
 * report reads: node:http → fastify → the host's framework → the whole sign-in.
 *
 * **Client.** Lean (raw sockets, requests built before each batch: http-load.ts), so it is never
 * what limits a server; in a worker thread, so the servers have the main thread to themselves,
 * as a deployed host has its process, and a request's latency holds no client work of the other
 * 63; `SECUREMFA_BENCH_HTTP_CLIENT=inline` runs it in the main thread instead, to compare.
 *
 * @module bench
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createLoadClient,
  spawnLoadClient,
  type LoadClient,
  type LoadClientOptions,
} from '../load/http-load.js';
import { createLoadTally, type LoadSummary, type LoadTally } from '../load/latency.js';
import type { BenchCase, BenchSuite } from '../types.js';
import { startBareServer } from './http-bare.js';
import { startHostFramework, startPlainFastify } from './http-floor.js';
import { startProviderHost } from './http-host.js';

const CONCURRENCY = 64;
/** Requests per runner operation. */
const BATCH = 1_000;
/** Measured batches per side: 20,000 requests. */
const ITERATIONS = 20;
/** Warm-up batches per side (the runner's first call included). */
const WARMUP = 3;
/** More users than the host can be sent requests, so each is used once. */
const USERS = (ITERATIONS + WARMUP + 1) * BATCH;
const RATIO_TARGET = 0.35;
const P99_TARGET_MS = 15;
const MAX_ERROR_SHARE = 0.01;
const MIN_SUCCESS_SHARE = 0.99;

type ClientMode = 'worker' | 'inline';

const clientMode = (): ClientMode =>
  process.env.SECUREMFA_BENCH_HTTP_CLIENT === 'inline' ? 'inline' : 'worker';

const num = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** A case whose first WARMUP calls are the runner's warm-up (not tallied). */
function loadCase(
  id: string,
  title: string,
  client: LoadClient,
  target: string,
  tally: LoadTally,
): BenchCase {
  let calls = 0;
  return {
    id,
    title,
    fn: async () => {
      const measured = calls++ >= WARMUP;
      const elu = performance.eventLoopUtilization();
      const batch = await client.run(target, BATCH);
      if (measured) tally.add(batch, performance.eventLoopUtilization(elu).utilization);
    },
  };
}

/** The server thread's busy time per request, µs. */
function serverMicrosPerRequest(s: LoadSummary): number {
  return s.requests === 0 ? 0 : (s.serverBusy * s.wallMs * 1000) / s.requests;
}

function summaryLine(label: string, s: LoadSummary): string {
  const outcomes = Object.entries(s.outcomes)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join(', ');
  return (
    `  ${label.padEnd(24)} ${num(s.requestsPerSec).padStart(7)} req/s  ` +
    `p50 ${num(s.p50Ms, 2)} ms  p90 ${num(s.p90Ms, 2)} ms  p99 ${num(s.p99Ms, 2)} ms  ` +
    `max ${num(s.maxMs, 1)} ms  errors ${num(s.errors)}/${num(s.requests)} [${outcomes}]  ` +
    `busy: server ${pct(s.serverBusy)} (${num(serverMicrosPerRequest(s))} µs/request), ` +
    `client ${pct(s.clientBusy)}`
  );
}

interface Tallies {
  host: LoadSummary;
  bare: LoadSummary;
  fastify: LoadSummary;
  framework: LoadSummary;
}

function report(id: string, mode: ClientMode, targets: boolean, t: Tallies) {
  const { host: h, bare: b } = t;
  if (h.requests === 0 || b.requests === 0) return;
  const ratio = h.requestsPerSec / b.requestsPerSec;
  const verdict = (ok: boolean, target: string): string =>
    targets ? ` (target ${target}: ${ok ? 'met' : 'NOT met'})` : ' (for information)';
  process.stdout.write(
    [
      `${id}: ${CONCURRENCY} in flight, keep-alive, client in ${mode === 'worker' ? 'a worker thread' : 'the main thread'}; ` +
        `measured batches only (after ${num(WARMUP * BATCH)} warm-up requests per side):`,
      summaryLine('host POST /adapter/end', h),
      summaryLine('bare node:http', b),
      summaryLine('plain fastify', t.fastify),
      summaryLine('host framework only', t.framework),
      `  the sign-in itself (host − host framework): ` +
        `${num(serverMicrosPerRequest(h) - serverMicrosPerRequest(t.framework))} µs/request of the server thread`,
      `  host ÷ bare, requests/s over all measured batches: ${num(ratio, 2)}x` +
        verdict(ratio >= RATIO_TARGET, `≥ ${RATIO_TARGET}x`),
      `  host p99: ${num(h.p99Ms, 2)} ms` +
        verdict(h.p99Ms <= P99_TARGET_MS, `≤ ${P99_TARGET_MS} ms`),
      '',
      '',
    ].join('\n'),
  );
}

/** Fail the suite when the answers are not what the suite says it measures. */
function check(t: Tallies): void {
  const h = t.host;
  for (const [label, s] of [
    ['provider host', h],
    ['bare server', t.bare],
    ['plain fastify', t.fastify],
    ['host framework', t.framework],
  ] as const) {
    if (s.requests > 0 && s.errors / s.requests > MAX_ERROR_SHARE) {
      throw new Error(
        `bench self-check: ${label}: ${s.errors} of ${s.requests} requests failed ` +
          `(more than ${MAX_ERROR_SHARE * 100}%); e.g. ${s.errorSamples.join(' | ')}`,
      );
    }
  }
  const success = h.outcomes.success ?? 0;
  if (h.requests > 0 && success / h.requests < MIN_SUCCESS_SHARE) {
    throw new Error(
      `bench self-check: only ${success} of ${h.requests} host requests were successful sign-ins ` +
        `(${JSON.stringify(h.outcomes)}); the suite measures the success path`,
    );
  }
}

function httpBench(synchronous: 'FULL' | 'NORMAL'): BenchSuite {
  const shipped = synchronous === 'FULL';
  const id = shipped ? 'http' : 'http-normal';
  return {
    id,
    title:
      `HTTP POST /adapter/end vs bare node:http, loopback keep-alive, ${CONCURRENCY} in flight, ` +
      `SQLite synchronous ${synchronous}${shipped ? ' (as shipped)' : ''}; one op = ${num(BATCH)} requests`,
    iterations: ITERATIONS,
    maxMs: 20_000,
    warmup: WARMUP,
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'securemfa-bench-http-'));
      const closers: (() => Promise<void>)[] = [
        async () => rmSync(dir, { recursive: true, force: true }),
      ];
      const closeAll = async (): Promise<void> => {
        for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
      };
      try {
        const host = await startProviderHost({
          dir,
          users: USERS,
          ...(shipped ? {} : { synchronous }),
        });
        closers.push(host.close);
        const bare = await startBareServer();
        closers.push(bare.close);
        const fastify = await startPlainFastify();
        closers.push(fastify.close);
        const framework = await startHostFramework();
        closers.push(framework.close);
        const headers = { 'content-type': 'application/json', accept: 'application/json' };
        const bearer = (key: string) => ({ ...headers, authorization: `Bearer ${key}` });
        const options: LoadClientOptions = {
          targets: {
            host: { port: host.port, path: '/adapter/end', headers: bearer(host.apiKey) },
            bare: { port: bare.port, path: '/adapter/end', headers },
            fastify: { port: fastify.port, path: '/adapter/end', headers },
            framework: {
              port: framework.port,
              path: '/adapter/end',
              headers: bearer(framework.apiKey),
            },
          },
          users: host.users,
          concurrency: CONCURRENCY,
        };
        const mode = clientMode();
        const client =
          mode === 'worker' ? await spawnLoadClient(options) : createLoadClient(options);
        closers.push(client.close);
        const hostTally = createLoadTally();
        const bareTally = createLoadTally();
        const fastifyTally = createLoadTally();
        const frameworkTally = createLoadTally();
        return {
          cases: [
            loadCase(
              'host-end',
              `provider host: POST /adapter/end, each a successful sign-in (${num(BATCH)} requests)`,
              client,
              'host',
              hostTally,
            ),
            loadCase(
              'bare-http',
              `bare node:http: read the body, answer 200 JSON (${num(BATCH)} requests)`,
              client,
              'bare',
              bareTally,
            ),
            loadCase(
              'plain-fastify',
              `plain fastify, one route answering success (${num(BATCH)} requests; for information)`,
              client,
              'fastify',
              fastifyTally,
            ),
            loadCase(
              'host-framework',
              `provider host over an adapter that answers at once (${num(BATCH)} requests; for information)`,
              client,
              'framework',
              frameworkTally,
            ),
          ],
          figures: () => {
            const h = hostTally.summary();
            if (h.requests === 0) return [];
            return [
              {
                id: 'host-p99-ms',
                title: `host POST /adapter/end p99 latency, ${CONCURRENCY} in flight (synchronous ${synchronous})`,
                value: h.p99Ms,
                unit: 'ms',
                ...(shipped ? { target: { op: '<=' as const, value: P99_TARGET_MS } } : {}),
                note: `per request, send to whole answer read, over ${num(h.requests)} measured requests`,
              },
            ];
          },
          teardown: async () => {
            await closeAll();
            const tallies: Tallies = {
              host: hostTally.summary(),
              bare: bareTally.summary(),
              fastify: fastifyTally.summary(),
              framework: frameworkTally.summary(),
            };
            report(id, mode, shipped, tallies);
            check(tallies);
          },
        };
      } catch (err) {
        await closeAll();
        throw err;
      }
    },
    ratios: [
      {
        id: 'host-vs-bare',
        title: `provider host ÷ bare node:http (requests/s, median round), synchronous ${synchronous}`,
        numerator: 'host-end',
        denominator: 'bare-http',
        ...(shipped ? { target: RATIO_TARGET } : {}),
      },
    ],
  };
}

/** As shipped (synchronous FULL): the targets apply here. */
export const httpSuite: BenchSuite = httpBench('FULL');
/** synchronous NORMAL: the host's cost without the fsync, for information. */
export const httpNormalSuite: BenchSuite = httpBench('NORMAL');
