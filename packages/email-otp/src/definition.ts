/**
 * The e-mail OTP provider's definition: what this package contributes to core's runtime, host
 * and CLI — its identity, config file and event source as the manuals name them, and the SMTP
 * channel. Store, directory (AD/LDAP when `auth_mode` is AD or `ldap_url` is set, else the
 * store: where the `mail` attribute comes from), crypto, adapter, host and CLI are core's.
 *
 * @see seeds 001 and 002 (SecureMfaEmailOtpProvider.json, event source "Secure MFA OTP")
 * @module definition
 */
import { readFileSync } from 'node:fs';
import type { EmailOtpConfig, ProviderDefinition } from '@securemfa/core';
import { createSmtpChannel } from './smtp-channel.js';

/** This package's version, from its package.json (`../package.json` from both src/ and dist/). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new Error('@securemfa/email-otp: package.json has no version');
  }
  return pkg.version;
}

/** The users `serve --demo` offers: their UPNs are their e-mail addresses (reserved `.test`). */
export const DEMO_USERS: readonly string[] = [
  'alice@demo.securemfa.test',
  'bob@demo.securemfa.test',
];

/**
 * The e-mail OTP provider: the code of the current TOTP step is e-mailed over SMTP.
 *
 * @example
 * ```ts
 * import { runProviderCli } from '@securemfa/core/cli';
 * process.exitCode = await runProviderCli(emailOtpProvider, process.argv);
 * ```
 */
export const emailOtpProvider: ProviderDefinition<EmailOtpConfig> = {
  id: 'email-otp',
  bin: 'securemfa-email-otp',
  title: 'SecureMFA Email OTP provider',
  version: packageVersion(),
  configFileName: 'SecureMfaEmailOtpProvider.json',
  eventSource: 'Secure MFA OTP',
  createChannel: ({ config, logger }) => createSmtpChannel({ config, logger }),
  demoUsers: DEMO_USERS,
};
