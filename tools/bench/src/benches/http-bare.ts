/**
 * The http bench's baseline: a bare `node:http` server that reads the request body and answers
 * 200 with a small JSON, on 127.0.0.1 port 0, with the provider host's keep-alive timeout.
 *
 * @module bench
 */
import { createServer } from 'node:http';

/** A listening bare server. */
export interface BareServer {
  port: number;
  close(): Promise<void>;
}

const ANSWER = JSON.stringify({ ok: true });

/**
 * Start the bare server.
 *
 * @returns its port and a close function
 */
export async function startBareServer(): Promise<BareServer> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(ANSWER),
      });
      res.end(ANSWER);
    });
  });
  // As the host (create-host.ts), so neither side pays for reconnects the other does not.
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null)
    throw new Error('bare server has no address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
