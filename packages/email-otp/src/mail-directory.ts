/**
 * Where the e-mail channel reads the `mail` attribute: the LDAP/AD directory of `ldap_url`,
 * when one is configured (always so in `auth_mode` AD). The adapter asks it first and the
 * store-backed directory (the record's e-mail field) for what it lacks, so the recipient is AD's
 * `mail`, else the store's e-mail, else the UPN.
 *
 * @see seed 001 "ADFS Applications" ("an e-mail address which is registered with user's Active
 *   Directory account")
 * @module mail-directory
 */
import { isAbsolute, resolve } from 'node:path';
import { openLdapDirectory, type Directory, type EmailOtpConfig } from '@securemfa/core';

/**
 * Open the LDAP directory of the config, if it has one. Nothing connects until the first
 * lookup; lookups are bounded by `ldap_timeout_ms`.
 *
 * @param config - the ldap_* keys
 * @param cwd - folder a relative ldap_tls_ca_file is resolved against
 * @returns the directory, or undefined when `ldap_url` is empty
 * @throws {DirectoryError} when ldap_tls_ca_file cannot be read
 * @throws {TypeError} when the ldap_* settings are malformed (e.g. no ldap_base_dn)
 */
export async function openMailDirectory(
  config: Pick<
    EmailOtpConfig,
    | 'ldap_url'
    | 'ldap_base_dn'
    | 'ldap_bind_dn'
    | 'ldap_bind_password'
    | 'ldap_tls_ca_file'
    | 'ldap_tls_servername'
    | 'ldap_timeout_ms'
  >,
  cwd: string,
): Promise<Directory | undefined> {
  if (config.ldap_url === '') return undefined;
  const ca = config.ldap_tls_ca_file;
  return openLdapDirectory({
    url: config.ldap_url,
    baseDn: config.ldap_base_dn,
    bindDn: config.ldap_bind_dn,
    bindPassword: config.ldap_bind_password,
    ...(ca === '' ? {} : { tlsCaFile: isAbsolute(ca) ? ca : resolve(cwd, ca) }),
    ...(config.ldap_tls_servername === '' ? {} : { tlsServername: config.ldap_tls_servername }),
    timeoutMs: config.ldap_timeout_ms,
    // A few connections: one lookup per code sent.
    poolSize: 2,
  });
}
