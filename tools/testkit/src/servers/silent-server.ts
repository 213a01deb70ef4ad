/**
 * A server on 127.0.0.1 that accepts TCP connections and never sends a byte (no greeting, no
 * reply): what a hung LDAP, SQL or SMTP server looks like to a client. It is a
 * {@link startTcpForwarder | forwarder} pinned to `hang`.
 *
 * @example
 * ```ts
 * const silent = await startSilentServer();
 * await expect(openStore({ url: `ldap://127.0.0.1:${silent.port}`, timeoutMs: 500 })).rejects.toThrow();
 * expect(silent.accepted).toBe(1);
 * await silent.close();
 * ```
 *
 * @module testkit/servers/silent-server
 */
import { startTcpForwarder, type TcpForwarder } from './tcp-forwarder.js';

/** A server that accepts connections and never sends a byte. */
export type SilentServer = Omit<TcpForwarder, 'mode'>;

/**
 * Start the silent server.
 *
 * @returns the server (close it in afterAll)
 */
export function startSilentServer(): Promise<SilentServer> {
  // Nothing is ever forwarded (the mode cannot change through this type), so no target port.
  return startTcpForwarder(0, { mode: 'hang' });
}
