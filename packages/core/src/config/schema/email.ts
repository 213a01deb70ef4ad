/**
 * `SecureMfaEmailOtpProvider.json` — the e-mail OTP provider (seeds 001 and 002): the code is
 * sent over SMTP.
 *
 * @module config
 */
import { z } from 'zod';
import { boolish, emailAddress, host, intish, list, secret, text } from '../coerce.js';
import { baseKeys, hostKeys } from './common.js';
import { key } from './key.js';

/** Default port of the e-mail provider host. */
export const EMAIL_OTP_LISTEN_PORT = 8442;

/** The e-mail provider's own keys. */
export const emailKeys = {
  smtp_server: key(host(), {
    description: 'SMTP server host name or address.',
    default: '',
    seeds: '001 002',
  }),
  smtp_port: key(intish(1, 65_535), {
    description: 'SMTP port: 25 or 587 (STARTTLS when smtp_enablessl), 465 (implicit TLS).',
    default: 25,
    seeds: '001 002',
  }),
  smtp_mailfrom: key(emailAddress(), {
    description: 'Sender address of the code e-mails (also the reply address users see).',
    default: '',
    seeds: '001 002',
  }),
  smtp_mailfrom_title: key(text({ maxLength: 256 }), {
    description: 'Sender display name.',
    default: 'sMFA Email Time Based OTP Provider',
    seeds: '001 002',
  }),
  smtp_enablessl: key(boolish(), {
    description: 'Use TLS: STARTTLS on ports 25/587, implicit TLS on 465.',
    default: false,
    seeds: '001 002',
  }),
  smtp_username: key(text({ maxLength: 256 }), {
    description: 'SMTP user; empty: no authentication (anonymous relay).',
    default: '',
    seeds: '001 002',
  }),
  smtp_password: key(secret(), {
    description: 'Password of smtp_username.',
    default: '',
    secret: true,
    seeds: '001 002',
  }),
  smtp_remove_user_prefix: key(boolish(), {
    description: 'Hide the account name (the part before "@") in the e-mail.',
    default: false,
    seeds: '001 002',
  }),
  smtp_timeout_ms: key(intish(100, 600_000, 'ms'), {
    description: 'Connect, greeting and send timeout for the SMTP server, in milliseconds.',
    default: 10_000,
  }),
  ui_allowed_domains_for_otpcode: key(list('domain'), {
    description:
      'Domains whose addresses may receive codes, ";"-separated (".com;.net;mydomain.org"): an entry matches that domain and its subdomains. Empty: every domain. Needs ui_customization.',
    default: [],
    seeds: '001 002',
  }),
};

/**
 * Schema of `SecureMfaEmailOtpProvider.json` (unknown keys are reported by the loader, not
 * kept).
 */
export const emailOtpSchema = z.object({
  ...baseKeys,
  ...emailKeys,
  ...hostKeys(EMAIL_OTP_LISTEN_PORT),
});
