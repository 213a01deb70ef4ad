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
import { readFileSync } from 'node:fs';
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

/** Where {@link closedPort} looks when the system's ephemeral range cannot be read. */
const DEFAULT_EPHEMERAL_LOW = 32_768;
/** Lowest port {@link closedPort} picks. */
const CLOSED_PORT_LOW = 20_000;
const CLOSED_PORT_TRIES = 20;

/** The first port of the system's ephemeral range (Linux: net.ipv4.ip_local_port_range). */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const n = Number(low);
    return Number.isInteger(n) && n > 0 ? n : DEFAULT_EPHEMERAL_LOW;
  } catch {
    return DEFAULT_EPHEMERAL_LOW;
  }
}

/** Whether a port can be bound on 127.0.0.1 now (it is released again at once). */
async function canBind(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await listenLoopback(server, port);
  } catch {
    return false;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return true;
}

/**
 * A loopback port nothing listens on (connections are refused), picked BELOW the system's
 * ephemeral range: a port the system hands out for `listen(0)` or as the source port of an
 * outgoing connection could, a moment later, be another test's server — or the source port of
 * the very connection made to it, which then connects to itself (TCP simultaneous open on
 * loopback) and hangs instead of being refused. Tests bind only port 0, so a free port below the
 * range stays closed. Falls back to a port the system picks when none below is free.
 *
 * @returns the port
 */
export async function closedPort(): Promise<number> {
  const high = ephemeralLow();
  if (high > CLOSED_PORT_LOW + CLOSED_PORT_TRIES) {
    for (let i = 0; i < CLOSED_PORT_TRIES; i += 1) {
      const port = CLOSED_PORT_LOW + Math.floor(Math.random() * (high - CLOSED_PORT_LOW));
      if (await canBind(port)) return port;
    }
  }
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
