// A real forward HTTP proxy on 127.0.0.1 for the API OTP proxy tests, written on node:http:
// absolute-URI requests (`POST http://127.0.0.1:port/prod/x HTTP/1.1`) are forwarded, CONNECT
// opens a TCP tunnel (what an https:// target needs). It only forwards to loopback targets and
// logs every request it handled, so a test can tell whether traffic went through it.
import { request as httpRequest, createServer, type IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { closeServer, listenLoopback, trackSockets } from '@securemfa/testkit';

/** One request the proxy handled. */
export interface ProxyEntry {
  /** `POST`, `HEAD`, `CONNECT`… */
  method: string;
  /** The absolute URI, or `host:port` for CONNECT. */
  target: string;
  headers: IncomingMessage['headers'];
}

/** A running proxy. */
export interface HttpProxy {
  host: '127.0.0.1';
  port: number;
  readonly entries: ProxyEntry[];
  reset(): void;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Start the proxy.
 *
 * @returns the proxy (close it in afterAll)
 */
export async function startHttpProxy(): Promise<HttpProxy> {
  const entries: ProxyEntry[] = [];
  const server = createServer((req, res) => {
    entries.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute URI expected');
      return;
    }
    if (target.protocol !== 'http:' || !LOOPBACK.has(target.hostname)) {
      res.writeHead(403).end('only http://127.0.0.1 targets');
      return;
    }
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      via: '1.1 securemfa-test-proxy',
    };
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port === '' ? 80 : Number(target.port),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
        agent: false,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('upstream failed');
      else res.destroy();
    });
    req.pipe(upstream);
  });
  // Client connections and CONNECT tunnels' upstream sockets: close() destroys them all.
  const sockets = trackSockets(server);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    entries.push({ method: 'CONNECT', target, headers: req.headers });
    const m = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(target);
    if (m === null || !LOOPBACK.has(m[1]!)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(m[2]), m[1]!.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const port = await listenLoopback(server);
  return {
    host: '127.0.0.1',
    port,
    entries,
    reset() {
      entries.length = 0;
    },
    close: () => closeServer(server, sockets),
  };
}
