/**
 * The body of the POST to the gateway (seed 000 "Customizations"):
 * - `api_allparams_inbody` false: `api_code_text`, a space, the code — sent as
 *   `api_text_content_type` (default `application/json`, as the originals did);
 * - true: JSON `{upn, otp, email, logonip, useragent, product: "mfa-otp-api", company,
 *   comments: "OTP code is valid until dd/MM/yyyy HH:mm:ss"}` — `application/json` — plus, with
 *   `api_customparams_enable`, one key per `api_customparams_<name>` whose value is that
 *   directory attribute of the user (`""` when the user has none).
 *
 * Also the same body with the code masked, for the verbose log.
 *
 * @see seed 000 "Send API parameters in a message body", "API Custom AD attributes"
 * @module request-body
 */
import type { OtpMessage } from '@securemfa/core';

/** The `product` value of the JSON body, as the originals send it. */
export const PRODUCT = 'mfa-otp-api';

/** What the verbose log shows instead of the code. */
export const CODE_MASK = '******';

/** JSON keys the provider itself sets: a custom parameter cannot replace them. */
export const RESERVED_BODY_KEYS: ReadonlySet<string> = new Set([
  'upn',
  'otp',
  'email',
  'logonip',
  'useragent',
  'product',
  'company',
  'comments',
]);

/** Options of {@link buildGatewayBody}. */
export interface GatewayBodyOptions {
  /** api_allparams_inbody */
  allParams: boolean;
  /** api_code_text */
  codeText: string;
  /**
   * api_text_content_type: the Content-Type of the code text body. Default `application/json`,
   * what the originals sent (the manual's AWS API Gateway maps only that type).
   */
  textContentType?: 'application/json' | 'text/plain' | undefined;
  /** company */
  company: string;
  /**
   * Body key → directory attribute (api_customparams_<key>), or undefined when custom
   * parameters are off. Reserved keys (see {@link RESERVED_BODY_KEYS}) are skipped.
   */
  customParams?: Readonly<Record<string, string>> | undefined;
  /** IANA zone of the "valid until" time in `comments` (default: the host's zone). */
  timeZone?: string | undefined;
}

/** A body ready to send. */
export interface GatewayBody {
  /** Content-Type header value. */
  contentType: 'text/plain; charset=utf-8' | 'application/json; charset=utf-8';
  /** The exact bytes to send, as text. */
  data: string;
  /** The same body with the code masked (for verboselog). */
  logged: string;
}

/**
 * `dd/MM/yyyy HH:mm:ss` (24 h), as the manual's sample shows ("14/01/2021 16:35:00").
 *
 * @param date - the instant
 * @param timeZone - IANA zone (default: the host's)
 * @returns the formatted time
 * @throws {RangeError} for a zone Intl does not know
 */
export function formatValidUntil(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    ...(timeZone === undefined ? {} : { timeZone }),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** `api_code_text` and the code, separated by one space unless the text already ends in one. */
function codeLine(codeText: string, code: string): string {
  return codeText === '' || /\s$/.test(codeText) ? `${codeText}${code}` : `${codeText} ${code}`;
}

/**
 * Build the POST body for one code.
 *
 * @param msg - the code, its validity, the user and request facts, the directory attributes
 * @param options - body options from the config
 * @returns content type, data and the masked copy for the log
 * @example
 * ```ts
 * buildGatewayBody(msg, { allParams: false, codeText: 'securemfa api otp code:', company: 'Adatum' });
 * // { contentType: 'application/json; charset=utf-8', data: 'securemfa api otp code: 123456', logged: 'securemfa api otp code: ******' }
 * ```
 */
export function buildGatewayBody(msg: OtpMessage, options: GatewayBodyOptions): GatewayBody {
  if (!options.allParams) {
    return {
      contentType: `${options.textContentType ?? 'application/json'}; charset=utf-8`,
      data: codeLine(options.codeText, msg.code),
      logged: codeLine(options.codeText, CODE_MASK),
    };
  }
  const body: Record<string, string> = {
    upn: msg.upn,
    otp: msg.code,
    email: msg.attributes.mail ?? '',
    logonip: msg.ip ?? '',
    useragent: msg.userAgent ?? '',
    product: PRODUCT,
    company: options.company,
    comments: `OTP code is valid until ${formatValidUntil(msg.validUntil, options.timeZone)}`,
  };
  for (const [name, attribute] of Object.entries(options.customParams ?? {})) {
    if (RESERVED_BODY_KEYS.has(name)) continue;
    Object.defineProperty(body, name, {
      value: msg.attributes[attribute] ?? '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    contentType: 'application/json; charset=utf-8',
    data: JSON.stringify(body),
    logged: JSON.stringify({ ...body, otp: CODE_MASK }),
  };
}
