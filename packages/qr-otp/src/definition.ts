/**
 * The QR OTP provider's definition: what this package contributes to core's runtime, host and
 * CLI — its identity, config file and event source as the manual names them, the TOTP
 * parameters the verifier shares with the enrolment URI, and the QR channel.
 *
 * @see seed 003 (SecureMfaOtpProvider.json, event source "Secure MFA OTP")
 * @module definition
 */
import { readFileSync } from 'node:fs';
import {
  DEFAULT_DIGITS,
  DEFAULT_STEP_SECONDS,
  parseAdvancedParams,
  type ProviderDefinition,
  type QrOtpConfig,
  type TotpAlgorithm,
  type TotpDigits,
} from '@securemfa/core';
import { createQrChannel, externalQrEndpoint } from './qr-channel.js';
import { winPortalExtensions } from './win-portal.js';

/** The TOTP parameters the verifier and the enrolment URI share. */
export interface QrTotpParameters {
  step: number;
  digits: TotpDigits;
  algorithm: TotpAlgorithm;
}

/**
 * The TOTP parameters of a QR provider config.
 *
 * With `totp_customization` on: the step is `totp_validity_seconds`, and digits and algorithm
 * come from `totp_api_otpauth_advanced_params` (`&algorithm=SHA256&digits=8`), so the codes the
 * app makes after scanning are the codes the provider accepts. An advanced `period` is not a
 * source of the step: one that differs from `totp_validity_seconds` is dropped from the URI
 * (config check warns). With it off: the defaults every authenticator app uses — 30 s, 6 digits,
 * SHA1.
 *
 * @param config - the QR provider config
 * @returns step, digits and algorithm
 * @example
 * ```ts
 * qrTotpParameters({ ...config, totp_customization: true, totp_api_otpauth_advanced_params: '&digits=8' });
 * // { step: 30, digits: 8, algorithm: 'SHA1' }
 * ```
 */
export function qrTotpParameters(
  config: Pick<
    QrOtpConfig,
    'totp_customization' | 'totp_validity_seconds' | 'totp_api_otpauth_advanced_params'
  >,
): QrTotpParameters {
  if (!config.totp_customization) {
    return { step: DEFAULT_STEP_SECONDS, digits: DEFAULT_DIGITS, algorithm: 'SHA1' };
  }
  const { params } = parseAdvancedParams(config.totp_api_otpauth_advanced_params);
  return {
    step: config.totp_validity_seconds,
    digits: params.digits ?? DEFAULT_DIGITS,
    algorithm: params.algorithm ?? 'SHA1',
  };
}

/** This package's version, from its package.json (`../package.json` from both src/ and dist/). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new Error('@securemfa/qr-otp: package.json has no version');
  }
  return pkg.version;
}

/**
 * The QR OTP provider: authenticator-app enrolment by QR code on first logon, then TOTP.
 *
 * @example
 * ```ts
 * import { runProviderCli } from '@securemfa/core/cli';
 * process.exitCode = await runProviderCli(qrOtpProvider, process.argv);
 * ```
 */
export const qrOtpProvider: ProviderDefinition<QrOtpConfig> = {
  id: 'qr-otp',
  bin: 'securemfa-qr-otp',
  title: 'SecureMFA QR OTP provider',
  version: packageVersion(),
  configFileName: 'SecureMfaOtpProvider.json',
  eventSource: 'Secure MFA OTP',
  createChannel: ({ config, logger }) =>
    createQrChannel({ config, logger, ...qrTotpParameters(config) }),
  totpParameters: qrTotpParameters,
  imageOrigins: (config) => {
    const external = externalQrEndpoint(config);
    return external === undefined ? [] : [external.origin];
  },
  // The win-otp validation portal (seed 004), when win_portal_enable is on.
  hostExtensions: (context) => winPortalExtensions(context, qrTotpParameters(context.config)),
  demoUsers: ['alice@demo.securemfa.test', 'bob@demo.securemfa.test'],
};
