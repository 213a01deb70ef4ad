/**
 * What each failure means, in words a user at a logon prompt (or an operator) understands.
 *
 * @module agent
 */
import type { AgentFailure } from './agent.js';

const TEXT: Record<AgentFailure, string> = {
  invalid_code: 'the code is not valid',
  reused_code: 'the code was used already: wait for the next one',
  locked: 'too many wrong codes: the account is locked for now',
  disabled: 'the OTP account is disabled',
  expired: 'the sign-in took too long: try again',
  not_enrolled: 'the user has no OTP account: enrol in the QR portal first',
  sync_disabled: 'the portal does not allow offline sync',
  message_rejected:
    'the portal exchange failed verification (tampering, replay or clock difference)',
  unauthorized: 'the portal refused this workstation’s api_headers_value',
  rate_limited: 'too many attempts: try again in a minute',
  portal_error: 'the portal could not answer',
  unreachable: 'the portal is unreachable and offline logons are disabled',
  not_synced: 'the portal is unreachable and this user is not synced for offline logons',
  offline_expired:
    'the portal is unreachable and the offline sync has expired: sync again when online',
  cache_tampered:
    'the portal is unreachable and the offline cache was refused (altered or another passphrase)',
};

/**
 * The text of a failure.
 *
 * @param reason - the failure
 * @param lockedUntil - end of an offline lockout
 * @returns one sentence
 */
export function reasonText(reason: AgentFailure, lockedUntil?: Date): string {
  const base = TEXT[reason];
  return lockedUntil === undefined ? base : `${base} (until ${lockedUntil.toISOString()})`;
}
