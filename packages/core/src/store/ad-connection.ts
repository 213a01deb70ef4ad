/**
 * A small pool of bound LDAP connections (ldapts) shared by the AD store and the LDAP directory:
 * option checks, LDAPS or StartTLS with a pinned CA and a server-name override, bounded time for
 * every step, and re-connect + re-bind when a connection drops.
 *
 * Safety rules it enforces:
 * - a connection is used only while it is connected *and* bound: ldapts would otherwise
 *   transparently reconnect a dropped socket — unauthenticated, and for StartTLS in clear text —
 *   so a dropped connection is discarded and a fresh one is connected, upgraded and bound;
 * - connect + TLS + bind share one deadline of `timeoutMs`; every LDAP request has its own
 *   `timeoutMs` (ldapts `timeout`); waiting for a free pooled connection is bounded too;
 * - `close()` unbinds every connection, also the busy ones (an ldapts client left bound keeps
 *   the process alive).
 *
 * @module store
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, ResultCodeError, type SearchOptions, type SearchResult } from 'ldapts';

/** Connection settings shared by `openAdStore` and `openLdapDirectory` (config keys `ldap_*`). */
export interface AdConnectionOptions {
  /** `ldap://host[:port]` (with `startTls`) or `ldaps://host[:port]` (ldap_url). */
  url: string;
  /** Where users are searched, e.g. `DC=contoso,DC=com` (ldap_base_dn). */
  baseDn: string;
  /** Bind identity: a DN, or `user@domain` on AD (ldap_bind_dn). */
  bindDn: string;
  /** Bind password (ldap_bind_password). Never logged. */
  bindPassword: string;
  /** PEM file of the CA that issued the DC certificate (ldap_tls_ca_file). Default: Node's CAs. */
  tlsCaFile?: string | undefined;
  /**
   * Name to verify the DC certificate against (and send as SNI), when it differs from the URL's
   * host — e.g. the URL uses an IP address and the certificate names `DC1.contoso.com`.
   */
  tlsServername?: string | undefined;
  /** Upper bound in ms for connecting (TCP + TLS + bind) and for each LDAP request. */
  timeoutMs: number;
  /** Upgrade an `ldap://` connection with StartTLS (RFC 4511 §4.14) before binding. */
  startTls?: boolean | undefined;
  /** Connections kept open (default 8, 1–64); a call waits at most 4 × timeoutMs for a free one. */
  poolSize?: number | undefined;
}

/** A connection lent by the pool: the ldapts operations the callers use. */
export interface LdapSession {
  search: Client['search'];
  /**
   * The first page of a paged search (RFC 2696) of `pageSize` entries; the rest is not fetched.
   * A way to sample entries that a size limit would turn into an error (sizeLimitExceeded).
   */
  searchFirstPage(
    baseDn: string,
    options: Omit<SearchOptions, 'paged'>,
    pageSize: number,
  ): Promise<SearchResult>;
  modify: Client['modify'];
  add: Client['add'];
  del: Client['del'];
}

/** The pool. */
export interface LdapPool {
  /** `host:port`, for messages. */
  readonly server: string;
  /**
   * Run `fn` with a bound connection. A connection that failed below LDAP (socket, timeout) is
   * discarded; LDAP result errors (e.g. code 16) leave it in the pool and are rethrown as is.
   *
   * @throws whatever `fn` or the connection set-up threw (unwrapped: callers classify it)
   */
  use<T>(fn: (session: LdapSession) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Unbind every connection. Idempotent. */
  close(): Promise<void>;
}

/** Default number of pooled connections. */
export const DEFAULT_POOL_SIZE = 8;
/** How long a call may wait for a busy pool, in multiples of `timeoutMs`. */
export const POOL_WAIT_FACTOR = 4;

/** An error of the connection layer (not an LDAP result): lets classifiers see an errno. */
class LdapConnectionError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'LdapConnectionError';
  }
}

/**
 * Check connection options; throws a TypeError naming the option at fault.
 *
 * @param options - the options to check
 * @returns the parsed URL parts
 * @throws {TypeError} on a missing or malformed option
 */
export function checkConnectionOptions(options: AdConnectionOptions): {
  host: string;
  port: number;
  secure: boolean;
} {
  if (options === null || typeof options !== 'object')
    throw new TypeError('options must be an object');
  const { url, baseDn, bindDn, bindPassword, timeoutMs, startTls, poolSize } = options;
  if (typeof url !== 'string') throw new TypeError('"url" must be an ldap:// or ldaps:// URL');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`"url" must be an ldap:// or ldaps:// URL, got ${JSON.stringify(url)}`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'ldap' && scheme !== 'ldaps') {
    throw new TypeError(`"url" must be an ldap:// or ldaps:// URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.pathname !== '' && parsed.pathname !== '/') {
    throw new TypeError('"url" holds only scheme, host and port; give the base DN as "baseDn"');
  }
  const secure = scheme === 'ldaps';
  if (startTls === true && secure) {
    throw new TypeError(
      '"startTls" upgrades an ldap:// connection; an ldaps:// URL is already encrypted',
    );
  }
  if (typeof baseDn !== 'string' || !/^[A-Za-z][\w-]*=/.test(baseDn.trim())) {
    throw new TypeError('"baseDn" must be a DN such as DC=contoso,DC=com');
  }
  if (typeof bindDn !== 'string' || bindDn.trim() === '')
    throw new TypeError('"bindDn" must be a non-empty string');
  if (typeof bindPassword !== 'string' || bindPassword === '') {
    // An empty password turns a simple bind into an unauthenticated bind (RFC 4513 §5.1.2).
    throw new TypeError('"bindPassword" must be a non-empty string');
  }
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw new TypeError('"timeoutMs" must be an integer from 1 to 600000');
  }
  if (poolSize !== undefined && (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 64)) {
    throw new TypeError('"poolSize" must be an integer from 1 to 64');
  }
  let host = parsed.hostname;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === '') throw new TypeError(`"url" has no host: ${JSON.stringify(url)}`);
  const port = parsed.port === '' ? (secure ? 636 : 389) : Number(parsed.port);
  return { host, port, secure };
}

function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onTimeout: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new LdapConnectionError(`${what} timed out after ${ms} ms`, 'ETIMEDOUT'));
    }, ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Unbind and drop a client without waiting on a stuck socket for long. */
async function discard(client: Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.unbind().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1000);
      timer.unref();
    }),
  ]);
  if (timer !== undefined) clearTimeout(timer);
}

/**
 * Create a pool. Nothing connects until the first `use`; the CA file is read now.
 *
 * @param options - connection options (checked)
 * @returns the pool
 * @throws {TypeError} on bad options
 * @throws {Error} with `code` (e.g. ENOENT) when the CA file cannot be read — callers wrap it
 * @example
 * ```ts
 * const pool = await createLdapPool({ url: 'ldaps://dc1.contoso.com', baseDn, bindDn, bindPassword, timeoutMs: 5000 });
 * const { searchEntries } = await pool.use((s) => s.search(baseDn, { filter: '(cn=x)' }));
 * await pool.close();
 * ```
 */
export async function createLdapPool(options: AdConnectionOptions): Promise<LdapPool> {
  const { host, port, secure } = checkConnectionOptions(options);
  const size = options.poolSize ?? DEFAULT_POOL_SIZE;
  const timeoutMs = options.timeoutMs;
  const server = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const tls: ConnectionOptions = { minVersion: 'TLSv1.2' };
  if (options.tlsCaFile !== undefined && options.tlsCaFile !== '') {
    tls.ca = [await readFile(options.tlsCaFile, 'utf8')];
  }
  if (options.tlsServername !== undefined && options.tlsServername !== '')
    tls.servername = options.tlsServername;
  const url = `${secure ? 'ldaps' : 'ldap'}://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

  const all = new Set<Client>();
  const idle: Client[] = [];
  const waiters: Array<(client: Client | undefined) => void> = [];
  let closed = false;

  async function connect(): Promise<Client> {
    const client = new Client({
      url,
      timeout: timeoutMs,
      connectTimeout: timeoutMs,
      // ldapts treats any tlsOptions as "connect with TLS": give them only for ldaps://.
      ...(secure ? { tlsOptions: tls } : {}),
    });
    all.add(client);
    const setUp = async (): Promise<void> => {
      if (options.startTls === true) {
        // host: Node verifies the certificate against servername, else host (RFC 6125).
        await client.startTLS({ ...tls, host });
      }
      await client.bind(options.bindDn, options.bindPassword);
    };
    try {
      await withDeadline(setUp(), timeoutMs, `connecting to ${server}`, () => void discard(client));
      return client;
    } catch (err) {
      all.delete(client);
      await discard(client);
      throw err;
    }
  }

  function healthy(client: Client): boolean {
    return client.isConnected && client.isBound;
  }

  /** A bound client; `reused` when it sat idle in the pool (it may have been dropped meanwhile). */
  async function acquire(): Promise<{ client: Client; reused: boolean }> {
    while (idle.length > 0) {
      const client = idle.pop()!;
      if (healthy(client)) return { client, reused: true };
      all.delete(client);
      void discard(client);
    }
    if (all.size < size) return { client: await connect(), reused: false };
    // All connections busy: wait (bounded) for one to be released.
    const client = await new Promise<Client | undefined>((resolve) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(wake);
        if (i >= 0) waiters.splice(i, 1);
        resolve(undefined);
      }, timeoutMs * POOL_WAIT_FACTOR);
      const wake = (c: Client | undefined): void => {
        clearTimeout(timer);
        resolve(c);
      };
      waiters.push(wake);
    });
    if (closed)
      throw new LdapConnectionError(`the connection pool to ${server} is closed`, 'ECONNRESET');
    if (client === undefined) {
      throw new LdapConnectionError(
        `all ${size} connections to ${server} stayed busy for ${timeoutMs * POOL_WAIT_FACTOR} ms`,
        'ETIMEDOUT',
      );
    }
    if (healthy(client)) return { client, reused: true };
    all.delete(client);
    void discard(client);
    return { client: await connect(), reused: false };
  }

  function release(client: Client, keep: boolean): void {
    if (!keep || closed || !healthy(client)) {
      all.delete(client);
      void discard(client);
      const waiter = waiters.shift();
      if (waiter !== undefined) {
        // Let the waiter open its own connection in the freed slot.
        connect().then(
          (c) => waiter(c),
          () => waiter(undefined),
        );
      }
      return;
    }
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(client);
    else idle.push(client);
  }

  /** The session lent to callers; counts answered requests and notes whether all were reads. */
  function session(client: Client): {
    api: LdapSession;
    answered: () => number;
    onlyReads: () => boolean;
  } {
    let answered = 0;
    let writes = 0;
    const check = (): void => {
      if (!healthy(client)) {
        throw new LdapConnectionError(`connection to ${server} lost`, 'ECONNRESET');
      }
    };
    const counted = async <T>(write: boolean, op: () => Promise<T>): Promise<T> => {
      check();
      if (write) writes += 1;
      const result = await op();
      answered += 1;
      return result;
    };
    return {
      api: {
        search: (...args) => counted(false, () => client.search(...args)),
        searchFirstPage: (baseDn, options, pageSize) =>
          counted(false, async () => {
            for await (const page of client.searchPaginated(baseDn, {
              ...options,
              paged: { pageSize },
            })) {
              return page;
            }
            return { searchEntries: [], searchReferences: [] };
          }),
        modify: (...args) => counted(true, () => client.modify(...args)),
        add: (...args) => counted(true, () => client.add(...args)),
        del: (...args) => counted(true, () => client.del(...args)),
      },
      answered: () => answered,
      onlyReads: () => writes === 0,
    };
  }

  async function attempt<T>(fn: (s: LdapSession) => Promise<T>): Promise<T> {
    for (let round = 0; ; round += 1) {
      const { client, reused } = await acquire();
      const s = session(client);
      let keep = true;
      try {
        return await fn(s.api);
      } catch (err) {
        // An LDAP answer, or the caller's own error, leaves a connection usable; a socket error
        // or a timeout (ldapts destroys the socket) does not.
        if (err instanceof ResultCodeError) throw err;
        const timedOut = /timed? ?out/i.test(err instanceof Error ? err.message : '');
        keep = !timedOut && healthy(client);
        if (keep) throw err;
        // A pooled connection the server closed while it sat idle (AD drops idle connections
        // after MaxConnIdleTime): when nothing was answered and nothing written on it, running
        // the call again on a fresh connection is safe.
        const stale = reused && s.answered() === 0 && s.onlyReads() && round < size && !closed;
        if (!stale || timedOut) throw err;
      } finally {
        release(client, keep);
      }
    }
  }

  return {
    server,
    async use<T>(fn: (s: LdapSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (closed)
        throw new LdapConnectionError(`the connection pool to ${server} is closed`, 'ECONNRESET');
      signal?.throwIfAborted();
      const work = attempt(fn);
      if (signal === undefined) return work;
      // An abort stops the caller's wait; the LDAP work itself is bounded by timeoutMs and then
      // returns its connection to the pool (or discards it). Never an unhandled rejection.
      work.catch(() => undefined);
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        work.then(
          (v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
          },
          (e: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        );
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const w of waiters.splice(0)) w(undefined);
      idle.length = 0;
      const clients = [...all];
      all.clear();
      await Promise.all(clients.map((c) => discard(c)));
    },
  };
}
