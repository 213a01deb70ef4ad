// The relying application of the hosted-page browser suites: a tiny real node:http server on
// 127.0.0.1 that mints page requests (as an app redirecting to the MFA page would) and records
// every `response` JWT the page sends back to its return_to. It verifies nothing itself — the
// tests do, with verifyPageResponse — and answers with a small static page (for screenshots).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { escapeHtml, signJwt } from '@securemfa/core';

/** One hit on the callback. */
export interface CallbackHit {
  /** The full URL the browser requested. */
  url: URL;
  /** The `response` query value (undefined when absent). */
  response: string | undefined;
  /** The `state` claim of the response, decoded WITHOUT verification (lookup key only). */
  unverifiedState: string | undefined;
}

/** A running relying app. */
export interface RelyingApp {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The return_to URL the page must answer at. */
  returnTo: string;
  /** Every callback hit so far, in order. */
  hits: CallbackHit[];
  /**
   * Wait (bounded) until a callback carrying this state arrives.
   *
   * @param state - the request's state
   * @param timeoutMs - upper bound (default 10 s)
   */
  waitForState(state: string, timeoutMs?: number): Promise<CallbackHit>;
  close(): Promise<void>;
}

function decodeState(jwt: string | undefined): string | undefined {
  if (jwt === undefined) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    return typeof payload.state === 'string' ? payload.state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start the relying app. `GET /callback` records the hit and answers 200 with a small page;
 * anything else is 404.
 *
 * @returns the app (close it in afterAll)
 */
export async function startRelyingApp(): Promise<RelyingApp> {
  const hits: CallbackHit[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end(); // no console error for the browser's own favicon request
      return;
    }
    if (req.method !== 'GET' || url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const response = url.searchParams.get('response') ?? undefined;
    const unverifiedState = decodeState(response);
    hits.push({ url, response, unverifiedState });
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'",
        'cache-control': 'no-store',
      })
      .end(
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Relying app</title></head>` +
          `<body><h1 id="appResult">Relying app: response received</h1>` +
          `<p>state <code id="appState">${escapeHtml(unverifiedState ?? '(none)')}</code></p></body></html>`,
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    returnTo: `${origin}/callback`,
    hits,
    async waitForState(state, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = hits.find((h) => h.unverifiedState === state);
        if (hit !== undefined) return hit;
        if (Date.now() > deadline) {
          throw new Error(
            `the relying app got no response with state "${state}" within ${timeoutMs} ms (hits: ${hits.length})`,
          );
        }
        await sleep(50);
      }
    },
    close() {
      return new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

/** A fresh random state, as a relying app keeps in its session. */
export function newState(): string {
  return randomBytes(12).toString('base64url');
}

/** What a relying app signs into a page request JWT. */
export interface PageRequestOptions {
  /** The page key (adapter_api_key). */
  secret: string;
  /** The provider id the host signs for (`qr-otp`, `email-otp`, …). */
  audience: string;
  upn: string;
  returnTo: string;
  state: string;
  lang?: string;
  /** Lifetime in seconds (default 300). */
  ttlSeconds?: number;
}

/**
 * Mint a page request JWT as the relying app does (HS256 with adapter_api_key).
 *
 * @param options - key, audience, user, return_to, state, optional `lang` claim and lifetime
 * @returns the JWT
 */
export function mintPageRequest(options: PageRequestOptions): Promise<string> {
  return signJwt(
    {
      sub: options.upn,
      return_to: options.returnTo,
      state: options.state,
      ...(options.lang === undefined ? {} : { lang: options.lang }),
    },
    {
      secret: options.secret,
      now: new Date(),
      ttlSeconds: options.ttlSeconds ?? 300,
      audience: options.audience,
    },
  );
}
