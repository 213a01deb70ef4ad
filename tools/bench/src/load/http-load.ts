/**
 * A closed-loop HTTP load client for the http bench: `concurrency` keep-alive connections, one
 * request in flight on each, each request a POST of an `/adapter/end` body built for the next
 * user (their sealed context and the TOTP code of the current step), latency per request with
 * `process.hrtime.bigint`.
 *
 * The client is lean on purpose: raw `node:net` sockets, each batch's requests built as bytes
 * before the batch starts (bodies, codes and headers are not timed), and an incremental reader
 * that only frames `Content-Length` bodies (http1-reader.ts). A `node:http` Agent client costs
 * ~100 µs of its thread per request on the bench VM, so it, not the bare server, set the bare
 * server's figure (client thread 99% busy, server 35%) and flattered every ratio against it;
 * this one costs a few µs, so each server is measured at what it can do.
 *
 * The same client code drives every target, so a bare server and the provider host see exactly
 * the same client work per request: send the bytes, read and parse the JSON answer.
 *
 * Runs in the calling thread ({@link createLoadClient}) or in a worker thread
 * ({@link spawnLoadClient}, entry http-load-worker.ts), so that the servers can have the main
 * thread to themselves.
 *
 * @module bench
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { generateTotp } from '@securemfa/core';
import { createHttp1Reader, type Http1Reader, type Http1Response } from './http1-reader.js';

/** Where one target listens and what every request to it carries. */
export interface LoadTarget {
  port: number;
  path: string;
  /** Sent with every request (content-type, authorization…); host and content-length are added. */
  headers: Record<string, string>;
  /** This target's own users (default: the client's `users`). */
  users?: readonly LoadUser[];
  /** This target's own requests in flight (default: the client's `concurrency`). */
  concurrency?: number;
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
  /**
   * Users in the order they are used; each target walks its list (its own, or this one) on its
   * own, wrapping at the end.
   */
  users: readonly LoadUser[];
  /** Requests in flight at once per target (= its connections), unless the target says. */
  concurrency: number;
  /** A request with no whole answer after this many ms is an error (default 30,000). */
  requestTimeoutMs?: number;
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
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * One keep-alive connection with at most one request in flight. A broken, closed or silent
 * connection fails the request in flight and is replaced by a new one on the next request.
 */
class Connection {
  private socket: Socket | undefined;
  private reader: Http1Reader = createHttp1Reader();
  private waiting: { resolve: (r: Http1Response) => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  exchange(request: Buffer): Promise<Http1Response> {
    const socket = this.socket ?? this.open();
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(request);
    });
  }

  close(): void {
    this.fail(new Error('load client closed'));
  }

  private open(): Socket {
    const socket = connect({ host: HOST, port: this.port });
    socket.setNoDelay(true);
    socket.setTimeout(this.timeoutMs);
    this.reader = createHttp1Reader();
    this.socket = socket;
    const current = (): boolean => this.socket === socket;
    socket.on('data', (chunk: Buffer) => {
      if (!current()) return;
      let responses: Http1Response[];
      try {
        responses = this.reader.push(chunk);
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      for (const response of responses) {
        const waiting = this.waiting;
        this.waiting = undefined;
        if (waiting === undefined) {
          this.fail(new Error('the server sent a response nobody asked for'));
          return;
        }
        if (response.close) this.drop();
        waiting.resolve(response);
      }
    });
    socket.on('timeout', () => {
      if (current()) this.fail(new Error(`no whole answer within ${this.timeoutMs} ms`));
    });
    socket.on('error', (err) => {
      if (current()) this.fail(err);
    });
    socket.on('close', () => {
      if (current()) this.fail(new Error('the server closed the connection'));
    });
    return socket;
  }

  private fail(err: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.drop();
    waiting?.reject(err);
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.destroy();
  }
}

/** The request line and headers of a target, up to (not including) content-length. */
function requestHead(target: LoadTarget): string {
  const lines = [`POST ${target.path} HTTP/1.1`, `host: ${HOST}:${target.port}`];
  for (const [name, value] of Object.entries(target.headers)) {
    if (/[\r\n]/.test(name + value)) throw new TypeError(`header ${name} holds a line break`);
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `success`, the failure reason, or undefined when the answer is not a well-formed result. */
function outcomeOf(answer: Http1Response): string | undefined {
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
 * @param options - targets, users, concurrency, request timeout
 * @returns the client
 * @throws {TypeError} for a concurrency below 1, no users, or a header holding a line break
 */
export function createLoadClient(options: LoadClientOptions): LoadClient {
  const { targets } = options;
  const checkConcurrency = (value: number, what: string): number => {
    if (!Number.isInteger(value) || value < 1) {
      throw new TypeError(`${what} must be a positive integer, got ${String(value)}`);
    }
    return value;
  };
  checkConcurrency(options.concurrency, '"concurrency"');
  if (options.users.length === 0) throw new TypeError('"users" must not be empty');
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const heads = new Map<string, string>();
  for (const [name, target] of Object.entries(targets)) {
    heads.set(name, requestHead(target));
    if (target.concurrency !== undefined) {
      checkConcurrency(target.concurrency, `target "${name}": "concurrency"`);
    }
    if (target.users?.length === 0) throw new TypeError(`target "${name}": "users" is empty`);
  }
  const connections = new Map<string, Connection[]>();
  const cursors = new Map<string, number>();
  const connectionsFor = (name: string, target: LoadTarget): Connection[] => {
    let list = connections.get(name);
    if (list === undefined) {
      const count = target.concurrency ?? options.concurrency;
      list = Array.from({ length: count }, () => new Connection(target.port, timeoutMs));
      connections.set(name, list);
    }
    return list;
  };

  /** The next user's request as bytes: what an identity provider's adapter sends. */
  const nextRequest = (name: string, head: string, epoch: number): Buffer => {
    const users = targets[name]?.users ?? options.users;
    const i = cursors.get(name) ?? 0;
    cursors.set(name, i + 1);
    const user = users[i % users.length]!;
    const body = JSON.stringify({
      context: user.context,
      code: generateTotp({ secret: user.secret, epoch }),
      ip: `192.0.2.${(i % 254) + 1}`,
      userAgent: 'securemfa-bench/1.0',
    });
    return Buffer.from(`${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };

  return {
    async run(name, count) {
      const target = targets[name];
      const head = heads.get(name);
      if (target === undefined || head === undefined) {
        throw new TypeError(`unknown target "${name}"`);
      }
      // Built before the clock starts: codes of the current step (a batch takes well under the
      // ±1 step window the host accepts).
      const epoch = Math.floor(Date.now() / 1000);
      const requests = Array.from({ length: count }, () => nextRequest(name, head, epoch));
      const lanes = connectionsFor(name, target);
      const latencyNs = new Float64Array(count);
      const outcomes: Record<string, number> = {};
      const errorSamples: string[] = [];
      let errors = 0;
      let issued = 0;
      const lane = async (connection: Connection): Promise<void> => {
        while (issued < count) {
          const slot = issued++;
          const start = process.hrtime.bigint();
          let outcome: string | undefined;
          let problem: string;
          try {
            const answer = await connection.exchange(requests[slot]!);
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
      await Promise.all(lanes.slice(0, count).map(lane));
      const wallNs = Number(process.hrtime.bigint() - start);
      const clientBusy = performance.eventLoopUtilization(elu).utilization;
      return { requests: count, wallNs, latencyNs, errors, errorSamples, outcomes, clientBusy };
    },
    async close() {
      for (const list of connections.values()) for (const c of list) c.close();
      connections.clear();
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
