/**
 * A closed-loop HTTP load client for the http bench: `concurrency` requests in flight over a
 * keep-alive `http.Agent` (one agent per target, `maxSockets` = concurrency), each request a
 * POST of an `/adapter/end` body built for the next user (their sealed context and the TOTP code
 * of the current step), latency per request with `process.hrtime.bigint`.
 *
 * The same client code drives every target, so a bare server and the provider host see exactly
 * the same client work per request: build the body, send it, read and parse the JSON answer.
 *
 * Runs in the calling thread ({@link createLoadClient}) or in a worker thread
 * ({@link spawnLoadClient}, entry http-load-worker.ts), so that the servers can have the main
 * thread to themselves.
 *
 * @module bench
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { generateTotp } from '@securemfa/core';

/** Where one target listens and what every request to it carries. */
export interface LoadTarget {
  port: number;
  path: string;
  /** Sent with every request (content-type, authorization…); content-length is added. */
  headers: Record<string, string>;
}

/** One user as the client sees them: what an identity provider's adapter would hold. */
export interface LoadUser {
  /** Plain base32 secret: the user's authenticator app. */
  secret: string;
  /** The sealed context `begin` returned. */
  context: string;
}

/** Options of {@link createLoadClient} (structured-clonable: they go to the worker as is). */
export interface LoadClientOptions {
  /** Target name → target. */
  targets: Record<string, LoadTarget>;
  /** Users in the order they are used; each target walks the list on its own, wrapping at the end. */
  users: readonly LoadUser[];
  /** Requests in flight at once (also the agent's socket limit). */
  concurrency: number;
}

/** What one batch measured. */
export interface BatchResult {
  /** Requests sent (= requested count). */
  requests: number;
  /** Wall time of the batch, nanoseconds, from the first request sent to the last answer read. */
  wallNs: number;
  /** Latency of each request, nanoseconds (send → whole body read). */
  latencyNs: Float64Array;
  /** Requests with a network error, a non-2xx status, or a body without a boolean `ok`. */
  errors: number;
  /** Up to 5 descriptions of those errors. */
  errorSamples: string[];
  /** Well-formed answers by outcome: `success`, or the `reason` of an `ok: false` answer. */
  outcomes: Record<string, number>;
  /** Share of the batch the client's thread was busy (event-loop utilisation, 0–1). */
  clientBusy: number;
}

/** Runs batches against the targets. */
export interface LoadClient {
  /** Send `count` requests to `target`, `concurrency` at a time; resolves when all are answered. */
  run(target: string, count: number): Promise<BatchResult>;
  /** Close the sockets (and the worker). */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_ERROR_SAMPLES = 5;

interface Answer {
  status: number;
  body: string;
}

function send(agent: Agent, target: LoadTarget, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: HOST,
        port: target.port,
        method: 'POST',
        path: target.path,
        headers: { ...target.headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `success`, the failure reason, or undefined when the answer is not a well-formed result. */
function outcomeOf(answer: Answer): string | undefined {
  if (answer.status < 200 || answer.status > 299) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { ok, reason } = parsed as { ok?: unknown; reason?: unknown };
  if (typeof ok !== 'boolean') return undefined;
  return ok ? 'success' : String(reason);
}

/**
 * A client in the calling thread.
 *
 * @param options - targets, users, concurrency
 * @returns the client
 * @throws {TypeError} for a concurrency below 1 or no users
 */
export function createLoadClient(options: LoadClientOptions): LoadClient {
  const { targets, users, concurrency } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new TypeError(`"concurrency" must be a positive integer, got ${String(concurrency)}`);
  }
  if (users.length === 0) throw new TypeError('"users" must not be empty');
  const agents = new Map<string, Agent>();
  const cursors = new Map<string, number>();
  const agentFor = (name: string): Agent => {
    let agent = agents.get(name);
    if (agent === undefined) {
      agent = new Agent({ keepAlive: true, maxSockets: concurrency });
      agents.set(name, agent);
    }
    return agent;
  };

  const nextBody = (name: string): string => {
    const i = cursors.get(name) ?? 0;
    cursors.set(name, i + 1);
    const user = users[i % users.length]!;
    const code = generateTotp({ secret: user.secret, epoch: Math.floor(Date.now() / 1000) });
    // What an identity provider's adapter sends: the context, the code, the end user's address.
    return JSON.stringify({
      context: user.context,
      code,
      ip: `192.0.2.${(i % 254) + 1}`,
      userAgent: 'securemfa-bench/1.0',
    });
  };

  return {
    async run(name, count) {
      const target = targets[name];
      if (target === undefined) throw new TypeError(`unknown target "${name}"`);
      const agent = agentFor(name);
      const latencyNs = new Float64Array(count);
      const outcomes: Record<string, number> = {};
      const errorSamples: string[] = [];
      let errors = 0;
      let issued = 0;
      const lane = async (): Promise<void> => {
        while (issued < count) {
          const slot = issued++;
          const body = nextBody(name);
          const start = process.hrtime.bigint();
          let outcome: string | undefined;
          let problem: string;
          try {
            const answer = await send(agent, target, body);
            outcome = outcomeOf(answer);
            problem = `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`;
          } catch (err) {
            problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
          }
          latencyNs[slot] = Number(process.hrtime.bigint() - start);
          if (outcome === undefined) {
            errors += 1;
            if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(problem);
          } else {
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          }
        }
      };
      const elu = performance.eventLoopUtilization();
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
      const wallNs = Number(process.hrtime.bigint() - start);
      const clientBusy = performance.eventLoopUtilization(elu).utilization;
      return { requests: count, wallNs, latencyNs, errors, errorSamples, outcomes, clientBusy };
    },
    async close() {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
    },
  };
}

type WorkerReply =
  { id: number; result: BatchResult } | { id: number; error: string } | { ready: true };

/**
 * The same client in a worker thread: the calling thread only posts "run a batch" and gets the
 * result back (the latencies transferred, not copied).
 *
 * @param options - targets, users, concurrency (cloned into the worker)
 * @returns the client, once the worker is ready
 */
export async function spawnLoadClient(options: LoadClientOptions): Promise<LoadClient> {
  const worker = new Worker(new URL('./http-load-worker.js', import.meta.url), {
    workerData: options,
  });
  const pending = new Map<
    number,
    { resolve: (r: BatchResult) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (err: Error): void => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (msg: WorkerReply) => {
      worker.off('error', reject);
      if ('ready' in msg) resolve();
      else reject(new Error('load worker: unexpected first message'));
    });
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`load worker exited (code ${code})`)));
  worker.on('message', (msg: WorkerReply) => {
    if ('ready' in msg) return;
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if ('error' in msg) p.reject(new Error(`load worker: ${msg.error}`));
    else p.resolve(msg.result);
  });
  return {
    run(target, count) {
      if (failure !== undefined) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, target, count });
      });
    },
    async close() {
      failure ??= new Error('load client closed');
      await worker.terminate();
    },
  };
}
