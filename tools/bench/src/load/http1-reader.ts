/**
 * An incremental reader of HTTP/1.1 responses on one keep-alive connection, for the bench's
 * load client: feed it the socket's chunks as they come; it hands back each whole response
 * (status, body, whether the server will close the connection). Only what the provider host
 * and the bare server send is understood: a body framed by `Content-Length`. Anything else
 * (chunked bodies, no length, a broken status line) is a {@link Http1ReadError} — the load
 * client counts it as an error, never guesses.
 *
 * @module bench
 */

/** One whole response. */
export interface Http1Response {
  status: number;
  body: string;
  /** The server said `Connection: close`: this socket carries no further response. */
  close: boolean;
}

/** A response the reader cannot frame. */
export class Http1ReadError extends Error {
  override name = 'Http1ReadError';
}

/** Largest header block accepted (a runaway or non-HTTP peer is an error, not a memory leak). */
const MAX_HEADER_BYTES = 64 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n');
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: |$)/;

/** Reads responses off one connection. */
export interface Http1Reader {
  /**
   * Take a chunk; returns the responses it completed (usually none or one).
   *
   * @throws {Http1ReadError} when the bytes are not a response this reader can frame
   */
  push(chunk: Buffer): Http1Response[];
  /** Bytes held for an incomplete response (0 between responses). */
  readonly pending: number;
}

interface Head {
  status: number;
  length: number;
  close: boolean;
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const status = STATUS_LINE.exec(lines[0] ?? '');
  if (status === null) {
    throw new Http1ReadError(
      `not an HTTP/1.x status line: ${JSON.stringify(lines[0]?.slice(0, 80))}`,
    );
  }
  let length: number | undefined;
  let close = false;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new Http1ReadError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,12}$/.test(value))
        throw new Http1ReadError(`bad content-length ${JSON.stringify(value)}`);
      length = Number(value);
    } else if (name === 'transfer-encoding') {
      throw new Http1ReadError(`transfer-encoding ${value} is not supported (only content-length)`);
    } else if (name === 'connection') {
      close = value
        .toLowerCase()
        .split(',')
        .some((t) => t.trim() === 'close');
    }
  }
  if (length === undefined) throw new Http1ReadError('response without content-length');
  return { status: Number(status[1]), length, close };
}

/**
 * A reader for one connection.
 *
 * @returns an empty reader
 * @example
 * ```ts
 * const reader = createHttp1Reader();
 * socket.on('data', (chunk) => { for (const r of reader.push(chunk)) handle(r); });
 * ```
 */
export function createHttp1Reader(): Http1Reader {
  let buffered: Buffer = Buffer.alloc(0);
  let head: Head | undefined;
  let bodyAt = 0;
  return {
    push(chunk) {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const done: Http1Response[] = [];
      for (;;) {
        if (head === undefined) {
          const end = buffered.indexOf(HEADER_END);
          if (end < 0) {
            if (buffered.length > MAX_HEADER_BYTES) {
              throw new Http1ReadError(`no end of headers in ${buffered.length} bytes`);
            }
            return done;
          }
          head = parseHead(buffered.toString('latin1', 0, end));
          bodyAt = end + HEADER_END.length;
        }
        const bodyEnd = bodyAt + head.length;
        if (buffered.length < bodyEnd) return done;
        done.push({
          status: head.status,
          body: buffered.toString('utf8', bodyAt, bodyEnd),
          close: head.close,
        });
        buffered = buffered.subarray(bodyEnd);
        head = undefined;
        bodyAt = 0;
      }
    },
    get pending() {
      return buffered.length;
    },
  };
}
