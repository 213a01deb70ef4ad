/**
 * The provider host: one fastify instance serving health, readiness, metrics, the adapter API,
 * the hosted MFA page (when given) and any provider extension (e.g. the win-otp portal).
 *
 * Protections on every route: body size limit, per-IP rate limit, security headers with a CSP
 * that allows no external origin, errors as `{error, error_description}` with no stack trace.
 *
 * @module http
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Adapter } from '../adapter/adapter.js';
import { RequestError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { UserStore } from '../store/user-store.js';
import { createErrorHandler } from './error-handler.js';
import { createHostMetrics, type HostMetrics } from './metrics.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { registerAdapterRoutes } from './routes/adapter-routes.js';
import { securityHeaders } from './security-headers.js';

/** Limits of a host. */
export interface HostLimits {
  /** Requests per client IP per minute, all routes but health (default 300; 0 = off). */
  perIpPerMinute?: number;
  /** begin/end calls per user per minute (default 30; 0 = off). */
  perUserPerMinute?: number;
  /** Largest accepted request body in bytes (default 16 KiB). */
  bodyLimit?: number;
}

/** A route plugin added by a provider or the hosted page. */
export type HostExtension = (app: FastifyInstance, context: HostContext) => void | Promise<void>;

/** What extensions receive. */
export interface HostContext {
  adapter: Adapter;
  store: UserStore;
  logger: Logger;
  metrics: HostMetrics;
  perUser: RateLimiter;
  negotiate: (explicit: string | undefined, acceptLanguage: string | undefined) => string;
  /**
   * Origins besides its own that pages may load images from — exactly the extra `img-src` of
   * the host's CSP (the external QR service of `totp_api_endpoint`, when configured).
   */
  imageOrigins: readonly string[];
}

/** Options of {@link createProviderHost}. */
export interface ProviderHostOptions {
  adapter: Adapter;
  store: UserStore;
  logger: Logger;
  /** adapter_api_key; empty = adapter API refuses every call. */
  apiKey: string | undefined;
  /** Language negotiation (i18n); default: explicit or 'en'. */
  negotiate?: (explicit: string | undefined, acceptLanguage: string | undefined) => string;
  limits?: HostLimits;
  /** trusted_proxies: CIDRs/addresses whose X-Forwarded-For is honoured for the client IP. */
  trustedProxies?: readonly string[];
  /** HSTS and secure cookies when the host serves TLS. */
  https?: { key: string | Buffer; cert: string | Buffer } | undefined;
  /** Origins the pages may load images from besides their own (an external QR service). */
  imageOrigins?: readonly string[];
  /** Extra routes: hosted page, provider-specific APIs. */
  extensions?: readonly HostExtension[];
  /** Record process metrics (RSS, CPU) in /metrics (default true). */
  processMetrics?: boolean;
}

const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Build (but do not start) the host.
 *
 * @param options - adapter, store, logger, key, limits, proxies, extensions
 * @returns the fastify instance; call `listen({ host, port })` to serve
 * @example
 * ```ts
 * const app = await createProviderHost({ adapter, store, logger, apiKey: cfg.adapter_api_key });
 * await app.listen({ host: '127.0.0.1', port: 8080 });
 * ```
 */
export async function createProviderHost(options: ProviderHostOptions): Promise<FastifyInstance> {
  const { adapter, store, logger } = options;
  const limits = options.limits ?? {};
  const metrics = createHostMetrics({ processMetrics: options.processMetrics ?? true });
  const perIp = createRateLimiter({ limit: limits.perIpPerMinute ?? 300 });
  const perUser = createRateLimiter({ limit: limits.perUserPerMinute ?? 30 });
  const negotiate = options.negotiate ?? ((explicit: string | undefined) => explicit ?? 'en');
  const trusted = options.trustedProxies ?? [];

  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimit ?? 16 * 1024,
    trustProxy: trusted.length > 0 ? [...trusted] : false,
    return503OnClosing: true,
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    keepAliveTimeout: 72_000,
    // The wire contract is JSON strings: a number, boolean or one-item array where a string is
    // expected is a malformed request (400), not silently turned into "42" / "true" / "a".
    ajv: { customOptions: { coerceTypes: false } },
    ...(options.https === undefined ? {} : { https: options.https }),
  });

  const imageOrigins = options.imageOrigins ?? [];
  const headers = securityHeaders({ hsts: options.https !== undefined, imageOrigins });
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(headers);
    const route = request.routeOptions.url ?? request.url;
    if (!UNLIMITED_ROUTES.has(route) && !perIp.take(request.ip)) {
      metrics.rateLimited.inc({ scope: 'ip' });
      const err = new RequestError(
        'ERR_RATE_LIMITED',
        429,
        'slow_down',
        'too many requests from this address',
      );
      Object.assign(err, { retryAfter: perIp.retryAfter(request.ip) });
      throw err;
    }
  });
  app.setErrorHandler(createErrorHandler(logger));
  app.setNotFoundHandler((_request, reply) => {
    void reply.code(404).send({ error: 'not_found', error_description: 'no such route' });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await store.ping(AbortSignal.timeout(2000));
      return { status: 'ready', store: store.kind };
    } catch (err) {
      logger.warn('readiness check failed', {
        error: err instanceof Error ? err.message : String(err),
      });
      return reply.code(503).send({ status: 'unavailable', store: store.kind });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  registerAdapterRoutes(app, { adapter, apiKey: options.apiKey, metrics, perUser, negotiate });
  const context: HostContext = {
    adapter,
    store,
    logger,
    metrics,
    perUser,
    negotiate,
    imageOrigins,
  };
  for (const extend of options.extensions ?? []) await extend(app, context);
  return app;
}
