// A real HTTP(S) "API gateway" on 127.0.0.1 for the API OTP tests: it records every request
// (method, path, headers, body, the TCP peer) and answers as the test says — a status and body,
// a hang (the socket stays open, nothing is sent), or a dropped connection. Port 0, read back;
// close() destroys every socket it holds, so a hanging request never keeps jest alive.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenLoopback, trackSockets } from '@securemfa/testkit';

/** One request the gateway received. */
export interface GatewayRequest {
  method: string;
  /** Path and query as sent (`/prod/test1test1`). */
  url: string;
  /** Lower-cased header names, as Node parses them. */
  headers: IncomingMessage['headers'];
  body: string;
  /** `performance.now()` when the request was complete. */
  at: number;
  /** The TCP peer's port (differs per connection: shows a new connection per attempt). */
  remotePort: number;
}

/** What the gateway does with a request. */
export type GatewayAnswer =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | 'hang'
  | 'close';

/** Decides the answer for the n-th request (0-based). */
export type GatewayBehaviour = (request: GatewayRequest, index: number) => GatewayAnswer;

/** A running gateway. */
export interface HttpGateway {
  /** `http(s)://127.0.0.1:<port>` (no trailing slash). */
  origin: string;
  port: number;
  /** Requests seen, in order. */
  readonly requests: GatewayRequest[];
  /** Change the behaviour (takes effect for the next request). */
  behave(behaviour: GatewayBehaviour): void;
  /** Forget the requests seen so far. */
  reset(): void;
  /** Wait (bounded) until at least `n` requests arrived. */
  waitForRequests(n: number, timeoutMs?: number): Promise<GatewayRequest[]>;
  close(): Promise<void>;
}

/** Answer every request with 200 "Message received." (AWS API Gateway's integration response). */
export const acceptAll: GatewayBehaviour = () => ({
  status: 200,
  body: '{"body": "Message received."}',
  headers: { 'content-type': 'application/json' },
});

/** Largest body the gateway reads. */
const MAX_BODY = 1 << 20;

/**
 * Start a gateway.
 *
 * @param options - `tls` key and certificate (PEM) for HTTPS; the initial behaviour
 * @returns the gateway (close it in afterAll)
 */
export async function startHttpGateway(
  options: { tls?: { key: string; cert: string }; behaviour?: GatewayBehaviour } = {},
): Promise<HttpGateway> {
  let behaviour = options.behaviour ?? acceptAll;
  const requests: GatewayRequest[] = [];
  let count = 0;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const request: GatewayRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
        remotePort: req.socket.remotePort ?? 0,
      };
      requests.push(request);
      const answer = behaviour(request, count++);
      if (answer === 'hang') return;
      if (answer === 'close') {
        req.socket.destroy();
        return;
      }
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, {
          'content-type': 'text/plain; charset=utf-8',
          ...answer.headers,
        });
        res.end(req.method === 'HEAD' ? undefined : (answer.body ?? ''));
      };
      if (answer.delayMs === undefined) send();
      else setTimeout(send, answer.delayMs).unref();
    });
  };
  const server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  // The raw TCP sockets (for HTTPS too): destroying them ends TLS sessions as well.
  const sockets = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    origin: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    requests,
    behave(next) {
      behaviour = next;
      count = 0;
    },
    reset() {
      requests.length = 0;
      count = 0;
    },
    async waitForRequests(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < n) {
        if (Date.now() > deadline) {
          throw new Error(`gateway saw ${requests.length} request(s), expected ${n}`);
        }
        await sleep(10);
      }
      return requests;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

/**
 * A self-signed certificate for `127.0.0.1` / `localhost` (SAN), made by the real `openssl`.
 *
 * @param dir - a temporary folder for the PEM files
 * @returns key and certificate (PEM); the certificate is also the CA to trust
 */
export async function makeLoopbackCertificate(dir: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, 'gateway-key.pem');
  const cert = join(dir, 'gateway-cert.pem');
  await new Promise<void>((resolve, reject) => {
    execFile(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { timeout: 30_000 },
      (err, _stdout, stderr) =>
        err === null ? resolve() : reject(new Error(`openssl failed: ${stderr}`)),
    );
  });
  return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
}
