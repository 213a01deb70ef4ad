/**
 * An https agent that reaches the portal through an HTTP proxy with `CONNECT` (the proxy sees
 * only host and port; TLS runs end to end). axios' own `proxy` option sends https requests to
 * the proxy in the clear as absolute URLs, which a TLS portal must not rely on; plain http
 * endpoints use that option.
 *
 * @see RFC 9110 §9.3.6 (CONNECT)
 * @module portal
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** Options of {@link createTunnelAgent}. */
export interface TunnelAgentOptions {
  proxyHost: string;
  proxyPort: number;
  /** Bound of the CONNECT exchange (api_timeout). */
  timeoutMs: number;
  /** Extra trusted CAs (PEM) for the portal's certificate; default Node's store. */
  ca?: string | Buffer | undefined;
}

type CreateConnection = (
  options: tls.ConnectionOptions & { host?: string; port?: number; servername?: string },
  callback: (err: Error | null, socket?: Duplex) => void,
) => Duplex | undefined;

/**
 * Create the tunnelling agent.
 *
 * @param options - proxy host and port, timeout, CA
 * @returns an https.Agent (no keep-alive: the agent makes one call per process)
 * @example
 * ```ts
 * const httpsAgent = createTunnelAgent({ proxyHost: 'proxy.adatum.labnet', proxyPort: 8080, timeoutMs: 5000 });
 * ```
 */
export function createTunnelAgent(options: TunnelAgentOptions): https.Agent {
  const agent = new https.Agent({
    keepAlive: false,
    ...(options.ca === undefined ? {} : { ca: options.ca }),
  });
  const createConnection: CreateConnection = (target, callback) => {
    const host = target.host ?? 'localhost';
    const port = target.port ?? 443;
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    let done = false;
    const finish = (err: Error | null, socket?: Duplex): void => {
      if (done) return;
      done = true;
      callback(err, socket);
    };
    const req = http.request({
      host: options.proxyHost,
      port: options.proxyPort,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority },
      timeout: options.timeoutMs,
    });
    req.once('connect', (res, socket) => {
      // The CONNECT deadline is over; the request's own timeout covers the rest.
      socket.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        finish(new Error(`the proxy refused CONNECT ${authority}: HTTP ${String(res.statusCode)}`));
        return;
      }
      const secure = tls.connect({
        ...target,
        socket,
        // SNI carries names only, never addresses (RFC 6066 §3).
        servername: target.servername ?? (isIP(host) === 0 ? host : undefined),
      });
      secure.once('secureConnect', () => finish(null, secure));
      secure.once('error', (err) => {
        secure.destroy();
        socket.destroy();
        finish(err);
      });
    });
    req.once('timeout', () =>
      req.destroy(new Error(`the proxy did not answer within ${options.timeoutMs} ms`)),
    );
    req.once('error', (err) => finish(err));
    req.end();
    return undefined;
  };
  (agent as unknown as { createConnection: CreateConnection }).createConnection = createConnection;
  return agent;
}
