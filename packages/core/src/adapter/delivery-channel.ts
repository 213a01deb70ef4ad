/**
 * The delivery channel contract: how a provider gets a code to the user (nodemailer's transport
 * verbs). A discriminated union, because the QR provider has nothing to send — the user's
 * authenticator app makes the code.
 *
 * Every call that does I/O takes an `AbortSignal` carrying the configured timeout, so nothing
 * hangs; a timeout becomes `ChannelError('ERR_CHANNEL_TIMEOUT')`.
 *
 * @module adapter
 */
import type { LogonMeta, UserRecord } from '../store/user-store.js';

/** What the user is shown: the wire shape of `presentation` in /adapter/begin and /adapter/end. */
export interface Presentation {
  title: string;
  message: string;
  /** Sanitised simple HTML (ui_customization texts), when configured. */
  html?: string;
  /** QR enrolment, only on first logon and only to allowed networks. */
  enrollment?: {
    otpauthUri: string;
    /** `data:image/png;base64,…` drawn locally, or an external URL when totp_api_endpoint is set. */
    qrImage: string;
    /** The base32 secret for manual entry. */
    secret: string;
    width: number;
    height: number;
  };
  /** Masked destination of a sent code (`j***@example.com`). */
  destination?: string;
  /** When the code expires (ISO-8601). */
  validUntil?: string;
  /** When the user is locked until (ISO-8601). */
  lockedUntil?: string;
}

/** A code to send. */
export interface OtpMessage {
  upn: string;
  /** Recipient for this channel (e-mail address, URL anchor…), resolved from the directory. */
  to: string;
  code: string;
  /** End of the code's validity window. */
  validUntil: Date;
  lang: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** Directory attributes the channel asked for (api_customparams_*). */
  attributes: Readonly<Record<string, string>>;
}

/** What a channel reports after handing a code over. */
export interface DeliveryReceipt {
  /** Masked destination, safe to show and log. */
  destination: string;
  /** Text the user may see (e.g. a gateway's sanitised response body). */
  userMessage?: string | undefined;
}

/** A channel that sends the code (SMTP, HTTP gateway). */
export interface SendChannel {
  readonly mode: 'send';
  /** 'smtp', 'api' */
  readonly name: string;
  /** Directory attributes `deliver` needs in `msg.attributes` (besides mail). */
  readonly attributes?: readonly string[];
  /**
   * The longest one `deliver` may take in milliseconds, its own retries included (e.g.
   * smtp_timeout_ms; api_timeout × attempts). The provider runtime then gives the adapter a
   * delivery deadline of this plus a small margin, so the channel's own deadline ends first and
   * reports its reason; absent: the adapter's default channel timeout.
   */
  readonly deliveryTimeoutMs?: number | undefined;
  /** Resolve the recipient from the user's directory attributes; undefined = cannot deliver. */
  recipient(upn: string, attributes: Readonly<Record<string, string>>): string | undefined;
  deliver(msg: OtpMessage, signal: AbortSignal): Promise<DeliveryReceipt>;
  /**
   * install/verify: reach and authenticate, send nothing. Resolves with what was proved, in
   * words for the `verify` line (e.g. `smtp.example.com:587 STARTTLS, AUTH as mfa: the server
   * accepted the login`); never a secret.
   */
  verify(signal: AbortSignal): Promise<string>;
  close(): Promise<void>;
}

/** A channel where the user's authenticator app makes the code (QR enrolment). */
export interface AppChannel {
  readonly mode: 'app';
  /** 'authenticator' */
  readonly name: string;
  /**
   * The enrolment presentation for a user whose `logon` is 0. `secret` is plain base32; `meta`
   * carries the client address (the QR is shown only to allowed networks).
   */
  enrolment(user: UserRecord, secret: string, lang: string, meta: LogonMeta): Promise<Presentation>;
}

/** Any delivery channel. */
export type DeliveryChannel = SendChannel | AppChannel;
