/**
 * Latency summaries of a load run: the batches' latencies merged, percentiles by nearest rank.
 *
 * @module bench
 */
import type { BatchResult } from './http-load.js';

/** Everything measured for one target over the measured (not warm-up) batches. */
export interface LoadSummary {
  requests: number;
  /** Sum of the batches' wall times, milliseconds. */
  wallMs: number;
  /** requests ÷ wall time. */
  requestsPerSec: number;
  /** Milliseconds. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  errors: number;
  errorSamples: string[];
  outcomes: Record<string, number>;
  /** Share of the wall time the client's thread was busy (0–1). */
  clientBusy: number;
  /** Share of the wall time the servers' thread was busy (0–1), as given to {@link LoadTally.add}. */
  serverBusy: number;
}

/** Collects batches of one target. */
export interface LoadTally {
  /** Add a batch; `serverBusy` is the servers' thread's utilisation during it (0–1). */
  add(batch: BatchResult, serverBusy: number): void;
  summary(): LoadSummary;
}

/**
 * A tally for one target.
 *
 * @returns an empty tally
 * @example
 * ```ts
 * const tally = createLoadTally();
 * tally.add(await client.run('host', 1000), 0.97);
 * tally.summary().p99Ms;
 * ```
 */
export function createLoadTally(): LoadTally {
  const batches: BatchResult[] = [];
  let serverBusyNs = 0;
  return {
    add(batch, serverBusy) {
      batches.push(batch);
      serverBusyNs += serverBusy * batch.wallNs;
    },
    summary() {
      const requests = batches.reduce((n, b) => n + b.requests, 0);
      const all = new Float64Array(requests);
      let at = 0;
      for (const b of batches) {
        all.set(b.latencyNs, at);
        at += b.latencyNs.length;
      }
      all.sort();
      const rank = (p: number): number =>
        requests === 0 ? 0 : (all[Math.min(requests - 1, Math.ceil(p * requests) - 1)] ?? 0) / 1e6;
      const wallNs = batches.reduce((n, b) => n + b.wallNs, 0);
      const outcomes: Record<string, number> = {};
      for (const b of batches) {
        for (const [k, v] of Object.entries(b.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
      }
      return {
        requests,
        wallMs: wallNs / 1e6,
        requestsPerSec: wallNs === 0 ? 0 : requests / (wallNs / 1e9),
        p50Ms: rank(0.5),
        p90Ms: rank(0.9),
        p99Ms: rank(0.99),
        maxMs: requests === 0 ? 0 : (all[requests - 1] ?? 0) / 1e6,
        meanMs: requests === 0 ? 0 : all.reduce((s, v) => s + v, 0) / requests / 1e6,
        errors: batches.reduce((n, b) => n + b.errors, 0),
        errorSamples: batches.flatMap((b) => b.errorSamples).slice(0, 5),
        outcomes,
        clientBusy:
          wallNs === 0 ? 0 : batches.reduce((n, b) => n + b.clientBusy * b.wallNs, 0) / wallNs,
        serverBusy: wallNs === 0 ? 0 : serverBusyNs / wallNs,
      };
    },
  };
}
