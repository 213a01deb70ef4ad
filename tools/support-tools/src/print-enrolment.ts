/**
 * Print an enrolment: the terminal QR code and the otpauth:// URI (or, with `--json`,
 * `{ upn, otpauthUri }`). This is the one place the support tools write a secret to stdout — it is
 * what enrolment is — and it never goes to the log.
 *
 * @module print-enrolment
 */
import { printJson } from '@securemfa/core/cli';
import type { ProviderConfig } from '@securemfa/core';
import { enrolmentUri, terminalQr } from './enrolment.js';
import type { ToolsIo } from './tools-io.js';

/** Options of {@link printEnrolment}. */
export interface PrintEnrolmentOptions {
  json?: boolean | undefined;
  /** false = `--no-qr`: the URI only. */
  qr?: boolean | undefined;
  /** First line of the human output, e.g. `enrolled alice@contoso.com in sqlite ./otp.db`. */
  headline: string;
}

/**
 * Print the enrolment of a user.
 *
 * @param io - CLI I/O
 * @param config - the provider configuration (issuer, TOTP parameters)
 * @param upn - the user
 * @param secret - the plain secret
 * @param options - json, qr, headline
 */
export async function printEnrolment(
  io: ToolsIo,
  config: ProviderConfig,
  upn: string,
  secret: string,
  options: PrintEnrolmentOptions,
): Promise<void> {
  const otpauthUri = enrolmentUri(config, upn, secret);
  if (options.json === true) {
    printJson(io, { upn, otpauthUri });
    return;
  }
  io.out(`${options.headline}\n`);
  if (options.qr !== false) {
    io.out('scan this QR code with the authenticator app:\n');
    io.out(await terminalQr(otpauthUri));
  }
  io.out(`otpauth URI: ${otpauthUri}\n`);
}
