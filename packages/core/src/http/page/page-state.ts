/**
 * The hosted page's own hidden state: what the page showed (status, masked destination, valid
 * until, when a code was sent), signed so that a form post cannot change it, and bound to the
 * request JWT and the sealed context it was rendered with. With it the page needs no server
 * session and no cookie: any node of a farm can process the next post.
 *
 * It is an HS256 JWT (crypto/page-jwt, algorithm pinned) under `adapter_api_key` with its own
 * audience (`<page audience>#state`), so it can never pass for a request or a response.
 *
 * @module http
 */
import { createHash } from 'node:crypto';
import type { BeginStatus } from '../../adapter/adapter.js';
import { signJwt, verifyJwt } from '../../crypto/page-jwt.js';
import { ContextError } from '../../errors.js';

/** Statuses after which the page shows a code form (the only ones that post back). */
export type FormStatus = Extract<BeginStatus, 'enroll' | 'enter_code' | 'code_sent'>;

/** What the page remembers between a render and the next post. */
export interface PageState {
  /** What `begin` answered. */
  status: FormStatus;
  /** Masked destination of a sent code. */
  destination?: string | undefined;
  /** When the sent code expires (ISO-8601). */
  validUntil?: string | undefined;
  /** When the last code was sent (epoch ms): the resend cooldown runs from here. */
  sentAt?: number | undefined;
}

/** Options of {@link sealPageState} / {@link openPageState}. */
export interface PageStateOptions {
  /** adapter_api_key. */
  secret: string;
  /** The page's audience (the state uses `<audience>#state`). */
  audience: string;
  now: Date;
}

/** Lifetime of a page state in seconds (longer than any sealed context the page pairs it with). */
export const PAGE_STATE_TTL_SECONDS = 1800;

const FORM_STATUSES = new Set<string>(['enroll', 'enter_code', 'code_sent']);

/** A short digest binding the state to one request JWT and one context. */
export function bindingDigest(request: string, context: string): string {
  return createHash('sha256')
    .update(request)
    .update('\u0000')
    .update(context)
    .digest('base64url')
    .slice(0, 32);
}

/**
 * Sign the page state for a request and context.
 *
 * @param state - what the page showed
 * @param binding - the request JWT and sealed context of the form
 * @param options - key, audience, clock
 * @returns the token for the hidden `page` field
 * @example
 * ```ts
 * const page = await sealPageState({ status: 'enter_code' }, { request, context }, { secret, audience, now });
 * ```
 */
export async function sealPageState(
  state: PageState,
  binding: { request: string; context: string },
  options: PageStateOptions,
): Promise<string> {
  return signJwt(
    {
      st: state.status,
      ...(state.destination === undefined ? {} : { dst: state.destination }),
      ...(state.validUntil === undefined ? {} : { vu: state.validUntil }),
      ...(state.sentAt === undefined ? {} : { sa: state.sentAt }),
      bd: bindingDigest(binding.request, binding.context),
    },
    {
      secret: options.secret,
      now: options.now,
      ttlSeconds: PAGE_STATE_TTL_SECONDS,
      audience: `${options.audience}#state`,
    },
  );
}

/**
 * Verify a page state token against the request and context posted with it.
 *
 * @param token - the hidden `page` field
 * @param binding - the request JWT and context posted alongside
 * @param options - key, audience, clock
 * @returns the state
 * @throws {ContextError} ERR_CONTEXT_EXPIRED / ERR_CONTEXT_INVALID (forged, altered, moved to
 *   another request or context)
 * @example
 * ```ts
 * const state = await openPageState(body.page, { request: body.request, context: body.context }, { secret, audience, now });
 * ```
 */
export async function openPageState(
  token: unknown,
  binding: { request: string; context: string },
  options: PageStateOptions,
): Promise<PageState> {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the page state is missing');
  }
  const claims = await verifyJwt(token, {
    secret: options.secret,
    now: options.now,
    audience: `${options.audience}#state`,
    clockTolerance: 0,
    requiredClaims: ['exp', 'st', 'bd'],
  });
  if (claims.bd !== bindingDigest(binding.request, binding.context)) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the page state belongs to another request');
  }
  if (typeof claims.st !== 'string' || !FORM_STATUSES.has(claims.st)) {
    throw new ContextError('ERR_CONTEXT_INVALID', 'the page state is not valid');
  }
  return {
    status: claims.st as FormStatus,
    destination: typeof claims.dst === 'string' ? claims.dst : undefined,
    validUntil: typeof claims.vu === 'string' ? claims.vu : undefined,
    sentAt: typeof claims.sa === 'number' ? claims.sa : undefined,
  };
}
