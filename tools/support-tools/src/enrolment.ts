/**
 * The enrolment a support engineer hands to a user: the otpauth:// URI of the user's secret
 * with the issuer, label and TOTP parameters the providers use, and the same URI as a QR code
 * drawn with text characters for the terminal.
 *
 * The parameters follow the QR provider (seed 003): with `totp_customization` on, the step is
 * `totp_validity_seconds` and digits/algorithm come from `totp_api_otpauth_advanced_params`;
 * otherwise 30 s, 6 digits, SHA1. The issuer is `company` (default `SecureMFA`); the label drops
 * the domain with `totp_remove_user_prefix`.
 *
 * @module enrolment
 */
import {
  DEFAULT_DIGITS,
  DEFAULT_STEP_SECONDS,
  labelFor,
  parseAdvancedParams,
  totpUri,
  type ProviderConfig,
} from '@securemfa/core';
import QRCode from 'qrcode';

/** Issuer when `company` is empty (as the QR provider). */
export const DEFAULT_ISSUER = 'SecureMFA';

/**
 * The otpauth:// URI of a user's plain secret, as the providers would show it.
 *
 * @param config - the provider configuration
 * @param upn - the user
 * @param secret - the plain base32 secret
 * @returns the URI
 */
export function enrolmentUri(config: ProviderConfig, upn: string, secret: string): string {
  const issuer = config.company.trim() === '' ? DEFAULT_ISSUER : config.company.trim();
  const removePrefix =
    'totp_remove_user_prefix' in config ? config.totp_remove_user_prefix === true : false;
  const advanced =
    'totp_api_otpauth_advanced_params' in config ? config.totp_api_otpauth_advanced_params : '';
  const custom = config.totp_customization;
  const { params } = parseAdvancedParams(custom ? advanced : '');
  return totpUri({
    secret,
    issuer,
    label: labelFor(upn, removePrefix),
    step: custom ? config.totp_validity_seconds : DEFAULT_STEP_SECONDS,
    digits: params.digits ?? DEFAULT_DIGITS,
    algorithm: params.algorithm ?? 'SHA1',
    ...(custom && advanced !== '' ? { advancedParams: advanced } : {}),
  });
}

/**
 * The URI as a QR code of text characters (two modules per character cell), for a terminal.
 *
 * @param uri - the otpauth URI
 * @returns the QR code text, ending in a newline
 */
export async function terminalQr(uri: string): Promise<string> {
  const text = await QRCode.toString(uri, { type: 'utf8', errorCorrectionLevel: 'M', margin: 2 });
  return text.endsWith('\n') ? text : `${text}\n`;
}
