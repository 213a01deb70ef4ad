/**
 * Prometheus metrics of one provider host (its own registry, never the global one, so several
 * hosts in one process — tests, farms in a bench — do not collide).
 *
 * @module http
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics a host records. */
export interface HostMetrics {
  readonly registry: Registry;
  /** Completed `end` calls by outcome: success, invalid_code, reused_code, locked, disabled, expired. */
  readonly logins: Counter<'outcome'>;
  /** Latency of begin/end in seconds. */
  readonly latency: Histogram<'phase'>;
  /**
   * Code deliveries of a send channel by outcome: `sent` (begin ended `code_sent`), `failed`
   * (begin ended `unavailable`: the channel failed or timed out, or the user has no address) —
   * counted by {@link countDelivery} for the adapter API and the hosted page alike.
   */
  readonly deliveries: Counter<'channel' | 'outcome'>;
  /** Requests refused by a rate limit, by scope (ip, user). */
  readonly rateLimited: Counter<'scope'>;
}

/**
 * Create the metrics.
 *
 * @param options - `processMetrics` adds prom-client's default process metrics (RSS, CPU, GC)
 * @returns the metrics and their registry
 */
export function createHostMetrics(options: { processMetrics?: boolean } = {}): HostMetrics {
  const registry = new Registry();
  if (options.processMetrics === true)
    collectDefaultMetrics({ register: registry, prefix: 'securemfa_' });
  return {
    registry,
    logins: new Counter({
      name: 'securemfa_logins_total',
      help: 'Completed OTP validations by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'securemfa_request_duration_seconds',
      help: 'Latency of adapter begin/end',
      labelNames: ['phase'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'securemfa_deliveries_total',
      help: 'Code deliveries by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'securemfa_rate_limited_total',
      help: 'Requests refused by a rate limit',
      labelNames: ['scope'],
      registers: [registry],
    }),
  };
}

/**
 * Count the delivery a begin made, from its status: only a send channel's begin ends
 * `code_sent` or `unavailable` (an app channel never sends); `unavailable` is how the adapter
 * reports that the code did not reach the user (event 5553 says why).
 *
 * @param metrics - the host's metrics
 * @param status - the begin result's status
 */
export function countDelivery(metrics: HostMetrics, status: string): void {
  if (status === 'code_sent') metrics.deliveries.inc({ channel: 'send', outcome: 'sent' });
  else if (status === 'unavailable') metrics.deliveries.inc({ channel: 'send', outcome: 'failed' });
}
