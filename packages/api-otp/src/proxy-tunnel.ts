/**
 * An https agent that reaches an https gateway through an HTTP proxy with `CONNECT`
 * (RFC 9110 §9.3.6): the proxy learns only the gateway's host and port, TLS runs end to end
 * between this host and the gateway, and the certificate is verified against the gateway's name
 * as usual. (axios' own `proxy` option would send the https request to the proxy as an
 * absolute URL in the clear; it is used for http:// gateways only.)
 *
 * @module proxy-tunnel
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';

/** The proxy did not open the tunnel. */
export class ProxyTunnelError extends Error {
  readonly code = 'ERR_PROXY_CONNECT';
  constructor(
    message: string,
    /** `host:port` of the proxy. */
    readonly proxy: string,
    /** The proxy's answer to CONNECT, when it answered. */
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProxyTunnelError';
  }
}

/** Options of {@link createTunnelAgent}. */
export interface TunnelAgentOptions {
  /** `proxy_server` */
  proxyHost: string;
  /** `proxy_port` */
  proxyPort: number;
  /** Bound of the CONNECT exchange (ms). */
  connectTimeoutMs: number;
  /** More https.Agent options (`ca` for a private gateway CA, keep-alive…). */
  agentOptions?: https.AgentOptions;
}

type ConnectionOptions = tls.ConnectionOptions & {
  host?: string | null;
  port?: number | string | null;
};
type Callback = (err: Error | null, socket?: Duplex) => void;

/** `host:port` with IPv6 literals in brackets. */
export function authority(host: string, port: number | string): string {
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

class TunnelAgent extends https.Agent {
  readonly proxy: string;

  constructor(private readonly tunnel: TunnelAgentOptions) {
    super(tunnel.agentOptions);
    this.proxy = authority(tunnel.proxyHost, tunnel.proxyPort);
  }

  // Node's Agent accepts an asynchronous createConnection that answers through the callback.
  override createConnection(options: ConnectionOptions, callback: Callback): Duplex | undefined {
    const host =
      typeof options.host === 'string' && options.host !== '' ? options.host : 'localhost';
    const port = options.port ?? 443;
    const target = authority(host, port);
    let settled = false;
    const done = (err: Error | null, socket?: Duplex): void => {
      if (settled) {
        socket?.destroy();
        return;
      }
      settled = true;
      callback(err, socket);
    };
    const req = http.request({
      host: this.tunnel.proxyHost,
      port: this.tunnel.proxyPort,
      method: 'CONNECT',
      path: target,
      headers: { host: target },
      agent: false,
      timeout: this.tunnel.connectTimeoutMs,
    });
    req.once('connect', (res, socket, head) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        done(
          new ProxyTunnelError(
            `proxy ${this.proxy} answered CONNECT ${target} with HTTP ${res.statusCode}`,
            this.proxy,
            res.statusCode,
          ),
        );
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const secure = tls.connect({ ...options, host, socket });
      done(null, secure);
    });
    req.once('timeout', () => {
      const err = Object.assign(
        new Error(
          `proxy ${this.proxy} did not open the tunnel within ${this.tunnel.connectTimeoutMs} ms`,
        ),
        { code: 'ETIMEDOUT' },
      );
      req.destroy(err);
    });
    req.once('error', (err) => done(err));
    req.end();
    return undefined;
  }
}

/**
 * Create the tunnelling agent.
 *
 * @param options - proxy host and port, CONNECT timeout, agent options
 * @returns an https.Agent for axios' `httpsAgent` (with `proxy: false`)
 * @throws {TypeError} on a missing host or a bad port
 * @example
 * ```ts
 * const httpsAgent = createTunnelAgent({ proxyHost: 'proxy.adatum.labnet', proxyPort: 8080, connectTimeoutMs: 5000 });
 * await axios.post(url, body, { httpsAgent, proxy: false });
 * ```
 */
export function createTunnelAgent(
  options: TunnelAgentOptions,
): https.Agent & { readonly proxy: string } {
  if (typeof options.proxyHost !== 'string' || options.proxyHost.trim() === '') {
    throw new TypeError('"proxyHost" must be a host name or address');
  }
  if (!Number.isInteger(options.proxyPort) || options.proxyPort < 1 || options.proxyPort > 65_535) {
    throw new TypeError(`"proxyPort" must be an integer from 1 to 65535, got ${options.proxyPort}`);
  }
  return new TunnelAgent(options);
}
