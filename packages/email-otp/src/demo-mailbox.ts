/**
 * The demo mailbox: what `securemfa-email-otp serve --demo` delivers to when no SMTP server is
 * configured (`smtp_server` empty, e.g. no config file at all). The code e-mail is written
 * exactly as it would be sent (subject, text, HTML in the user's language) and kept in memory —
 * the last {@link DEMO_MAILBOX_SIZE} — for `/demo/mailbox` to show, so a person trying the
 * hosted page can read the code without a mail server. Never used outside `serve --demo`.
 *
 * @module demo-mailbox
 */
import type {
  DeliveryReceipt,
  EmailOtpConfig,
  Logger,
  OtpMessage,
  SendChannel,
} from '@securemfa/core';
import { createDomainAllowlist } from './allowed-domains.js';
import { maskAddress } from './mask-address.js';
import { buildOtpMail } from './message.js';
import { resolveRecipient } from './recipient.js';
import { domainNotAllowedError } from './smtp-errors.js';

/** Mails the demo mailbox keeps (the oldest go first). */
export const DEMO_MAILBOX_SIZE = 20;

/** One code e-mail in the demo mailbox. */
export interface DemoMail {
  /** The recipient (a demo user's address). */
  to: string;
  subject: string;
  text: string;
  html: string;
  /** When it was "sent". */
  at: Date;
}

/** The in-memory mailbox. */
export interface DemoMailbox {
  /** The mails, newest first. */
  readonly mails: readonly DemoMail[];
  add(mail: DemoMail): void;
}

/**
 * Create an empty demo mailbox.
 *
 * @param size - how many mails it keeps (default {@link DEMO_MAILBOX_SIZE})
 * @returns the mailbox
 * @throws {RangeError} when `size` is not a positive integer
 */
export function createDemoMailbox(size = DEMO_MAILBOX_SIZE): DemoMailbox {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`"size" must be a positive integer, got ${String(size)}`);
  }
  const mails: DemoMail[] = [];
  return {
    mails,
    add(mail) {
      mails.unshift(mail);
      if (mails.length > size) mails.length = size;
    },
  };
}

/** Options of {@link createDemoMailboxChannel}. */
export interface DemoMailboxChannelOptions {
  config: EmailOtpConfig;
  logger: Logger;
  mailbox: DemoMailbox;
  /** Where the mailbox is shown (for the log line), e.g. `/demo/mailbox`. */
  mailboxPath: string;
  clock?: (() => Date) | undefined;
}

/**
 * A send channel that "delivers" into the demo mailbox: same recipient rule, allowed-domain
 * check and message as the SMTP channel, no network.
 *
 * @param options - config, logger, mailbox
 * @returns the channel (`name` `demo-mailbox`)
 * @example
 * ```ts
 * const mailbox = createDemoMailbox();
 * const channel = createDemoMailboxChannel({ config, logger, mailbox, mailboxPath: '/demo/mailbox' });
 * ```
 */
export function createDemoMailboxChannel(options: DemoMailboxChannelOptions): SendChannel {
  const { config, logger, mailbox } = options;
  const clock = options.clock ?? (() => new Date());
  const allowlist = createDomainAllowlist(
    config.ui_customization ? config.ui_allowed_domains_for_otpcode : [],
  );
  logger.warn(
    `demo: smtp_server is not set, so code e-mails are not sent but kept in memory: open ${options.mailboxPath}`,
  );
  return {
    mode: 'send',
    name: 'demo-mailbox',
    recipient: (upn, attributes) => resolveRecipient(upn, attributes),
    async deliver(msg: OtpMessage): Promise<DeliveryReceipt> {
      const destination = maskAddress(msg.to);
      if (!allowlist.allows(msg.to)) throw domainNotAllowedError(destination, msg.lang);
      const mail = buildOtpMail({
        upn: msg.upn,
        code: msg.code,
        validUntil: msg.validUntil,
        lang: msg.lang,
        company: config.company,
        removeUserPrefix: config.smtp_remove_user_prefix,
      });
      mailbox.add({
        to: msg.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        at: clock(),
      });
      logger.info(`demo: code e-mail for ${destination} is in ${options.mailboxPath}`);
      return { destination };
    },
    async verify() {
      return `demo mailbox at ${options.mailboxPath}: codes stay on this host`;
    },
    async close() {},
  };
}
