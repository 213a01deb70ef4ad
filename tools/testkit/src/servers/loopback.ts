/**
 * TCP servers of the tests on 127.0.0.1: listen on port 0 and read the port back, track the
 * accepted sockets so that closing ends them too, a port nothing listens on ("the server is
 * down"), and whether a port accepts connections yet.
 *
 * @example
 * ```ts
 * const server = createServer(handler);
 * const sockets = trackSockets(server);
 * const port = await listenLoopback(server);
 * // …
 * await closeServer(server, sockets);
 * ```
 *
 * @module testkit/servers/loopback
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * Listen on 127.0.0.1.
 *
 * @param server - a `net`, `http` or `https` server
 * @param port - the port (default 0: one the system picks)
 * @returns the port it listens on
 */
export async function listenLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/**
 * Track the sockets a server accepts (their errors are ignored: a test provokes them), for
 * {@link closeServer}.
 *
 * @param server - the server
 * @returns the open sockets, kept current
 */
export function trackSockets(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.once('close', () => sockets.delete(s));
  });
  return sockets;
}

/**
 * Destroy the open sockets and close the server.
 *
 * @param server - the server
 * @param sockets - its open sockets (from {@link trackSockets}, or a set of the caller's)
 */
export function closeServer(server: Server, sockets: Iterable<Socket>): Promise<void> {
  for (const s of sockets) s.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * A loopback port nothing listens on: bound, read back, closed (connections are refused).
 *
 * @returns the port
 */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Whether something accepts TCP connections on 127.0.0.1:`port` now (for waiting, bounded, until
 * a server started as a child process listens).
 *
 * @param port - the port
 * @returns true when a connection was accepted (it is closed at once)
 */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
