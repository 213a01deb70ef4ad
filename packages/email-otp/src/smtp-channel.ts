/**
 * The e-mail provider's delivery channel: a {@link SendChannel} over a pooled nodemailer SMTP
 * transport, with nodemailer's verbs — `deliver` (send one code e-mail), `verify` (connect, TLS,
 * authenticate, send nothing: `install` and `verify` run it) and `close`.
 *
 * - The recipient is the `mail` attribute from the runtime's directory (AD/LDAP when `auth_mode`
 *   is AD or `ldap_url` is set, else the store's e-mail field), else the UPN
 *   ({@link resolveRecipient}); with `ui_customization` and
 *   `ui_allowed_domains_for_otpcode`, only addresses in those domains get codes (whole labels).
 * - Every attempt ends within `smtp_timeout_ms`: nodemailer's DNS, connect, greeting and reply
 *   timeouts, and a deadline over the whole attempt (a server that trickles bytes is cut off
 *   too). The channel says so (`deliveryTimeoutMs`), so the adapter's own deadline is that plus
 *   a margin and the channel's reason (ERR_CHANNEL_TIMEOUT) is the one reported.
 * - Failures are {@link ChannelError}s (see smtp-errors.ts): the adapter logs event 5553 with the
 *   code as `reason`, shows the user a clear message and nothing is counted against the user, so
 *   the sign-in can simply be retried.
 * - Nothing secret reaches a log: nodemailer's own logger is off (its debug output carries the
 *   AUTH exchange), the password is registered with the redactor, addresses are masked.
 *
 * A configuration problem found when the channel is built (no smtp_server, an unreadable
 * smtp_tls_ca_file) does not stop the provider: `verify`, `install` and every delivery report
 * it with a hint, and it is logged once at start-up.
 *
 * @see seed 001 "SMTP Configuration"
 * @module smtp-channel
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  ChannelError,
  type DeliveryReceipt,
  type EmailOtpConfig,
  type Logger,
  type OtpMessage,
  type SendChannel,
} from '@securemfa/core';
import nodemailer from 'nodemailer';
import { createDomainAllowlist } from './allowed-domains.js';
import { maskAddress } from './mask-address.js';
import { buildOtpMail } from './message.js';
import { resolveRecipient } from './recipient.js';
import { domainNotAllowedError, smtpError } from './smtp-errors.js';
import {
  describeSmtp,
  senderAddress,
  serverLabel,
  smtpPoolOptions,
  pemCertificates,
} from './smtp-options.js';

/** Options of {@link createSmtpChannel}. */
export interface CreateSmtpChannelOptions {
  /** The loaded `SecureMfaEmailOtpProvider.json`. */
  config: EmailOtpConfig;
  /** Where start-up problems are logged (deliveries are logged by the adapter). */
  logger: Logger;
  /** Folder a relative smtp_tls_ca_file is resolved against (default: the working directory). */
  cwd?: string | undefined;
  /** IANA zone of the "valid until" time in the e-mail (default: the host's zone). */
  timeZone?: string | undefined;
}

/** The SMTP channel: a send channel that also says how it reaches its server. */
export type SmtpChannel = SendChannel & {
  readonly name: 'smtp';
  /** `host:port TLS-mode, auth` — never the password. */
  readonly description: string;
  /** The sender address (`From:` and `MAIL FROM`). */
  readonly sender: string;
  /** smtp_timeout_ms: no delivery takes longer (the runtime sets the adapter's deadline from it). */
  readonly deliveryTimeoutMs: number;
};

/** A rejection when `signal` aborts (for calls that take no signal themselves). */
function whenAborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  // The promise may lose the race and never be awaited again: keep it from being "unhandled".
  promise.catch(() => undefined);
  return {
    promise,
    dispose: () => {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
    },
  };
}

/** Read smtp_tls_ca_file: the certificates, or the problem as a channel error. */
async function readCa(
  file: string,
  cwd: string,
): Promise<{ pem: string } | { error: ChannelError }> {
  const path = resolve(cwd, file);
  const hint =
    'point smtp_tls_ca_file at a readable PEM file with the CA certificate(s), or clear it to use the public CAs';
  try {
    const pem = await readFile(path, 'utf8');
    if (pemCertificates(pem).length === 0) {
      return {
        error: new ChannelError(
          'ERR_CHANNEL_UNREACHABLE',
          `smtp_tls_ca_file ${path} holds no PEM certificate`,
          { hint },
        ),
      };
    }
    return { pem };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return {
      error: new ChannelError(
        'ERR_CHANNEL_UNREACHABLE',
        `cannot read smtp_tls_ca_file ${path} (${code})`,
        {
          hint,
          cause: err,
        },
      ),
    };
  }
}

/**
 * Create the SMTP channel. Nothing connects until the first `deliver` or `verify`.
 *
 * @param options - config, logger, cwd, timeZone
 * @returns the channel
 * @throws {TypeError} when `config` or `logger` is missing
 * @example
 * ```ts
 * const channel = await createSmtpChannel({ config, logger });
 * await channel.verify(AbortSignal.timeout(10_000));      // reach + TLS + AUTH, nothing sent
 * const to = channel.recipient('alice@adatum.labnet', {}); // 'alice@adatum.labnet'
 * await channel.deliver({ upn, to, code, validUntil, lang: 'de', attributes: {} }, signal);
 * await channel.close();
 * ```
 */
export async function createSmtpChannel(options: CreateSmtpChannelOptions): Promise<SmtpChannel> {
  const { config, logger } = options;
  if (config === undefined || config === null) throw new TypeError('"config" option is required');
  if (logger === undefined || logger === null) throw new TypeError('"logger" option is required');
  if (config.smtp_password !== '') logger.redactor.addSecrets([config.smtp_password]);

  const server = serverLabel(config);
  const timeoutMs = config.smtp_timeout_ms;
  const sender = senderAddress(config);
  const description = describeSmtp(config);
  const allowlist = createDomainAllowlist(
    config.ui_customization ? config.ui_allowed_domains_for_otpcode : [],
  );

  let setupError: ChannelError | undefined;
  let caPem: string | undefined;
  if (config.smtp_server === '') {
    setupError = new ChannelError('ERR_CHANNEL_UNREACHABLE', 'smtp_server is not set', {
      hint: 'set smtp_server (and smtp_port, smtp_enablessl) to your SMTP relay',
    });
  } else if (config.smtp_tls_ca_file !== '' && config.smtp_enablessl) {
    // Without TLS the CA file is not used (warned below), so it cannot break plain delivery.
    const ca = await readCa(config.smtp_tls_ca_file, options.cwd ?? process.cwd());
    if ('error' in ca) setupError = ca.error;
    else caPem = ca.pem;
  }
  if (setupError !== undefined) {
    logger.error(`e-mail channel: ${setupError.message}`, { reason: setupError.code });
  }
  if (config.smtp_port === 465 && !config.smtp_enablessl) {
    logger.warn(
      'smtp_port is 465 (implicit TLS) but smtp_enablessl is false: set smtp_enablessl true, or use port 25/587',
    );
  }
  if (config.smtp_tls_ca_file !== '' && !config.smtp_enablessl) {
    logger.warn('smtp_tls_ca_file is set, but has no effect while smtp_enablessl is false');
  }

  const transport =
    setupError === undefined
      ? nodemailer.createTransport(smtpPoolOptions(config, caPem))
      : undefined;
  // The pool reports a dropped connection on its own too; the failing call reports it to the user.
  transport?.on('error', (err: Error) =>
    logger.debug('smtp pool connection error', { reason: (err as { code?: string }).code }),
  );
  let closed = false;

  const usable = (): NonNullable<typeof transport> => {
    if (closed) throw new ChannelError('ERR_CHANNEL_UNREACHABLE', 'the SMTP channel is closed');
    if (setupError !== undefined) throw setupError;
    return transport!;
  };

  return {
    mode: 'send',
    name: 'smtp',
    description,
    sender,
    deliveryTimeoutMs: timeoutMs,

    recipient: (upn, attributes) => resolveRecipient(upn, attributes),

    async deliver(msg: OtpMessage, signal: AbortSignal): Promise<DeliveryReceipt> {
      const smtp = usable();
      const destination = maskAddress(msg.to);
      if (!allowlist.allows(msg.to)) {
        throw domainNotAllowedError(destination, msg.lang);
      }
      const mail = buildOtpMail({
        upn: msg.upn,
        code: msg.code,
        validUntil: msg.validUntil,
        lang: msg.lang,
        company: config.company,
        removeUserPrefix: config.smtp_remove_user_prefix,
        timeZone: options.timeZone,
      });
      const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
      try {
        await smtp.sendMail({
          from: { name: config.smtp_mailfrom_title, address: sender },
          to: msg.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: {
            'Content-Language': mail.lang,
            // RFC 3834: an automatic message; no out-of-office replies to it.
            'Auto-Submitted': 'auto-generated',
            'X-Auto-Response-Suppress': 'All',
          },
          // The message holds only what is given here: no file or URL is ever read into it.
          disableFileAccess: true,
          disableUrlAccess: true,
          signal: deadline,
        });
      } catch (err) {
        throw smtpError(err, { server, timeoutMs, recipient: destination, lang: msg.lang });
      }
      return { destination };
    },

    async verify(signal: AbortSignal): Promise<string> {
      const smtp = usable();
      const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
      const aborted = whenAborted(deadline);
      try {
        await Promise.race([smtp.verify(), aborted.promise]);
        return config.smtp_username === ''
          ? `${description}: the server greeted and accepts mail without a login`
          : `${description}: the server accepted the login`;
      } catch (err) {
        throw smtpError(err, { server, timeoutMs });
      } finally {
        aborted.dispose();
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      transport?.close();
    },
  };
}
