/**
 * `SecureMfaEmailOtpProvider.json` — the e-mail OTP provider (seeds 001 and 002): the code is
 * sent over SMTP.
 *
 * @module config
 */
import { z } from 'zod';
import { boolish, emailAddress, filePath, host, intish, list, secret, text } from '../coerce.js';
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
    description:
      'Sender address of the code e-mails (also the reply address users see). Empty: mfa.no.reply@ the domain of smtp_server (smtp.adatum.labnet → mfa.no.reply@adatum.labnet).',
    default: '',
    seeds: '001 002',
  }),
  smtp_mailfrom_title: key(text({ maxLength: 256 }), {
    description: 'Sender display name.',
    default: 'sMFA Email Time Based OTP Provider',
    seeds: '001 002',
  }),
  smtp_enablessl: key(boolish(), {
    description:
      'Use TLS: implicit TLS on port 465, STARTTLS (required: the provider refuses to go on without it) on any other port. False: plain SMTP, STARTTLS is not attempted.',
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
  smtp_tls_ca_file: key(filePath(), {
    description:
      'PEM file with the CA certificate(s) that issued the SMTP server certificate (a private or self-signed CA); default: Node’s public CAs. A relative path is relative to the working directory. Read only when smtp_enablessl is true.',
    default: '',
  }),
  smtp_tls_servername: key(host(), {
    description:
      'Name to verify in the SMTP server certificate (and send as SNI) when it differs from smtp_server, e.g. when smtp_server is an IP address.',
    default: '',
  }),
  smtp_pool_size: key(intish(1, 50), {
    description:
      'SMTP connections kept open and reused for sending (pooled transport); each connection sends up to 100 messages before it is replaced.',
    default: 5,
  }),
  smtp_remove_user_prefix: key(boolish(), {
    description:
      'Hide the account name (the part of the UPN before "@") in the e-mail: the message greets without it and never shows it.',
    default: false,
    seeds: '001 002',
  }),
  smtp_timeout_ms: key(intish(100, 600_000, 'ms'), {
    description:
      'Longest one SMTP delivery or check may take, in milliseconds: DNS, connect, TLS, greeting, AUTH and every reply are each bounded by it, and so is the whole attempt (a server that accepts the connection but never answers fails after this).',
    default: 10_000,
  }),
  ui_allowed_domains_for_otpcode: key(list('domain'), {
    description:
      'Domains whose addresses may receive codes, ";"-separated (".com;.net;mydomain.org"): an entry matches that domain and its subdomains, whole labels only (mydomain.org matches a.mydomain.org, not evil-mydomain.org). Empty: every domain. Needs ui_customization.',
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
