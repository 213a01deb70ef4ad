/**
 * The SMTP settings of a `SecureMfaEmailOtpProvider.json`, as nodemailer pool options — a pure
 * function of the config (the CA file's contents passed in), so every seed sample's mapping can
 * be checked without a server.
 *
 * - `smtp_enablessl` false: plain SMTP; STARTTLS is not attempted (the originals' default:
 *   port 25, anonymous). True: implicit TLS on port 465, STARTTLS on any other port — required,
 *   so a server that does not offer it (or a man in the middle that strips it) fails the
 *   delivery instead of getting the code in clear text. TLS 1.2 at least; the certificate is
 *   always verified (against `smtp_tls_ca_file` when set, else Node's public CAs).
 * - `smtp_username` empty: no AUTH (anonymous relay). Else AUTH PLAIN or LOGIN, whichever the
 *   server offers.
 * - every wait — DNS, connect, greeting, each reply — is bounded by `smtp_timeout_ms`.
 * - pooled: up to `smtp_pool_size` connections, reused for many messages.
 *
 * @see seed 001 "SMTP Configuration"
 * @module smtp-options
 */
import { isIP } from 'node:net';
import type { EmailOtpConfig } from '@securemfa/core';

/** Messages one pooled connection sends before it is replaced (nodemailer's default). */
export const MAX_MESSAGES_PER_CONNECTION = 100;
/** Times a message is handed to a new connection after its connection dropped mid-send. */
export const MAX_REQUEUES = 1;
/** Local part of the sender when smtp_mailfrom is empty. */
export const FALLBACK_SENDER_LOCAL = 'mfa.no.reply';

/** The nodemailer pool options this provider uses (a subset of `SMTPPoolOptions`). */
export interface SmtpPoolOptions {
  pool: true;
  host: string;
  port: number;
  /** Implicit TLS (port 465 with smtp_enablessl). */
  secure: boolean;
  /** STARTTLS required (smtp_enablessl on another port). */
  requireTLS: boolean;
  /** Never STARTTLS (smtp_enablessl false). */
  ignoreTLS: boolean;
  auth?: { user: string; pass: string };
  tls: {
    minVersion: 'TLSv1.2';
    rejectUnauthorized: true;
    ca?: string[];
    servername?: string;
  };
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
  dnsTimeout: number;
  maxConnections: number;
  maxMessages: number;
  /** A pooled connection idle this long is closed with QUIT (before the socket timeout ends it). */
  idleTimeout: number;
  /** A message whose connection dropped mid-send is sent once more (a server may close an idle connection as we use it). */
  maxRequeues: number;
  logger: false;
  debug: false;
}

/**
 * The sender address: smtp_mailfrom, or `mfa.no.reply@` the domain of smtp_server (its parent
 * domain when it has three labels or more: `smtp.adatum.labnet` → `adatum.labnet`).
 *
 * @param config - smtp_mailfrom, smtp_server
 * @returns the address used in `From:` and `MAIL FROM`
 * @example
 * ```ts
 * senderAddress({ smtp_mailfrom: '', smtp_server: 'smtp.adatum.labnet' }); // 'mfa.no.reply@adatum.labnet'
 * ```
 */
export function senderAddress(
  config: Pick<EmailOtpConfig, 'smtp_mailfrom' | 'smtp_server'>,
): string {
  if (config.smtp_mailfrom !== '') return config.smtp_mailfrom;
  const server = config.smtp_server.trim().toLowerCase().replace(/\.$/, '');
  if (server === '' || isIP(server) !== 0 || !server.includes('.')) {
    return `${FALLBACK_SENDER_LOCAL}@localhost`;
  }
  const labels = server.split('.');
  const domain = labels.length >= 3 ? labels.slice(1).join('.') : server;
  return `${FALLBACK_SENDER_LOCAL}@${domain}`;
}

/**
 * Split a PEM bundle into its certificates (a CA file may hold a chain).
 *
 * @param pem - the file's text
 * @returns each `-----BEGIN CERTIFICATE-----` block
 */
export function pemCertificates(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * The nodemailer pool options of a config.
 *
 * @param config - the e-mail provider config
 * @param caPem - the contents of smtp_tls_ca_file (when set)
 * @returns the options for `nodemailer.createTransport`
 * @example
 * ```ts
 * const options = smtpPoolOptions(config, await readFile(config.smtp_tls_ca_file, 'utf8'));
 * const transport = nodemailer.createTransport(options);
 * ```
 */
export function smtpPoolOptions(config: EmailOtpConfig, caPem?: string): SmtpPoolOptions {
  const tlsOn = config.smtp_enablessl;
  const implicit = tlsOn && config.smtp_port === 465;
  const timeout = config.smtp_timeout_ms;
  const ca = caPem === undefined ? [] : pemCertificates(caPem);
  return {
    pool: true,
    host: config.smtp_server,
    port: config.smtp_port,
    secure: implicit,
    requireTLS: tlsOn && !implicit,
    ignoreTLS: !tlsOn,
    ...(config.smtp_username === ''
      ? {}
      : { auth: { user: config.smtp_username, pass: config.smtp_password } }),
    tls: {
      minVersion: 'TLSv1.2',
      rejectUnauthorized: true,
      ...(ca.length > 0 ? { ca } : {}),
      ...(config.smtp_tls_servername === '' ? {} : { servername: config.smtp_tls_servername }),
    },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dnsTimeout: timeout,
    maxConnections: config.smtp_pool_size,
    maxMessages: MAX_MESSAGES_PER_CONNECTION,
    idleTimeout: Math.max(50, Math.floor(timeout / 2)),
    maxRequeues: MAX_REQUEUES,
    logger: false,
    debug: false,
  };
}

/**
 * How the channel talks to its server, in words (logs, `verify`): never the password.
 *
 * @param config - the e-mail provider config
 * @returns e.g. `smtp.adatum.labnet:587 STARTTLS, AUTH as smtpuser`
 */
export function describeSmtp(config: EmailOtpConfig): string {
  const tls = !config.smtp_enablessl
    ? 'no TLS'
    : config.smtp_port === 465
      ? 'implicit TLS'
      : 'STARTTLS';
  const auth = config.smtp_username === '' ? 'anonymous' : `AUTH as ${config.smtp_username}`;
  return `${serverLabel(config)} ${tls}, ${auth}`;
}

/**
 * `host:port` of the configured server (IPv6 in brackets).
 *
 * @param config - smtp_server, smtp_port
 * @returns the label
 */
export function serverLabel(config: Pick<EmailOtpConfig, 'smtp_server' | 'smtp_port'>): string {
  const host = config.smtp_server === '' ? '(smtp_server not set)' : config.smtp_server;
  return `${host.includes(':') ? `[${host}]` : host}:${config.smtp_port}`;
}
