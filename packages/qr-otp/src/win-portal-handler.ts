/**
 * What the win-otp portal does with an authentic, fresh request: validate the code through the
 * adapter — `begin` then `end`, the very accept path of `POST /adapter/end` (store.acceptCode
 * with the reuse guard and the lockout condition, store.recordFailure, the lockout policy, the
 * OTP events) — and, for a `sync`, hand back the user's secret for offline logons.
 *
 * Only users who finished enrolment (first logon done, `logon = 1`) are served: a workstation
 * never enrols anyone (seed 004: "devices with WIN OTP Provider installed doesn't allow to enrol
 * user"), and `begin` for an unknown user would create a record.
 *
 * @see seed 004 "Enable Offline TOTP validations", "OTP Account Creation for Users"
 * @module win-portal
 */
import {
  EventId,
  type Adapter,
  type Logger,
  type SecretCodec,
  type UserStore,
  type WinOfflineSecret,
  type WinRequest,
  type WinResponseBody,
} from '@securemfa/core';

/** Options of {@link handleWinRequest}. */
export interface WinPortalHandlerOptions {
  adapter: Adapter;
  store: UserStore;
  /** The store's secret cipher (to read the secret a sync returns). */
  cipher: SecretCodec;
  logger: Logger;
  /** The verifier's TOTP parameters (what offline validation must use). */
  totp: Omit<WinOfflineSecret, 'secret'>;
  /** win_portal_allow_sync */
  allowSync: boolean;
  /** The host's per-user rate limit; throws to refuse. */
  beforeVerify?: ((upn: string) => void) | undefined;
}

/** Facts of the HTTP request. */
export interface WinRequestMeta {
  /** The workstation's address. */
  ip: string;
}

// eslint-disable-next-line no-control-regex -- control characters never reach the store
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;

/** The user agent recorded with the logon: agent name, host and the session's remote client. */
function userAgentOf(request: WinRequest): string {
  const parts = ['securemfa-win-otp'];
  if (request.agent !== undefined) parts.push(request.agent);
  if (request.client_ip !== undefined) parts.push(`rhost=${request.client_ip}`);
  return parts.join(' ').replace(CONTROL_CHARS, ' ').slice(0, 512);
}

/**
 * Answer one request.
 *
 * @param request - the opened request (already checked for MAC, freshness and replay)
 * @param meta - the workstation's address
 * @param options - adapter, store, cipher, logger, TOTP parameters, sync switch
 * @returns the response body to seal
 * @throws {RequestError} when the per-user rate limit refuses the request
 * @throws {StoreError} when the store is unreachable
 * @example
 * ```ts
 * const body = await handleWinRequest(request, { ip: req.ip }, { adapter, store, cipher, logger, totp, allowSync: true });
 * reply.send({ envelope: sealWinResponse(envelope, body, { state: request.state, now }) });
 * ```
 */
export async function handleWinRequest(
  request: WinRequest,
  meta: WinRequestMeta,
  options: WinPortalHandlerOptions,
): Promise<WinResponseBody> {
  const { adapter, store, logger } = options;
  const { upn, op } = request;
  const logonMeta = { ip: meta.ip, userAgent: userAgentOf(request) };
  const refuse = (reason: string): WinResponseBody => {
    logger.event(EventId.OtpFailure, `win-otp ${op} rejected`, { upn, ip: meta.ip, reason });
    return { ok: false, reason };
  };

  if (op === 'sync' && !options.allowSync) return refuse('sync_disabled');
  const record = await store.get(upn);
  if (record === undefined || record.logon !== 1) return refuse('not_enrolled');

  const begun = await adapter.begin(upn, { ...logonMeta, lang: 'en' });
  if (begun.status === 'locked' || begun.status === 'disabled') return refuse(begun.status);
  if (begun.status !== 'enter_code') return refuse('not_enrolled');

  // The adapter logs the OTP events (5556/5557) itself.
  const result = await adapter.end(begun.context, request.code, {
    ...logonMeta,
    beforeVerify: options.beforeVerify,
  });
  if (!result.ok) return { ok: false, reason: result.reason };

  const after = await store.get(upn);
  if (after === undefined) return refuse('not_enrolled');
  if (op === 'validate') return { ok: true, laststep: after.laststep };
  const secret = options.cipher.decrypt(after.secret);
  logger.event(EventId.ProviderSuccess, 'win-otp offline secret sent to the workstation', {
    upn,
    ip: meta.ip,
  });
  return { ok: true, laststep: after.laststep, offline: { secret, ...options.totp } };
}
