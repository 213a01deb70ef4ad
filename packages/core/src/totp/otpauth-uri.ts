/**
 * otpauth:// URIs for authenticator apps (Google Authenticator Key Uri Format):
 * `otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=…&digits=…&period=…`.
 * Issuer and account are percent-encoded (RFC 3986), so spaces, colons, `@`, `&`, `#` and
 * non-ASCII text survive the QR code intact.
 *
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 * @see seed 003 "QR code customizations" (totp_api_otpauth_advanced_params, totp_remove_user_prefix)
 * @module totp
 */
import type { TotpAlgorithm } from './otp.js';

/** Options of {@link totpUri}. */
export interface TotpUriOptions {
  /** Base32 secret (plain). */
  secret: string;
  /** Issuer shown in the app: the `company` setting. */
  issuer: string;
  /** Account label: the UPN, or the part the operator wants shown (see {@link accountLabel}). */
  account: string;
  algorithm?: TotpAlgorithm;
  digits?: number;
  /** Step in seconds. */
  period?: number;
  /**
   * totp_api_otpauth_advanced_params, e.g. `&algorithm=SHA1&digits=6&period=30&image=https://…`.
   * Only `algorithm`, `digits`, `period` and `image` are taken; others are reported as ignored.
   */
  advancedParams?: string;
}

/** Result of {@link totpUri}. */
export interface TotpUriResult {
  uri: string;
  /** Advanced parameters that were not used, with the reason. */
  ignored: string[];
}

const ALLOWED = new Set(['algorithm', 'digits', 'period', 'image']);

/** RFC 3986 percent-encoding (encodeURIComponent also leaves !'()* alone — encode those too). */
function pct(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Build the enrolment URI.
 *
 * @param options - secret, issuer, account and the optional parameters
 * @returns the URI and the advanced parameters it ignored
 * @throws {TypeError} when issuer or account is empty
 * @example
 * ```ts
 * totpUri({ secret: 'JBSWY3DPEHPK3PXP', issuer: 'ACME Co', account: 'alice@acme.example' }).uri;
 * // 'otpauth://totp/ACME%20Co:alice%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30'
 * ```
 */
export function totpUri(options: TotpUriOptions): TotpUriResult {
  const issuer = options.issuer.trim();
  const account = options.account.trim();
  if (issuer.length === 0) throw new TypeError('"issuer" must not be empty');
  if (account.length === 0) throw new TypeError('"account" must not be empty');
  const values = new Map<string, string>([
    ['algorithm', options.algorithm ?? 'SHA1'],
    ['digits', String(options.digits ?? 6)],
    ['period', String(options.period ?? 30)],
  ]);
  const ignored: string[] = [];
  for (const part of (options.advancedParams ?? '').split('&')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    let value: string;
    try {
      value = decodeURIComponent(eq < 0 ? '' : part.slice(eq + 1)).trim();
    } catch {
      ignored.push(`${key}: not valid percent-encoding`);
      continue;
    }
    if (!ALLOWED.has(key)) ignored.push(`${key}: not a supported otpauth parameter`);
    else if (key === 'algorithm' && !/^SHA(1|256|512)$/i.test(value)) ignored.push(`algorithm: "${value}" is not SHA1, SHA256 or SHA512`);
    else if (key === 'digits' && !/^[678]$/.test(value)) ignored.push(`digits: "${value}" is not 6, 7 or 8`);
    else if (key === 'period' && !/^[1-9][0-9]{0,4}$/.test(value)) ignored.push(`period: "${value}" is not a number of seconds`);
    else if (key === 'image' && !/^https:\/\/\S+$/i.test(value)) ignored.push('image: only https URLs are accepted');
    else values.set(key, key === 'algorithm' ? value.toUpperCase() : value);
  }
  const query = [`secret=${options.secret.replace(/[\s=]/g, '').toUpperCase()}`, `issuer=${pct(issuer)}`];
  for (const [k, v] of values) query.push(`${k}=${pct(v)}`);
  return { uri: `otpauth://totp/${pct(issuer)}:${pct(account)}?${query.join('&')}`, ignored };
}

/**
 * The account label shown in the authenticator app.
 *
 * totp_remove_user_prefix hides the account prefix as "an additional security feature on the
 * client's device": with it on, a lost phone shows only the domain (`adatum.labnet`), not who the
 * account belongs to; with it off, the full UPN.
 *
 * @param upn - the user's UPN
 * @param removeUserPrefix - totp_remove_user_prefix
 */
export function accountLabel(upn: string, removeUserPrefix: boolean): string {
  if (!removeUserPrefix) return upn;
  const at = upn.lastIndexOf('@');
  return at >= 0 && at < upn.length - 1 ? upn.slice(at + 1) : upn;
}
