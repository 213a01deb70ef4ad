/**
 * Values the agent derives from its configuration: the portal URL, the SSPR link, the user's
 * UPN (joined with anchordnsname), and where the offline cache and the log live.
 *
 * @see seed 004 "sspr_url … IF parameter has not been set during the provider’s install it will use a host part from API endpoint URL"
 * @see seed 004 "Username value is joined with anchordnsname value"
 * @module config
 */
import { dirname, resolve } from 'node:path';
import type { AgentConfig } from './agent-keys.js';

/** The portal's route on the qr-otp host. */
export const PORTAL_PATH = '/api/v1/win/validate';
/** File name of the default offline cache (next to the config file). */
export const OFFLINE_CACHE_FILE_NAME = 'SecureMfaWinOtp.offline';

/**
 * The URL the agent POSTs to: api_endpoint with {@link PORTAL_PATH} appended unless it is
 * already there (a host behind a reverse proxy at a path prefix keeps its prefix).
 *
 * @param config - the agent config
 * @returns the absolute URL
 * @throws {TypeError} when api_endpoint is empty or not a URL (a parsed config never is)
 * @example
 * ```ts
 * portalUrl({ ...config, api_endpoint: 'https://mfa.adatum.labnet/' }); // 'https://mfa.adatum.labnet/api/v1/win/validate'
 * ```
 */
export function portalUrl(config: Pick<AgentConfig, 'api_endpoint'>): string {
  const url = new URL(config.api_endpoint);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(PORTAL_PATH)) url.pathname = `${path}${PORTAL_PATH}`;
  url.hash = '';
  return url.toString();
}

/**
 * The SSPR "Change Password" link: sspr_url, else the api_endpoint's host (`https://host/`).
 *
 * @param config - the agent config
 * @returns the URL, or "" when neither is set
 */
export function ssprUrl(config: Pick<AgentConfig, 'sspr_url' | 'api_endpoint'>): string {
  if (config.sspr_url !== '') return config.sspr_url;
  if (config.api_endpoint === '') return '';
  return `${new URL(config.api_endpoint).origin}/`;
}

// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The UPN of a user name: `user` → `user@anchordnsname`; a name that already has a domain
 * (`user@domain`, `DOMAIN\user`) keeps it (down-level names become `user@anchordnsname`: the
 * NetBIOS domain is not a UPN suffix).
 *
 * @param user - the name as typed or as PAM gives it
 * @param anchordnsname - the anchor suffix ("" = none)
 * @returns the UPN
 * @throws {TypeError} when the name is empty, too long or has control characters
 * @example
 * ```ts
 * joinAnchor('alice', 'adatum.labnet');              // 'alice@adatum.labnet'
 * joinAnchor('alice@contoso.com', 'adatum.labnet');  // 'alice@contoso.com'
 * joinAnchor('ADATUM\\alice', 'adatum.labnet');      // 'alice@adatum.labnet'
 * ```
 */
export function joinAnchor(user: string, anchordnsname: string): string {
  const name = typeof user === 'string' ? user.trim() : '';
  if (name === '' || name.length > 256 || CONTROL.test(name)) {
    throw new TypeError('the user name must be 1–256 printable characters');
  }
  if (name.includes('@')) {
    if (name.startsWith('@') || name.endsWith('@')) {
      throw new TypeError(`"${name}" is not a user name (user or user@domain)`);
    }
    return name;
  }
  const account = name.includes('\\') ? name.slice(name.lastIndexOf('\\') + 1) : name;
  if (account === '') throw new TypeError(`"${name}" is not a user name (user or user@domain)`);
  const anchor = anchordnsname.trim().replace(/^@/, '');
  return anchor === '' ? account : `${account}@${anchor}`;
}

function resolveBeside(configFile: string, value: string): string {
  return resolve(dirname(configFile), value);
}

/**
 * The offline cache file.
 *
 * @param config - the agent config
 * @param configFile - the config file's absolute path
 * @returns offline_cache_file (relative to the config's folder), or the default beside it
 */
export function offlineCachePath(
  config: Pick<AgentConfig, 'offline_cache_file'>,
  configFile: string,
): string {
  return resolveBeside(configFile, config.offline_cache_file || OFFLINE_CACHE_FILE_NAME);
}

/**
 * The log file, if any.
 *
 * @param config - the agent config
 * @param configFile - the config file's absolute path
 * @returns the absolute path, or undefined for standard error
 */
export function logFilePath(
  config: Pick<AgentConfig, 'log_file'>,
  configFile: string,
): string | undefined {
  return config.log_file === '' ? undefined : resolveBeside(configFile, config.log_file);
}
