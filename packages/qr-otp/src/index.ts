/**
 * `@securemfa/qr-otp` — the QR OTP provider: authenticator-app enrolment by QR code on first
 * logon, then TOTP. The CLI is `securemfa-qr-otp` (bin.ts).
 *
 * @module @securemfa/qr-otp
 */
export { qrOtpProvider, qrTotpParameters } from './definition.js';
export type { QrTotpParameters } from './definition.js';
export { createQrChannel, externalQrEndpoint, DEFAULT_ISSUER } from './qr-channel.js';
export type { CreateQrChannelOptions, QrChannel } from './qr-channel.js';
export { createNetworkAllowlist } from './network-allowlist.js';
export type { NetworkAllowlist } from './network-allowlist.js';
