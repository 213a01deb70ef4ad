/**
 * A TCP forwarder on 127.0.0.1 (port 0) in front of a real test server (the DC, PostgreSQL, an
 * SMTP server), to provoke what a real network does: dropped connections (`dropAll`), or a front
 * that accepts and then says nothing (`mode = 'hang'`) until the test switches it back to
 * `forward`, so one client can fail and then be retried against the same port.
 *
 * @example
 * ```ts
 * const proxy = await startTcpForwarder(389);
 * const store = await openAdStore({ url: `ldap://127.0.0.1:${proxy.port}`, … });
 * proxy.dropAll(); // the store's connection breaks
 * expect(proxy.accepted).toBe(1);
 * await proxy.close();
 * ```
 *
 * @module testkit/servers/tcp-forwarder
 */
import { createConnection, createServer } from 'node:net';
import { closeServer, listenLoopback, trackSockets } from './loopback.js';

/** What a forwarder does with a new connection: pass it on, or accept it and say nothing. */
export type ForwarderMode = 'forward' | 'hang';

/** A running forwarder. */
export interface TcpForwarder {
  port: number;
  /** Connections accepted so far (in either mode). */
  readonly accepted: number;
  /** How new connections are treated (open ones keep what they got). */
  mode: ForwarderMode;
  /** Destroy every open connection (both sides). */
  dropAll(): void;
  close(): Promise<void>;
}

/**
 * Forward 127.0.0.1:<port> to 127.0.0.1:`targetPort`.
 *
 * @param targetPort - the real server's port (e.g. 389)
 * @param options - the initial mode (default `forward`)
 * @returns the forwarder (close it in afterAll)
 */
export async function startTcpForwarder(
  targetPort: number,
  options: { mode?: ForwarderMode } = {},
): Promise<TcpForwarder> {
  let accepted = 0;
  let mode: ForwarderMode = options.mode ?? 'forward';
  const server = createServer((client) => {
    accepted += 1;
    if (mode === 'hang') return;
    const upstream = createConnection(targetPort, '127.0.0.1');
    sockets.add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  // Client connections (tracked as they are accepted) and their upstream connections.
  const sockets = trackSockets(server);
  const port = await listenLoopback(server);
  return {
    port,
    get accepted() {
      return accepted;
    },
    get mode() {
      return mode;
    },
    set mode(value: ForwarderMode) {
      mode = value;
    },
    dropAll() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: () => closeServer(server, sockets),
  };
}
