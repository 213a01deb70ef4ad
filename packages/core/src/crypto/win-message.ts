/**
 * The win-otp request/response protocol over the {@link WinEnvelope}: every request carries a
 * fresh random `state` and a timestamp `ts`; the portal rejects a stale timestamp and a state it
 * has seen before (a seen-state cache shared through the store, so a farm rejects a replay to
 * another node too); the response echoes the state and carries its own timestamp, and the agent
 * rejects a response with another state (a captured answer to an earlier request) or a stale
 * timestamp. Every failure is the envelope's one `ERR_CRYPTO_TAMPERED`.
 *
 * ```
 * request  {v:1, op:"validate"|"sync", upn, code, state, ts, agent?, client_ip?}
 * response {v:1, state, ts, ok, reason?, laststep?, offline?: {secret, step, digits, algorithm}}
 * ```
 *
 * @see seed 004 "Each API request has unique state value which is encrypted with data. It allows to validated against HTTP packet tampering or packet replay attempts."
 * @module crypto
 */
import { randomBytes } from 'node:crypto';
import { winMessageRejected, type WinEnvelope } from './win-envelope.js';

/** Default largest difference between a message's timestamp and the receiver's clock. */
export const DEFAULT_WIN_MAX_SKEW_SECONDS = 120;
/** Bounds of the allowed skew. */
export const MIN_WIN_MAX_SKEW_SECONDS = 10;
export const MAX_WIN_MAX_SKEW_SECONDS = 3600;
/** Prefix of the seen-state keys in the store's nonce cache. */
export const WIN_STATE_KEY_PREFIX = 'win-state:';

const STATE = /^[A-Za-z0-9_-]{22,86}$/;
const REASON = /^[a-z_]{1,40}$/;
const ALGORITHMS = new Set(['SHA1', 'SHA256', 'SHA512']);

/** What the agent asks. */
export type WinOperation = 'validate' | 'sync';

/** The caller's part of a request. */
export interface WinRequestBody {
  op: WinOperation;
  /** The user, already joined with anchordnsname. */
  upn: string;
  /** The code as typed. */
  code: string;
  /** Agent name and version, host name (for the portal's log). */
  agent?: string | undefined;
  /** The remote client of the session being authenticated (PAM_RHOST), if any. */
  client_ip?: string | undefined;
}

/** An opened request. */
export interface WinRequest extends WinRequestBody {
  v: 1;
  state: string;
  /** Unix time in milliseconds. */
  ts: number;
}

/** What a `sync` answer carries for offline use. */
export interface WinOfflineSecret {
  /** The user's base32 TOTP secret. */
  secret: string;
  /** Step in seconds. */
  step: number;
  digits: 6 | 7 | 8;
  algorithm: 'SHA1' | 'SHA256' | 'SHA512';
}

/** The portal's part of a response. */
export interface WinResponseBody {
  ok: boolean;
  /** Why not (`invalid_code`, `reused_code`, `locked`, `disabled`, `not_enrolled`…). */
  reason?: string | undefined;
  /** The user's last accepted step after this request (offline reuse guard). */
  laststep?: number | undefined;
  /** `sync` only, on success. */
  offline?: WinOfflineSecret | undefined;
}

/** An opened response. */
export interface WinResponse extends WinResponseBody {
  v: 1;
  state: string;
  ts: number;
}

/** A sealed request and the facts the agent needs to check its answer. */
export interface SealedWinRequest {
  /** The envelope text to send. */
  envelope: string;
  state: string;
  ts: number;
}

/**
 * A fresh random state value (32 bytes, base64url).
 *
 * @returns the state
 */
export function newWinState(): string {
  return randomBytes(32).toString('base64url');
}

function checkSkew(maxSkewSeconds: number): number {
  if (
    !Number.isInteger(maxSkewSeconds) ||
    maxSkewSeconds < MIN_WIN_MAX_SKEW_SECONDS ||
    maxSkewSeconds > MAX_WIN_MAX_SKEW_SECONDS
  ) {
    throw new RangeError(
      `"maxSkewSeconds" must be an integer ${MIN_WIN_MAX_SKEW_SECONDS}–${MAX_WIN_MAX_SKEW_SECONDS}, got ${String(maxSkewSeconds)}`,
    );
  }
  return maxSkewSeconds;
}

function fresh(ts: unknown, now: Date, maxSkewSeconds: number): ts is number {
  return (
    typeof ts === 'number' &&
    Number.isSafeInteger(ts) &&
    Math.abs(now.getTime() - ts) <= maxSkewSeconds * 1000
  );
}

const isString = (v: unknown, max: number, min = 0): v is string =>
  typeof v === 'string' && v.length >= min && v.length <= max;
const isOptionalString = (v: unknown, max: number): boolean => v === undefined || isString(v, max);

/**
 * Seal a request with a fresh state and the current time.
 *
 * @param envelope - the shared envelope
 * @param body - operation, user, code, agent facts
 * @param options - `now` (injected clock); `state` only for tests
 * @returns the envelope text, its state and timestamp
 * @throws {TypeError} when the body is malformed (a programming error)
 * @example
 * ```ts
 * const sealed = sealWinRequest(envelope, { op: 'validate', upn, code }, { now: new Date() });
 * // POST {"envelope": sealed.envelope}; later openWinResponse(…, { state: sealed.state, … })
 * ```
 */
export function sealWinRequest(
  envelope: WinEnvelope,
  body: WinRequestBody,
  options: { now: Date; state?: string },
): SealedWinRequest {
  if (body.op !== 'validate' && body.op !== 'sync') {
    throw new TypeError('"op" must be validate or sync');
  }
  if (!isString(body.upn, 256, 1)) throw new TypeError('"upn" must be 1–256 characters');
  if (!isString(body.code, 64)) throw new TypeError('"code" must be at most 64 characters');
  const state = options.state ?? newWinState();
  if (!STATE.test(state)) throw new TypeError('"state" must be 22–86 base64url characters');
  const ts = options.now.getTime();
  const payload: WinRequest = { v: 1, op: body.op, upn: body.upn, code: body.code, state, ts };
  if (body.agent !== undefined) payload.agent = body.agent.slice(0, 200);
  if (body.client_ip !== undefined) payload.client_ip = body.client_ip.slice(0, 64);
  return { envelope: envelope.seal('request', { ...payload }), state, ts };
}

/** Options of {@link openWinRequest}. */
export interface OpenWinRequestOptions {
  now: Date;
  /** Largest accepted |now − ts| (default {@link DEFAULT_WIN_MAX_SKEW_SECONDS}). */
  maxSkewSeconds?: number | undefined;
  /**
   * Remember a state key until `expiresAt`; true the first time, false when seen before
   * (`UserStore.rememberNonce`).
   */
  rememberState(key: string, expiresAt: Date): Promise<boolean>;
}

/**
 * Open a request: MAC, shape, freshness, then the seen-state check — in that order, so only
 * authentic, fresh messages reach the store.
 *
 * @param envelope - the shared envelope
 * @param text - the envelope text received
 * @param options - now, allowed skew, the seen-state cache
 * @returns the request
 * @throws {CryptoError} ERR_CRYPTO_TAMPERED when altered, malformed, stale or replayed
 */
export async function openWinRequest(
  envelope: WinEnvelope,
  text: string,
  options: OpenWinRequestOptions,
): Promise<WinRequest> {
  const skew = checkSkew(options.maxSkewSeconds ?? DEFAULT_WIN_MAX_SKEW_SECONDS);
  const m = envelope.open('request', text);
  if (
    m.v !== 1 ||
    (m.op !== 'validate' && m.op !== 'sync') ||
    !isString(m.upn, 256, 1) ||
    !isString(m.code, 64) ||
    typeof m.state !== 'string' ||
    !STATE.test(m.state) ||
    !isOptionalString(m.agent, 200) ||
    !isOptionalString(m.client_ip, 64)
  ) {
    throw winMessageRejected('request: bad shape');
  }
  if (!fresh(m.ts, options.now, skew)) throw winMessageRejected('request: stale timestamp');
  // Remembered past the last instant its timestamp is still fresh, on either side of now.
  const expiresAt = new Date(Math.max(m.ts, options.now.getTime()) + skew * 1000 + 1000);
  if (!(await options.rememberState(`${WIN_STATE_KEY_PREFIX}${m.state}`, expiresAt))) {
    throw winMessageRejected('request: replayed state');
  }
  const request: WinRequest = {
    v: 1,
    op: m.op,
    upn: m.upn,
    code: m.code,
    state: m.state,
    ts: m.ts,
  };
  if (typeof m.agent === 'string') request.agent = m.agent;
  if (typeof m.client_ip === 'string') request.client_ip = m.client_ip;
  return request;
}

/**
 * Seal the answer to a request, echoing its state.
 *
 * @param envelope - the shared envelope
 * @param body - the outcome
 * @param options - the request's state, now
 * @returns the envelope text
 */
export function sealWinResponse(
  envelope: WinEnvelope,
  body: WinResponseBody,
  options: { state: string; now: Date },
): string {
  const payload: Record<string, unknown> = {
    v: 1,
    state: options.state,
    ts: options.now.getTime(),
    ok: body.ok,
  };
  if (body.reason !== undefined) payload.reason = body.reason;
  if (body.laststep !== undefined) payload.laststep = body.laststep;
  if (body.offline !== undefined) payload.offline = { ...body.offline };
  return envelope.seal('response', payload);
}

function offlineOf(value: unknown): WinOfflineSecret | undefined | false {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  if (
    !isString(o.secret, 256, 16) ||
    !/^[A-Z2-7]+=*$/.test(o.secret) ||
    typeof o.step !== 'number' ||
    !Number.isInteger(o.step) ||
    o.step < 1 ||
    o.step > 3600 ||
    (o.digits !== 6 && o.digits !== 7 && o.digits !== 8) ||
    typeof o.algorithm !== 'string' ||
    !ALGORITHMS.has(o.algorithm)
  ) {
    return false;
  }
  return {
    secret: o.secret,
    step: o.step,
    digits: o.digits,
    algorithm: o.algorithm as WinOfflineSecret['algorithm'],
  };
}

/**
 * Open the answer to our request: MAC, shape, the echoed state (constant-time irrelevant: the
 * state is not secret once sent), freshness.
 *
 * @param envelope - the shared envelope
 * @param text - the envelope text received
 * @param options - the state we sent, now, allowed skew
 * @returns the response
 * @throws {CryptoError} ERR_CRYPTO_TAMPERED when altered, for another request, or stale
 */
export function openWinResponse(
  envelope: WinEnvelope,
  text: string,
  options: { state: string; now: Date; maxSkewSeconds?: number | undefined },
): WinResponse {
  const skew = checkSkew(options.maxSkewSeconds ?? DEFAULT_WIN_MAX_SKEW_SECONDS);
  const m = envelope.open('response', text);
  const offline = offlineOf(m.offline);
  if (
    m.v !== 1 ||
    typeof m.state !== 'string' ||
    typeof m.ok !== 'boolean' ||
    !(m.reason === undefined || (typeof m.reason === 'string' && REASON.test(m.reason))) ||
    !(
      m.laststep === undefined ||
      (typeof m.laststep === 'number' && Number.isSafeInteger(m.laststep))
    ) ||
    offline === false
  ) {
    throw winMessageRejected('response: bad shape');
  }
  if (m.state !== options.state) throw winMessageRejected('response: another state');
  if (!fresh(m.ts, options.now, skew)) throw winMessageRejected('response: stale timestamp');
  const response: WinResponse = { v: 1, state: m.state, ts: m.ts, ok: m.ok };
  if (typeof m.reason === 'string') response.reason = m.reason;
  if (typeof m.laststep === 'number') response.laststep = m.laststep;
  if (offline !== undefined) response.offline = offline;
  return response;
}
