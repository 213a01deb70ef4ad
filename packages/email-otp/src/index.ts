/**
 * `@securemfa/email-otp` — the e-mail OTP provider: the code of the current TOTP step is sent
 * over SMTP (nodemailer, pooled), to the address in the user's directory entry. The CLI is
 * `securemfa-email-otp` (bin.ts).
 *
 * @module @securemfa/email-otp
 */
export { emailOtpProvider, DEMO_USERS } from './definition.js';
export { createSmtpChannel } from './smtp-channel.js';
export type { CreateSmtpChannelOptions, SmtpChannel } from './smtp-channel.js';
export { smtpPoolOptions, senderAddress, describeSmtp, serverLabel } from './smtp-options.js';
export type { SmtpPoolOptions } from './smtp-options.js';
export { smtpError, domainNotAllowedError } from './smtp-errors.js';
export type { SmtpErrorContext } from './smtp-errors.js';
export { buildOtpMail, DEFAULT_SIGNATURE } from './message.js';
export type { OtpMailInput, OtpMail } from './message.js';
export { resolveRecipient, isMailAddress } from './recipient.js';
export { createDomainAllowlist, addressDomain, domainMatches } from './allowed-domains.js';
export type { DomainAllowlist } from './allowed-domains.js';
export { maskAddress, maskAddressesIn } from './mask-address.js';
export { createDemoEmailProvider, isDemoServe, providerFor } from './demo-provider.js';
export { createDemoMailbox, createDemoMailboxChannel, DEMO_MAILBOX_SIZE } from './demo-mailbox.js';
export type { DemoMail, DemoMailbox, DemoMailboxChannelOptions } from './demo-mailbox.js';
export { demoMailboxPage, renderDemoMailbox, DEMO_MAILBOX_PATH } from './demo-mailbox-page.js';
