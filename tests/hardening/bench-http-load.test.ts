// The http bench's load client (issue 3, "tools/bench adds the HTTP path"): its HTTP/1.1
// response reader frames responses however the bytes are split and refuses what it cannot frame;
// the client, against real node:http servers on 127.0.0.1, sends each user's context with a
// valid code of the current step, counts outcomes and errors, survives servers that close
// connections, answer 500 or hang (bounded by its request timeout), and keeps connections alive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { generateSecret, verifyTotp } from '@securemfa/core';
import { createHttp1Reader, Http1ReadError } from '../../tools/bench/dist/load/http1-reader.js';
import {
  createLoadClient,
  type LoadClient,
  type LoadUser,
} from '../../tools/bench/dist/load/http-load.js';

jest.setTimeout(60_000);

const ok = (body: string, extra = ''): Buffer =>
  Buffer.from(
    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );

describe('http1 reader', () => {
  it('frames a response split at every byte, and two responses in one chunk', () => {
    const one = ok('{"ok":true,"claims":["é"]}');
    for (let cut = 1; cut < one.length; cut += 1) {
      const reader = createHttp1Reader();
      expect(reader.push(one.subarray(0, cut))).toEqual([]);
      const done = reader.push(one.subarray(cut));
      expect(done).toEqual([{ status: 200, body: '{"ok":true,"claims":["é"]}', close: false }]);
      expect(reader.pending).toBe(0);
    }
    const reader = createHttp1Reader();
    const two = reader.push(
      Buffer.concat([
        ok('{"a":1}'),
        ok('{"b":2}', 'Connection: close\r\n'),
        ok('{"c":3}').subarray(0, -2),
      ]),
    );
    expect(two).toEqual([
      { status: 200, body: '{"a":1}', close: false },
      { status: 200, body: '{"b":2}', close: true },
    ]);
    expect(reader.pending).toBeGreaterThan(0);
  });

  it('reads the status of an error answer and an empty body', () => {
    const reader = createHttp1Reader();
    const done = reader.push(
      Buffer.from('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n'),
    );
    expect(done).toEqual([{ status: 503, body: '', close: false }]);
  });

  it.each([
    [
      'chunked bodies',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
      /transfer-encoding/,
    ],
    [
      'no content-length',
      'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\n',
      /without content-length/,
    ],
    ['a broken status line', 'HTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', /status line/],
    ['a bad length', 'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n', /bad content-length/],
    ['a header without a colon', 'HTTP/1.1 200 OK\r\nnonsense\r\n\r\n', /malformed header/],
  ])('refuses %s', (_label, bytes, message) => {
    const reader = createHttp1Reader();
    expect(() => reader.push(Buffer.from(bytes))).toThrow(Http1ReadError);
    expect(() => createHttp1Reader().push(Buffer.from(bytes))).toThrow(message);
  });

  it('refuses a header block that never ends instead of buffering it forever', () => {
    const reader = createHttp1Reader();
    expect(() => reader.push(Buffer.alloc(70 * 1024, 'a'))).toThrow(/no end of headers/);
  });
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
const clients: LoadClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function serve(handler: Handler): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.on('connection', () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return { port: address.port, connections: () => connections };
}

const json = (res: ServerResponse, status: number, value: unknown): void => {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
};

const usersOf = (n: number): LoadUser[] =>
  Array.from({ length: n }, (_, i) => ({ secret: generateSecret(), context: `context-${i}` }));

function client(port: number, users: LoadUser[], concurrency = 4, requestTimeoutMs?: number) {
  const c = createLoadClient({
    targets: { t: { port, path: '/adapter/end', headers: { authorization: 'Bearer k' } } },
    users,
    concurrency,
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  });
  clients.push(c);
  return c;
}

describe('load client against real servers on 127.0.0.1', () => {
  it('sends each user once with a valid code of the current step, over kept-alive connections', async () => {
    const users = usersOf(40);
    const seen: { context: string; code: string; auth: string | undefined; path: string }[] = [];
    const server = await serve((req, res, body) => {
      const parsed = JSON.parse(body) as { context: string; code: string };
      seen.push({ ...parsed, auth: req.headers.authorization, path: req.url ?? '' });
      const valid = seen.length % 10 !== 0;
      json(res, 200, valid ? { ok: true } : { ok: false, reason: 'invalid_code' });
    });
    const c = client(server.port, users, 4);
    const first = await c.run('t', 20);
    const second = await c.run('t', 20);
    for (const batch of [first, second]) {
      expect(batch.requests).toBe(20);
      expect(batch.errors).toBe(0);
      expect(batch.outcomes).toEqual({ success: 18, invalid_code: 2 });
      expect(batch.latencyNs.every((ns) => ns > 0)).toBe(true);
      expect(batch.wallNs).toBeGreaterThan(0);
    }
    expect(seen.map((s) => s.context).sort()).toEqual(users.map((u) => u.context).sort());
    const now = Math.floor(Date.now() / 1000);
    for (const s of seen) {
      const user = users.find((u) => u.context === s.context)!;
      expect(verifyTotp({ secret: user.secret, token: s.code, epoch: now }).valid).toBe(true);
      expect(s.auth).toBe('Bearer k');
      expect(s.path).toBe('/adapter/end');
    }
    expect(server.connections()).toBe(4);
  });

  it('a target may bring its own users and requests in flight; two targets run side by side', async () => {
    const seenA: string[] = [];
    const seenB: string[] = [];
    const a = await serve((_req, res, body) => {
      seenA.push((JSON.parse(body) as { context: string }).context);
      json(res, 200, { ok: true });
    });
    const b = await serve((_req, res, body) => {
      seenB.push((JSON.parse(body) as { context: string }).context);
      json(res, 200, { ok: true });
    });
    const usersA = usersOf(6).map((u, i) => ({ ...u, context: `a-${i}` }));
    const usersB = usersOf(6).map((u, i) => ({ ...u, context: `b-${i}` }));
    const c = createLoadClient({
      targets: {
        a: { port: a.port, path: '/adapter/end', headers: {}, users: usersA, concurrency: 2 },
        b: { port: b.port, path: '/adapter/end', headers: {}, users: usersB, concurrency: 3 },
      },
      users: usersOf(1),
      concurrency: 8,
    });
    clients.push(c);
    const [ra, rb] = await Promise.all([c.run('a', 6), c.run('b', 6)]);
    expect(ra.outcomes).toEqual({ success: 6 });
    expect(rb.outcomes).toEqual({ success: 6 });
    expect(seenA.sort()).toEqual(usersA.map((u) => u.context).sort());
    expect(seenB.sort()).toEqual(usersB.map((u) => u.context).sort());
    expect([a.connections(), b.connections()]).toEqual([2, 3]);
    expect(() =>
      createLoadClient({
        targets: { t: { port: a.port, path: '/', headers: {}, concurrency: 0 } },
        users: usersOf(1),
        concurrency: 1,
      }),
    ).toThrow(/target "t": "concurrency"/);
  });

  it('counts non-2xx and bodies without a boolean ok as errors, with samples', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      n += 1;
      if (n % 2 === 0) json(res, 500, { error: 'server_error' });
      else json(res, 200, { nothing: true });
    });
    const batch = await client(server.port, usersOf(10), 2).run('t', 10);
    expect(batch.errors).toBe(10);
    expect(batch.outcomes).toEqual({});
    expect(batch.errorSamples.length).toBe(5);
    expect(batch.errorSamples.some((s) => s.startsWith('HTTP 500'))).toBe(true);
    expect(batch.errorSamples.some((s) => s.startsWith('HTTP 200'))).toBe(true);
  });

  it('reconnects when the server closes: Connection: close and a socket destroyed mid-request', async () => {
    let n = 0;
    const server = await serve((req, res) => {
      n += 1;
      if (n % 3 === 0) {
        req.socket.destroy();
        return;
      }
      res.setHeader('connection', 'close');
      json(res, 200, { ok: true });
    });
    const batch = await client(server.port, usersOf(12), 3).run('t', 12);
    expect(batch.errors).toBe(4);
    expect(batch.outcomes).toEqual({ success: 8 });
    expect(batch.errorSamples.join(' ')).toMatch(/closed the connection|ECONNRESET|EPIPE/);
    expect(server.connections()).toBe(12);
  });

  it('a server that never answers costs one request timeout per lane, not a hang', async () => {
    const server = await serve(() => undefined);
    const started = Date.now();
    const batch = await client(server.port, usersOf(4), 2, 300).run('t', 4);
    expect(batch.errors).toBe(4);
    expect(batch.errorSamples[0]).toMatch(/no whole answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an unknown target, no users, a bad concurrency and a header with a line break', async () => {
    const server = await serve((_req, res) => json(res, 200, { ok: true }));
    await expect(client(server.port, usersOf(1)).run('nope', 1)).rejects.toThrow(/unknown target/);
    expect(() => createLoadClient({ targets: {}, users: [], concurrency: 1 })).toThrow(/users/);
    expect(() => createLoadClient({ targets: {}, users: usersOf(1), concurrency: 0 })).toThrow(
      /concurrency/,
    );
    expect(() =>
      createLoadClient({
        targets: { t: { port: server.port, path: '/', headers: { x: 'a\r\nInjected: 1' } } },
        users: usersOf(1),
        concurrency: 1,
      }),
    ).toThrow(/line break/);
  });
});
