/**
 * Two servers between the bare `node:http` baseline and the provider host, so the http bench
 * shows where a request's time goes (for information, no targets):
 *
 * - **plain fastify**: `Fastify()` with one `POST /adapter/end` route answering the success
 *   body — what the chosen framework costs by itself;
 * - **host framework**: `createProviderHost` exactly as the provider host fixture builds it
 *   (bearer check, JSON schema, security headers, metrics, error handler), over an adapter
 *   whose `end` answers success at once — the host's cost without the sign-in (no context to
 *   open, no store, no decrypt, no TOTP, no write, no log record).
 *
 * The full host minus the host framework is what the sign-in itself costs per request.
 *
 * @module bench
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  AUTH_METHOD_CLAIM,
  createSilentLogger,
  OTP_AUTH_METHOD,
  providerMetadata,
  type Adapter,
  type EndResult,
  type UserStore,
} from '@securemfa/core';
import { createProviderHost } from '@securemfa/core/http';

/** A listening floor server. */
export interface FloorServer {
  port: number;
  /** Bearer key the host framework expects (the plain fastify server ignores it). */
  apiKey: string;
  close(): Promise<void>;
}

const SUCCESS: EndResult = {
  ok: true,
  upn: 'user@bench.test',
  claims: [{ type: AUTH_METHOD_CLAIM, value: OTP_AUTH_METHOD }],
};

async function listen(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no address');
  return address.port;
}

/**
 * Plain fastify answering the success body on `POST /adapter/end`.
 *
 * @returns its port and a close function
 */
export async function startPlainFastify(): Promise<FloorServer> {
  const app = Fastify({ logger: false, keepAliveTimeout: 72_000 });
  app.post('/adapter/end', async () => SUCCESS);
  const port = await listen(app);
  return { port, apiKey: '', close: () => app.close() };
}

/** An adapter that answers every `end` with success and does nothing else. */
function instantAdapter(): Adapter {
  return {
    metadata: () => providerMetadata('qr-otp'),
    isAvailableForUser: async () => true,
    begin: async () => {
      throw new Error('the host framework floor serves /adapter/end only');
    },
    end: async () => SUCCESS,
  };
}

/** A store that is never read: the instant adapter does not touch one. */
const idleStore = {
  kind: 'memory',
  ping: async () => undefined,
  close: async () => undefined,
} as unknown as UserStore;

/**
 * The provider host, built as the host fixture builds it (rate limits off, process metrics on),
 * over the instant adapter.
 *
 * @returns its port, key and a close function
 */
export async function startHostFramework(): Promise<FloorServer> {
  const logger = createSilentLogger();
  const apiKey = randomBytes(32).toString('base64url');
  const app = await createProviderHost({
    adapter: instantAdapter(),
    store: idleStore,
    logger,
    apiKey,
    limits: { perIpPerMinute: 0, perUserPerMinute: 0 },
  });
  const port = await listen(app);
  return {
    port,
    apiKey,
    close: async () => {
      await app.close();
      await logger.close();
    },
  };
}
