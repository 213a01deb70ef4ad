/**
 * The adapter REST API for an identity provider's thin adapter (DESIGN "HTTP provider host"):
 * GET /adapter/metadata, POST /adapter/begin, POST /adapter/end — JSON, `Authorization: Bearer
 * <adapter_api_key>`. The wire contract is fixed: fields may be added, never changed.
 *
 * @module http
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Adapter } from '../../adapter/adapter.js';
import { RequestError } from '../../errors.js';
import { constantTimeEqual } from '../../crypto/constant-time.js';
import { upnKey } from '../../store/user-store.js';
import { countDelivery, type HostMetrics } from '../metrics.js';
import type { RateLimiter } from '../rate-limit.js';

/** Options of {@link registerAdapterRoutes}. */
export interface AdapterRoutesOptions {
  adapter: Adapter;
  /** adapter_api_key; when empty the API refuses every request (secure by default). */
  apiKey: string | undefined;
  metrics: HostMetrics;
  perUser: RateLimiter;
  /** Negotiates the language from the request body / Accept-Language. */
  negotiate: (explicit: string | undefined, acceptLanguage: string | undefined) => string;
}

const meta = {
  ip: { type: 'string', maxLength: 64 },
  userAgent: { type: 'string', maxLength: 1024 },
  lang: { type: 'string', maxLength: 35 },
} as const;

const beginSchema = {
  body: {
    type: 'object',
    required: ['upn'],
    properties: { upn: { type: 'string', minLength: 1, maxLength: 256 }, ...meta },
  },
} as const;

const endSchema = {
  body: {
    type: 'object',
    required: ['context', 'code'],
    properties: {
      context: { type: 'string', minLength: 1, maxLength: 8192 },
      code: { type: 'string', maxLength: 64 },
      ...meta,
    },
  },
} as const;

interface BeginBody {
  upn: string;
  lang?: string;
  ip?: string;
  userAgent?: string;
}
interface EndBody {
  context: string;
  code: string;
  lang?: string;
  ip?: string;
  userAgent?: string;
}

/**
 * Register the adapter API.
 *
 * @param app - the fastify instance
 * @param options - adapter, API key, metrics, limiter, language negotiation
 */
export function registerAdapterRoutes(app: FastifyInstance, options: AdapterRoutesOptions): void {
  const { adapter, apiKey, metrics, perUser, negotiate } = options;

  const authorise = async (request: FastifyRequest): Promise<void> => {
    if (apiKey === undefined || apiKey.length === 0) {
      throw new RequestError(
        'ERR_UNAUTHORIZED',
        401,
        'invalid_token',
        'the adapter API is disabled: set adapter_api_key',
      );
    }
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match === null || !constantTimeEqual(match[1] ?? '', apiKey)) {
      throw new RequestError(
        'ERR_UNAUTHORIZED',
        401,
        'invalid_token',
        'missing or invalid bearer token',
      );
    }
  };

  const limitUser = (upn: string): void => {
    const key = upnKey(upn);
    if (!perUser.take(key)) {
      metrics.rateLimited.inc({ scope: 'user' });
      const err = new RequestError(
        'ERR_RATE_LIMITED',
        429,
        'slow_down',
        'too many requests for this user',
      );
      Object.assign(err, { retryAfter: perUser.retryAfter(key) });
      throw err;
    }
  };

  app.get('/adapter/metadata', { onRequest: authorise }, async () => adapter.metadata());

  app.post<{ Body: BeginBody }>(
    '/adapter/begin',
    { onRequest: authorise, schema: beginSchema },
    async (request) => {
      const { upn, ip, userAgent } = request.body;
      limitUser(upn);
      const lang = negotiate(request.body.lang, request.headers['accept-language']);
      const stop = metrics.latency.startTimer({ phase: 'begin' });
      try {
        const result = await adapter.begin(upn, { ip: ip ?? request.ip, userAgent, lang });
        countDelivery(metrics, result.status);
        return result;
      } finally {
        stop();
      }
    },
  );

  app.post<{ Body: EndBody }>(
    '/adapter/end',
    { onRequest: authorise, schema: endSchema },
    async (request, reply) => {
      const { context, code, ip, userAgent } = request.body;
      const lang =
        request.body.lang === undefined ? undefined : negotiate(request.body.lang, undefined);
      const stop = metrics.latency.startTimer({ phase: 'end' });
      try {
        const result = await adapter.end(context, code, {
          ip: ip ?? request.ip,
          userAgent,
          lang,
          beforeVerify: limitUser,
        });
        metrics.logins.inc({ outcome: result.ok ? 'success' : result.reason });
        if (!result.ok && result.malformed === true) {
          return reply.code(400).send({
            error: 'invalid_request',
            error_description: 'code must be 6–8 digits',
            ok: false,
            reason: result.reason,
            presentation: result.presentation,
          });
        }
        if (result.ok) return { ok: true, claims: result.claims };
        return { ok: false, reason: result.reason, presentation: result.presentation };
      } finally {
        stop();
      }
    },
  );
}
