/**
 * The API OTP provider's definition: what this package contributes to core's runtime, host and
 * CLI — its identity, config file and event source as the manual names them, and the HTTP
 * channel. Store, directory (AD/LDAP when configured, else the store), crypto, adapter, host and
 * CLI are core's.
 *
 * @see seed 000 (SecureMfaApiOtpProvider.json, event source "Secure MFA API OTP")
 * @module definition
 */
import { readFileSync } from 'node:fs';
import type { ApiOtpConfig, ProviderDefinition } from '@securemfa/core';
import { createHttpChannel } from './http-channel.js';

/** This package's version, from its package.json (`../package.json` from both src/ and dist/). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  if (typeof pkg.version !== 'string' || pkg.version === '') {
    throw new Error('@securemfa/api-otp: package.json has no version');
  }
  return pkg.version;
}

const VERSION = packageVersion();

/**
 * The API OTP provider: the code is POSTed to an HTTP API gateway, which delivers it (SMS,
 * e-mail, push…).
 *
 * @example
 * ```ts
 * import { runProviderCli } from '@securemfa/core/cli';
 * process.exitCode = await runProviderCli(apiOtpProvider, process.argv);
 * ```
 */
export const apiOtpProvider: ProviderDefinition<ApiOtpConfig> = {
  id: 'api-otp',
  bin: 'securemfa-api-otp',
  title: 'SecureMFA API OTP provider',
  version: VERSION,
  configFileName: 'SecureMfaApiOtpProvider.json',
  eventSource: 'Secure MFA API OTP',
  createChannel: ({ config, logger }) =>
    createHttpChannel({ config, logger, userAgent: `securemfa-api-otp/${VERSION}` }),
  demoUsers: ['alice@demo.securemfa.test', 'bob@demo.securemfa.test'],
};
