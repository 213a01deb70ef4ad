/**
 * nodemailer's errors as {@link ChannelError}s: one stable code per kind of failure, a one-line
 * message naming the server and what it said (addresses masked, never a credential), a fix hint
 * for the operator, and — where the user can act on it — a message for the user.
 *
 * | nodemailer | ChannelError |
 * | --- | --- |
 * | `EAUTH`, `ENOAUTH`; `530`/`534`/`535`/`538` replies ("authentication required") | `ERR_CHANNEL_AUTH` |
 * | `ETIMEDOUT`, our deadline (`AbortSignal`) | `ERR_CHANNEL_TIMEOUT` |
 * | `EENVELOPE` (recipient or sender refused), `EMESSAGE` (message refused) | `ERR_CHANNEL_REJECTED` |
 * | `ECONNECTION`, `ESOCKET`, `EDNS`, `ETLS`, `EPROTOCOL`, anything else | `ERR_CHANNEL_UNREACHABLE` |
 *
 * @see nodemailer lib/errors.js (ERROR_CODES)
 * @module smtp-errors
 */
import { ChannelError, t } from '@securemfa/core';
import { maskAddressesIn } from './mask-address.js';

/** What the mapping needs to know about the attempt. */
export interface SmtpErrorContext {
  /** `host:port`, for the message. */
  server: string;
  /** smtp_timeout_ms, for the timeout message. */
  timeoutMs: number;
  /** Masked recipient, when delivering. */
  recipient?: string | undefined;
  /** The user's language, for the user message. */
  lang?: string | undefined;
}

/** The fields of a nodemailer error the mapping reads. */
interface NodemailerErrorFields {
  code?: unknown;
  responseCode?: unknown;
  command?: unknown;
  response?: unknown;
  message?: unknown;
  name?: unknown;
  cause?: unknown;
}

/** Longest server reply quoted in a message. */
const MAX_QUOTE = 200;

/** SMTP replies that mean "authenticate first" (RFC 4954 §6). */
const AUTH_REPLIES = new Set([530, 534, 535, 538]);

const TLS_TEXT =
  /certificate|self[- ]signed|\bssl\b|\btls\b|handshake|wrong version number|unable to verify|altnames|ERR_TLS|CERT_/i;

/** One line, addresses masked, bounded. */
function quote(text: string): string {
  const line = maskAddressesIn(text.replace(/\s+/g, ' ').trim());
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE - 1)}…` : line;
}

function fieldsOf(err: unknown): NodemailerErrorFields {
  return typeof err === 'object' && err !== null ? (err as NodemailerErrorFields) : {};
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Whether the error is the end of our own deadline (the AbortSignal given to deliver/verify). */
function isDeadline(err: NodemailerErrorFields): boolean {
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || err.code === 'EABORT')
    return true;
  const cause = fieldsOf(err.cause);
  return cause.name === 'TimeoutError';
}

/**
 * Map an error from nodemailer (or from our own deadline) to a {@link ChannelError}.
 *
 * @param err - what sendMail/verify rejected with
 * @param context - server, timeout, masked recipient, language
 * @returns the channel error (the original as `cause`, for the debug log only)
 * @example
 * ```ts
 * try { await transport.sendMail(mail); } catch (err) { throw smtpError(err, { server, timeoutMs }); }
 * ```
 */
export function smtpError(err: unknown, context: SmtpErrorContext): ChannelError {
  if (err instanceof ChannelError) return err;
  const e = fieldsOf(err);
  const code = textOf(e.code);
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const command = textOf(e.command).toUpperCase();
  const said = quote(textOf(e.response) || textOf(e.message) || String(err));
  const { server, timeoutMs } = context;
  const lang = context.lang ?? 'en';

  if (isDeadline(e)) {
    return new ChannelError(
      'ERR_CHANNEL_TIMEOUT',
      `smtp ${server}: no answer within ${timeoutMs} ms (smtp_timeout_ms)`,
      {
        cause: err,
        hint: 'check that smtp_server and smtp_port point at an SMTP server that answers; raise smtp_timeout_ms for a slow server',
      },
    );
  }
  if (code === 'ETIMEDOUT') {
    return new ChannelError('ERR_CHANNEL_TIMEOUT', `smtp ${server}: timed out (${said})`, {
      cause: err,
      hint: 'the server accepted the connection but did not answer in time (smtp_timeout_ms): check smtp_port — 465 is implicit TLS (smtp_enablessl true), 25/587 plain or STARTTLS',
    });
  }
  if (reply === 530 && /STARTTLS|\bTLS\b/i.test(said)) {
    return new ChannelError(
      'ERR_CHANNEL_UNREACHABLE',
      `smtp ${server}: the server requires TLS (${said})`,
      { cause: err, hint: 'set smtp_enablessl true (STARTTLS on 25/587, implicit TLS on 465)' },
    );
  }
  if (code === 'EAUTH' || code === 'ENOAUTH' || (reply !== undefined && AUTH_REPLIES.has(reply))) {
    const required = code !== 'EAUTH' && code !== 'ENOAUTH';
    return new ChannelError(
      'ERR_CHANNEL_AUTH',
      required
        ? `smtp ${server}: the server requires authentication (${said})`
        : `smtp ${server}: authentication failed (${said})`,
      {
        cause: err,
        hint: required
          ? 'set smtp_username and smtp_password (with smtp_enablessl true)'
          : 'check smtp_username and smtp_password',
      },
    );
  }
  if (code === 'EENVELOPE' || code === 'EMESSAGE') {
    if (command === 'MAIL FROM') {
      return new ChannelError('ERR_CHANNEL_REJECTED', `smtp ${server}: sender refused (${said})`, {
        cause: err,
        hint: 'set smtp_mailfrom to an address this server accepts (and may relay for)',
      });
    }
    if (code === 'EMESSAGE' || command === 'DATA') {
      return new ChannelError('ERR_CHANNEL_REJECTED', `smtp ${server}: message refused (${said})`, {
        cause: err,
        hint: 'the server refused the message content; check its logs',
      });
    }
    const who = context.recipient === undefined ? 'the recipient' : context.recipient;
    return new ChannelError(
      'ERR_CHANNEL_REJECTED',
      `smtp ${server}: recipient ${who} refused (${said})`,
      {
        cause: err,
        hint: "check the user's e-mail address (directory mail attribute) and that the server relays to its domain",
        userMessage: t(lang, 'outcome.recipient_rejected'),
      },
    );
  }
  if (code === 'ETLS' || TLS_TEXT.test(said)) {
    return new ChannelError('ERR_CHANNEL_UNREACHABLE', `smtp ${server}: TLS failed (${said})`, {
      cause: err,
      hint: 'set smtp_tls_ca_file to the PEM of the CA that issued the server certificate (and smtp_tls_servername when it names another host); 465 is implicit TLS, 25/587 use STARTTLS',
    });
  }
  if (code === 'EDNS') {
    return new ChannelError('ERR_CHANNEL_UNREACHABLE', `smtp ${server}: host not found (${said})`, {
      cause: err,
      hint: 'check smtp_server',
    });
  }
  if (code === 'EPROTOCOL') {
    return new ChannelError(
      'ERR_CHANNEL_UNREACHABLE',
      `smtp ${server}: the answer is not SMTP (${said})`,
      { cause: err, hint: 'check smtp_port and smtp_enablessl (465 is implicit TLS)' },
    );
  }
  return new ChannelError('ERR_CHANNEL_UNREACHABLE', `smtp ${server}: cannot connect (${said})`, {
    cause: err,
    hint: 'check smtp_server and smtp_port, and that the SMTP server runs and this host may reach it',
  });
}

/**
 * The refusal of a recipient whose domain is not in `ui_allowed_domains_for_otpcode`: nothing is
 * sent, the user is told that codes cannot go to that domain.
 *
 * @param destination - the masked recipient
 * @param lang - the user's language
 * @returns the channel error (`ERR_CHANNEL_REJECTED`)
 * @see seed 001 "Configure Allowed Domain List"
 */
export function domainNotAllowedError(destination: string, lang: string): ChannelError {
  return new ChannelError(
    'ERR_CHANNEL_REJECTED',
    `recipient ${destination}: its domain is not in ui_allowed_domains_for_otpcode`,
    {
      hint: "add the domain to ui_allowed_domains_for_otpcode, or correct the user's address",
      userMessage: t(lang, 'outcome.domain_not_allowed'),
    },
  );
}
