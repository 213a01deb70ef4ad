/**
 * `SecureMfaOtpProvider.json` — the QR OTP provider (seed 003): enrolment of an authenticator
 * app by QR code, then TOTP. Its host also serves the win-otp validation portal when enabled.
 *
 * @module config
 */
import { z } from 'zod';
import { boolish, intish, list, otpauthParams, secret, text, url } from '../coerce.js';
import { baseKeys, hostKeys } from './common.js';
import { key } from './key.js';

/** Default port of the QR provider host. */
export const QR_OTP_LISTEN_PORT = 8443;

/** The QR provider's own keys. */
export const qrKeys = {
  ui_first_login_text: key(text({ multiline: true }), {
    description:
      'Text above the enrolment QR code: simple HTML, sanitised. Needs ui_customization.',
    default: '',
    seeds: '003',
  }),
  ui_allow_qr_display_from_networks: key(list('network'), {
    description:
      'Networks (";"-separated CIDRs, IPv4 or IPv6, e.g. 10.0.0.0/8;2001:db8::/32) from which the enrolment QR code may be shown. Empty: every network. Needs ui_customization.',
    default: [],
    seeds: '003',
  }),
  totp_remove_user_prefix: key(boolish(), {
    description: 'Show only the domain, not the account name, in the authenticator app.',
    default: false,
    seeds: '003',
  }),
  totp_api_endpoint: key(url(['https', 'http']), {
    description:
      'External QR image service of the originals (the otpauth URI is appended). It receives every enrolment secret: leave empty to draw QR codes locally. Needs totp_customization.',
    default: '',
    seeds: '003',
  }),
  totp_api_otpauth_advanced_params: key(otpauthParams(), {
    description:
      'Extra otpauth URI parameters, e.g. "&algorithm=SHA1". The authenticator app must support them. Needs totp_customization.',
    default: '',
    seeds: '003',
  }),
  totp_image_width_pixels: key(intish(50, 2000, 'pixels'), {
    description: 'Width of the QR image.',
    default: 150,
    seeds: '003',
  }),
  totp_image_height_pixels: key(intish(50, 2000, 'pixels'), {
    description: 'Height of the QR image.',
    default: 150,
    seeds: '003',
  }),
  win_portal_enable: key(boolish(), {
    description:
      'Serve the win-otp validation portal (POST /api/v1/win/validate) on this host for workstation agents (seed 004). Needs api_headers_value, and win_portal_passphrase or data_encryption_passphrase.',
    default: false,
  }),
  win_portal_passphrase: key(secret(), {
    description:
      'Passphrase of the portal’s encrypted messages: install the agents with it as their data_encryption_passphrase. Empty: this file’s data_encryption_passphrase is used, as in the manual (a warning says so) — better keep them different, because data_encryption_passphrase protects the stored secrets.',
    default: '',
    secret: true,
  }),
  api_headers_value: key(secret(), {
    description:
      'Value of the x-api-key header win-otp agents authenticate to the portal with (their api_headers_value, seed 004).',
    default: '',
    secret: true,
  }),
  win_portal_max_clock_skew_seconds: key(intish(10, 3600, 'seconds'), {
    description:
      'Largest difference between an agent message’s timestamp and this host’s clock; older or newer messages are rejected, and seen states are remembered this long (replay guard).',
    default: 120,
  }),
  win_portal_allow_sync: key(boolish(), {
    description:
      'Answer agents’ sync requests (a valid code returns the user’s secret, encrypted, for offline logons). false: only online validation.',
    default: true,
  }),
};

/** Schema of `SecureMfaOtpProvider.json`. */
export const qrOtpSchema = z.object({
  ...baseKeys,
  ...qrKeys,
  ...hostKeys(QR_OTP_LISTEN_PORT),
});
