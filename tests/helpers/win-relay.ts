// A man in the middle for the win-otp suites: a real HTTP relay on 127.0.0.1 between the agent
// and the portal. It records every exchange byte for byte and can change what passes through —
// flip a byte of the request or of the answer, hand back an answer captured earlier, or (holding
// the passphrase, like a compromised peer) re-seal an answer with another timestamp — and replay
// a captured request to any portal. Bounded: every socket has a timeout; close() ends it all.
import http from 'node:http';
import type { Socket } from 'node:net';
import { closedPort, closeServer, listenLoopback, trackSockets } from '@securemfa/testkit';

/** One exchange as it crossed the relay (bodies as the other side sent them). */
export interface RelayExchange {
  method: string;
  path: string;
  requestHeaders: http.IncomingHttpHeaders;
  requestBody: Buffer;
  status: number;
  responseHeaders: http.IncomingHttpHeaders;
  responseBody: Buffer;
}

/** How the relay alters traffic (undefined = pass through unchanged). */
export interface RelayTamper {
  /** Change the request body before it reaches the portal. */
  request?: (body: Buffer) => Buffer;
  /** Change the answer before it reaches the agent (`exchange` has the portal's original). */
  response?: (body: Buffer, exchange: RelayExchange) => Buffer;
}

/** A running relay. */
export interface Relay {
  /** `http://127.0.0.1:<port>` — point the agent's api_endpoint here. */
  base: string;
  exchanges: RelayExchange[];
  /** Set or clear the tampering for the next requests. */
  tamper: RelayTamper;
  close(): Promise<void>;
}

const TIMEOUT_MS = 10_000;

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

function forwardHeaders(
  headers: http.IncomingHttpHeaders,
  length: number,
): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (
      v === undefined ||
      ['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(k)
    )
      continue;
    out[k] = v;
  }
  out['content-length'] = length;
  out.connection = 'close';
  return out;
}

/**
 * Send raw bytes as a POST to a portal (a captured request replayed by an attacker).
 *
 * @param target - portal base URL
 * @param exchange - the captured exchange (its method, path, headers and body are reused)
 * @returns status and body text
 */
export function replayRequest(
  target: string,
  exchange: Pick<RelayExchange, 'method' | 'path' | 'requestHeaders' | 'requestBody'>,
): Promise<{ status: number; body: string }> {
  const url = new URL(exchange.path, target);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: exchange.method,
        headers: forwardHeaders(exchange.requestHeaders, exchange.requestBody.length),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        readAll(res).then(
          (body) => resolve({ status: res.statusCode ?? 0, body: body.toString('utf8') }),
          reject,
        );
      },
    );
    req.once('timeout', () => req.destroy(new Error('replay timed out')));
    req.once('error', reject);
    req.end(exchange.requestBody);
  });
}

/**
 * Start a relay in front of a portal.
 *
 * @param target - the portal's base URL (`http://127.0.0.1:<port>`)
 * @returns the relay
 */
export async function startRelay(target: string): Promise<Relay> {
  const exchanges: RelayExchange[] = [];
  const sockets = new Set<Socket>();
  const relay: Relay = { base: '', exchanges, tamper: {}, close: async () => undefined };
  const server = http.createServer((req, res) => {
    void (async () => {
      const original = await readAll(req);
      const body = relay.tamper.request?.(original) ?? original;
      const url = new URL(req.url ?? '/', target);
      const upstream = await new Promise<{
        status: number;
        headers: http.IncomingHttpHeaders;
        body: Buffer;
      }>((resolve, reject) => {
        const out = http.request(
          url,
          {
            method: req.method,
            headers: forwardHeaders(req.headers, body.length),
            timeout: TIMEOUT_MS,
          },
          (r) => {
            readAll(r).then(
              (b) => resolve({ status: r.statusCode ?? 502, headers: r.headers, body: b }),
              reject,
            );
          },
        );
        out.once('timeout', () => out.destroy(new Error('upstream timed out')));
        out.once('error', reject);
        out.end(body);
      });
      const exchange: RelayExchange = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        requestHeaders: req.headers,
        requestBody: body,
        status: upstream.status,
        responseHeaders: upstream.headers,
        responseBody: upstream.body,
      };
      exchanges.push(exchange);
      const answer = relay.tamper.response?.(upstream.body, exchange) ?? upstream.body;
      res.writeHead(upstream.status, forwardHeaders(upstream.headers, answer.length));
      res.end(answer);
    })().catch((err: unknown) => {
      res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' });
      res.end(`relay error: ${String(err)}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.setTimeout(TIMEOUT_MS, () => s.destroy());
    s.once('close', () => sockets.delete(s));
  });
  relay.base = `http://127.0.0.1:${await listenLoopback(server)}`;
  relay.close = () => closeServer(server, sockets);
  return relay;
}

/**
 * Flip one bit of the sealed data inside a `{"envelope": "w1.…"}` body (decoded, changed,
 * re-encoded: the text stays well-formed, only the authenticated bytes differ).
 *
 * @param body - the JSON body
 * @param index - which data byte (negative: from the end)
 * @returns the altered body
 */
export function flipEnvelopeByte(body: Buffer, index: number): Buffer {
  const json = JSON.parse(body.toString('utf8')) as { envelope: string };
  const data = Buffer.from(json.envelope.slice(3), 'base64url');
  const i = index < 0 ? data.length + index : index;
  data[i] = data[i]! ^ 0x01;
  return Buffer.from(JSON.stringify({ envelope: `w1.${data.toString('base64url')}` }), 'utf8');
}

/**
 * A TCP server that accepts connections and never answers (a portal behind a black hole).
 *
 * @returns its base URL and close()
 */
export async function startBlackHole(): Promise<{ base: string; close(): Promise<void> }> {
  const server = http.createServer(() => {
    // never respond
  });
  const sockets = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, sockets),
  };
}

/**
 * A base URL where nothing listens (a port bound and released).
 *
 * @returns `http://127.0.0.1:<port>`
 */
export async function closedPortBase(): Promise<string> {
  return `http://127.0.0.1:${await closedPort()}`;
}
