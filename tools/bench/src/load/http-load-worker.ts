/**
 * Worker-thread entry of the load client (see http-load.ts `spawnLoadClient`): builds a
 * {@link createLoadClient} from `workerData`, then answers `{id, target, count}` messages with
 * `{id, result}` (latencies transferred) or `{id, error}`.
 *
 * @module bench
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLoadClient, type LoadClientOptions } from './http-load.js';

if (parentPort === null) throw new Error('http-load-worker.js must run as a worker thread');
const port = parentPort;
const client = createLoadClient(workerData as LoadClientOptions);

port.on('message', (msg: { id: number; target: string; count: number }) => {
  client.run(msg.target, msg.count).then(
    (result) => port.postMessage({ id: msg.id, result }, [result.latencyNs.buffer as ArrayBuffer]),
    (err: unknown) =>
      port.postMessage({ id: msg.id, error: err instanceof Error ? err.message : String(err) }),
  );
});
port.postMessage({ ready: true });
