/**
 * Maps every error that reaches the host to `{ error, error_description }` (OAuth style). Client
 * errors say what was wrong; server errors (>= 500) say only `server_error` /
 * `temporarily_unavailable` — the detail goes to the log, never a stack trace to a client.
 *
 * @see node-oidc-provider lib/helpers/err_out.js
 * @module http
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ContextError, RequestError, SecureMfaError } from '../errors.js';
import type { Logger } from '../log/logger.js';

/** The JSON error body. */
export interface ErrorBody {
  error: string;
  error_description?: string;
}

/** Status and body for an error. */
export function describeError(err: unknown): { status: number; body: ErrorBody; expose: boolean } {
  if (err instanceof RequestError) {
    return {
      status: err.status,
      body: { error: err.error, error_description: err.message },
      expose: true,
    };
  }
  if (err instanceof ContextError) {
    return {
      status: 400,
      body: {
        error: 'invalid_request',
        error_description:
          err.code === 'ERR_CONTEXT_EXPIRED'
            ? 'the context has expired'
            : 'the context is not valid',
      },
      expose: true,
    };
  }
  if (err instanceof TypeError && !(err instanceof SecureMfaError)) {
    // Argument checks at the adapter's public entry points: the request was malformed.
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: err.message },
      expose: true,
    };
  }
  const fe = err as Partial<FastifyError> & { status?: number };
  const status =
    typeof fe.statusCode === 'number'
      ? fe.statusCode
      : typeof fe.status === 'number'
        ? fe.status
        : 500;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      status: 413,
      body: { error: 'invalid_request', error_description: 'request body too large' },
      expose: true,
    };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      status: 415,
      body: { error: 'invalid_request', error_description: 'unsupported content type' },
      expose: true,
    };
  }
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && status === 400)) {
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: 'malformed JSON body' },
      expose: true,
    };
  }
  if (fe.validation !== undefined) {
    return {
      status: 400,
      body: { error: 'invalid_request', error_description: fe.message ?? 'invalid request' },
      expose: true,
    };
  }
  if (status >= 400 && status < 500) {
    return {
      status,
      body: { error: 'invalid_request', error_description: fe.message ?? 'bad request' },
      expose: true,
    };
  }
  if (status === 503 || (err instanceof SecureMfaError && err.status === 503)) {
    return { status: 503, body: { error: 'temporarily_unavailable' }, expose: false };
  }
  return { status: 500, body: { error: 'server_error' }, expose: false };
}

/**
 * Install the handler on a fastify instance.
 *
 * @param logger - where server-side details go
 */
export function createErrorHandler(logger: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body, expose } = describeError(err);
    if (!expose) {
      logger.error('request failed', {
        method: request.method,
        url: request.routeOptions?.url ?? 'unknown',
        ip: request.ip,
        error: err instanceof Error ? err.message : String(err),
        errorCode: (err as { code?: unknown }).code,
      });
    }
    if (status === 429 && err instanceof RequestError) {
      const retry = (err as RequestError & { retryAfter?: number }).retryAfter;
      if (retry !== undefined) void reply.header('retry-after', String(retry));
    }
    void reply.code(status).type('application/json; charset=utf-8').send(body);
  };
}
