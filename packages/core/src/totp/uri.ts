/**
 * otpauth:// enrolment URIs for authenticator apps, in the Google Authenticator Key Uri Format:
 * `otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>[&algorithm=…&digits=…&period=…]`.
 *
 * Issuer and account are percent-encoded as RFC 3986 unreserved-only text (UTF-8, space as `%20`,
 * never `+`; `:`, `@`, `&`, `#`, `?`, `/` and `!'()*` encoded too), so a `:` inside the company name
 * cannot move the issuer/account split and non-ASCII names survive the QR code. The URI always
 * states the parameters the verifier uses, so an app never makes codes the server rejects.
 *
 * @see https://github.com/google/google-authenticator/wiki/Key-Uri-Format
 * @see RFC 3986 §2.1, §2.3 (percent-encoding, unreserved characters)
 * @see seed 003 "QR code customizations" (totp_api_otpauth_advanced_params, totp_remove_user_prefix)
 * @module totp
 */
import { canonicalSecret } from './secret.js';
import {
  DEFAULT_DIGITS,
  DEFAULT_STEP_SECONDS,
  type TotpAlgorithm,
  type TotpDigits,
} from './totp.js';

/** Options of {@link totpUri}. */
export interface TotpUriOptions {
  /** Plain base32 secret. */
  secret: string;
  /** Issuer shown in the app: the `company` setting. */
  issuer: string;
  /** Account name shown in the app: see {@link labelFor}. */
  label: string;
  /** Code length the verifier uses. Default 6. */
  digits?: TotpDigits;
  /** Step in seconds the verifier uses (the URI's `period`). Default 30. */
  step?: number;
  /** HMAC algorithm the verifier uses. Default SHA1. */
  algorithm?: TotpAlgorithm;
  /**
   * totp_api_otpauth_advanced_params, e.g. `"&algorithm=SHA1"` (seed 003). Parsed with
   * {@link parseAdvancedParams}; what it ignores is dropped here (call that function at
   * configuration time to show the warnings).
   */
  advancedParams?: string;
}

/** The otpauth parameters totp_api_otpauth_advanced_params may set. */
export interface AdvancedParams {
  algorithm?: TotpAlgorithm;
  digits?: TotpDigits;
  /** Step in seconds. */
  period?: number;
  /** Logo URL some apps show (FreeOTP); https only. */
  image?: string;
}

/** Result of {@link parseAdvancedParams}. */
export interface ParseAdvancedParamsResult {
  params: AdvancedParams;
  /** One line per ignored parameter, naming it and why (values that are URLs are not quoted). */
  warnings: string[];
}

/**
 * Percent-encode text for the label or a query value: everything but RFC 3986 unreserved
 * characters (`A–Z a–z 0–9 - . _ ~`) becomes `%XX` of its UTF-8 bytes.
 */
function encode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Text of at most this many characters is quoted in a warning; longer is summarised. */
const QUOTE_LIMIT = 40;
function quote(value: string): string {
  return value.length <= QUOTE_LIMIT ? JSON.stringify(value) : `a ${value.length}-character value`;
}

/**
 * Parse totp_api_otpauth_advanced_params (`"&algorithm=SHA1&digits=6"`, leading `&` optional).
 * Only `algorithm` (SHA1/SHA256/SHA512, any case), `digits` (6–8), `period` (1–86400) and `image`
 * (an https URL) are taken; every other key, a bad value, a repeated key (the first wins) and
 * undecodable text is ignored with a warning. Never throws on the text.
 *
 * @param raw - the setting's value (may be empty or undefined)
 * @returns the accepted parameters and the warnings
 * @example
 * ```ts
 * parseAdvancedParams('&algorithm=sha256&foo=1');
 * // { params: { algorithm: 'SHA256' }, warnings: ['"foo" is not a supported otpauth parameter (use algorithm, digits, period or image); ignored'] }
 * ```
 */
export function parseAdvancedParams(raw: string | undefined): ParseAdvancedParamsResult {
  const params: AdvancedParams = {};
  const warnings: string[] = [];
  for (const part of (raw ?? '').split('&')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq))
        .trim()
        .toLowerCase();
      value = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1)).trim();
    } catch {
      warnings.push(`${quote(part)} is not valid percent-encoding; ignored`);
      continue;
    }
    if (key !== 'algorithm' && key !== 'digits' && key !== 'period' && key !== 'image') {
      warnings.push(
        `${quote(key)} is not a supported otpauth parameter (use algorithm, digits, period or image); ignored`,
      );
      continue;
    }
    if (params[key] !== undefined) {
      warnings.push(`${key} is given more than once; the first value is used`);
      continue;
    }
    switch (key) {
      case 'algorithm': {
        const upper = value.toUpperCase();
        if (upper === 'SHA1' || upper === 'SHA256' || upper === 'SHA512') params.algorithm = upper;
        else
          warnings.push(`algorithm: got ${quote(value)}, expected SHA1, SHA256 or SHA512; ignored`);
        break;
      }
      case 'digits':
        if (value === '6' || value === '7' || value === '8') {
          params.digits = Number(value) as TotpDigits;
        } else warnings.push(`digits: got ${quote(value)}, expected 6, 7 or 8; ignored`);
        break;
      case 'period': {
        const seconds = /^[0-9]{1,5}$/.test(value) ? Number(value) : NaN;
        if (seconds >= 1 && seconds <= 86_400) params.period = seconds;
        else warnings.push(`period: got ${quote(value)}, expected seconds 1–86400; ignored`);
        break;
      }
      case 'image': {
        let url: URL | undefined;
        try {
          url = new URL(value);
        } catch {
          url = undefined;
        }
        if (url?.protocol === 'https:' && url.username === '' && url.password === '') {
          params.image = url.href;
        } else warnings.push('image: expected an https URL without credentials; ignored');
        break;
      }
    }
  }
  return { params, warnings };
}

/**
 * Build the otpauth:// URI an authenticator app enrols from (shown as a QR code).
 *
 * The label is `<issuer>:<account>` and `issuer=` is repeated as a parameter, as the Key Uri
 * Format recommends. `algorithm`, `digits` and `period` are written when they differ from the
 * defaults (SHA1, 6, 30) or when the advanced parameters restate them; an advanced parameter that
 * contradicts the verifier's own setting is dropped, because an app following it would make codes
 * that never verify. `image` is taken from the advanced parameters.
 *
 * @param options - secret, issuer, label, the verifier's digits/step/algorithm, advancedParams
 * @returns the URI
 * @throws {TypeError} when `issuer` or `label` is empty
 * @throws {CryptoError} `ERR_CRYPTO_FORMAT` when the secret is not base32 of 10–64 bytes
 * @throws {RangeError} when digits, step or algorithm is not a supported value
 * @example
 * ```ts
 * totpUri({ secret: 'JBSWY3DPEHPK3PXP', issuer: 'ACME Co', label: 'alice@acme.example' });
 * // 'otpauth://totp/ACME%20Co:alice%40acme.example?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co'
 * ```
 */
export function totpUri(options: TotpUriOptions): string {
  const issuer = typeof options.issuer === 'string' ? options.issuer.trim() : '';
  const label = typeof options.label === 'string' ? options.label.trim() : '';
  if (issuer === '') throw new TypeError('"issuer" must be a non-empty string (the company name)');
  if (label === '') throw new TypeError('"label" must be a non-empty string (the account name)');
  const { algorithm = 'SHA1', digits = DEFAULT_DIGITS, step = DEFAULT_STEP_SECONDS } = options;
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new RangeError(`"algorithm" must be SHA1, SHA256 or SHA512, got ${String(algorithm)}`);
  }
  if (digits !== 6 && digits !== 7 && digits !== 8) {
    throw new RangeError(`"digits" must be 6, 7 or 8, got ${String(digits)}`);
  }
  if (!Number.isInteger(step) || step < 1 || step > 86_400) {
    throw new RangeError(
      `"step" must be an integer number of seconds 1–86400, got ${String(step)}`,
    );
  }
  const secret = canonicalSecret(options.secret);
  const advanced = parseAdvancedParams(options.advancedParams).params;

  const query = [`secret=${secret}`, `issuer=${encode(issuer)}`];
  if (algorithm !== 'SHA1' || advanced.algorithm === algorithm)
    query.push(`algorithm=${algorithm}`);
  if (digits !== DEFAULT_DIGITS || advanced.digits === digits) query.push(`digits=${digits}`);
  if (step !== DEFAULT_STEP_SECONDS || advanced.period === step) query.push(`period=${step}`);
  if (advanced.image !== undefined) query.push(`image=${encode(advanced.image)}`);
  return `otpauth://totp/${encode(issuer)}:${encode(label)}?${query.join('&')}`;
}

/**
 * The account name an authenticator app shows for a user (seed 003 totp_remove_user_prefix).
 *
 * "Hide user's account prefix information as additional security feature on client's device":
 * the prefix is the part of the UPN before `@` (Active Directory calls the rest the UPN suffix).
 * With the option on, a lost phone shows only the domain (`adatum.labnet`), not whose account it
 * is; with it off, the full UPN. A name without `@` (nothing to split) is shown as it is.
 *
 * @param upn - the user's UPN
 * @param removeUserPrefix - totp_remove_user_prefix
 * @returns the label to pass to {@link totpUri}
 * @example
 * ```ts
 * labelFor('Test1.Test1@adatum.labnet', true); // 'adatum.labnet'
 * labelFor('Test1.Test1@adatum.labnet', false); // 'Test1.Test1@adatum.labnet'
 * ```
 */
export function labelFor(upn: string, removeUserPrefix: boolean): string {
  const name = upn.trim();
  if (!removeUserPrefix) return name;
  const at = name.lastIndexOf('@');
  return at >= 0 && at < name.length - 1 ? name.slice(at + 1) : name;
}
