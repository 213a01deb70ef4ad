/**
 * The QR OTP provider's delivery channel: nothing is sent — the user's authenticator app makes
 * the codes — so the channel's one job is the enrolment presentation shown on first logon: the
 * otpauth:// URI, its QR code, and the key for manual entry.
 *
 * The QR code is drawn here, as a PNG data URL, unless the operator configured the originals'
 * external QR service (`totp_api_endpoint` with `totp_customization`): then the image is that
 * service's URL with the otpauth URI appended, which hands every enrolment secret to the
 * service — warned about once, when the channel is created. The host allows that service's
 * origin (only) in the CSP `img-src`, and the hosted page draws an image URL of that origin.
 *
 * @see seed 003 "QR code customizations", "Configuration of network locations for QR code",
 *   "Theme customizations"
 * @module qr-channel
 */
import {
  DEFAULT_DIGITS,
  DEFAULT_STEP_SECONDS,
  EventId,
  QR_IMAGE_ENDPOINT_HINT,
  SecureMfaError,
  canonicalSecret,
  checkQrImageEndpoint,
  labelFor,
  parseAdvancedParams,
  t,
  totpUri,
  type AppChannel,
  type LogonMeta,
  type Logger,
  type Presentation,
  type QrOtpConfig,
  type TotpAlgorithm,
  type TotpDigits,
  type UserRecord,
} from '@securemfa/core';
import { sanitiseUiText } from '@securemfa/core/http';
import QRCode from 'qrcode';
import { createNetworkAllowlist } from './network-allowlist.js';

/** Issuer shown in authenticator apps when `company` is empty. */
export const DEFAULT_ISSUER = 'SecureMFA';

/** Quiet zone around the QR symbol, in modules (ISO/IEC 18004 §6.3.8 asks for 4). */
const QUIET_ZONE_MODULES = 4;

/** Options of {@link createQrChannel}. */
export interface CreateQrChannelOptions {
  /** The loaded `SecureMfaOtpProvider.json`. */
  config: QrOtpConfig;
  /** Where the external-service warning and refused QR displays are logged. */
  logger: Logger;
  /** Code length the verifier uses (see `qrTotpParameters`). Default 6. */
  digits?: TotpDigits;
  /** Step in seconds the verifier uses. Default 30. */
  step?: number;
  /** HMAC algorithm the verifier uses. Default SHA1. */
  algorithm?: TotpAlgorithm;
}

/** The QR channel: an {@link AppChannel} that also names the image origin the page must allow. */
export type QrChannel = AppChannel & {
  /**
   * Origin of the external QR service (`https://qr.example`) when `totp_api_endpoint` is in use:
   * the host must allow it in the CSP `img-src`. Undefined when QR codes are drawn locally.
   */
  readonly externalImageOrigin: string | undefined;
};

/**
 * The external QR service in effect: `totp_api_endpoint` when `totp_customization` is on and the
 * endpoint is set (the setting has no effect otherwise, as the manual says).
 *
 * @param config - the QR provider config
 * @returns the endpoint text as configured and its origin, or undefined (draw locally)
 * @throws {TypeError} when the endpoint is not an absolute http(s) URL
 * @throws {SecureMfaError} when the endpoint holds a user name or password or a `#`, or ends in
 *   the host name (the appended URI would change the host): the page could not show its image.
 *   A config read by the loader never gets here: `checkQrImageEndpoint` reports these first
 * @example
 * ```ts
 * externalQrEndpoint({ ...config, totp_customization: true, totp_api_endpoint: 'https://qr.example/?data=' });
 * // { endpoint: 'https://qr.example/?data=', origin: 'https://qr.example' }
 * ```
 */
export function externalQrEndpoint(
  config: Pick<QrOtpConfig, 'totp_customization' | 'totp_api_endpoint'>,
): { endpoint: string; origin: string } | undefined {
  if (!config.totp_customization) return undefined;
  const endpoint = (config.totp_api_endpoint ?? '').trim();
  if (endpoint === '') return undefined;
  const checked = checkQrImageEndpoint(endpoint);
  if (checked.ok) return { endpoint: checked.endpoint, origin: checked.origin };
  if (checked.reason === 'not_http_url') {
    throw new TypeError(`totp_api_endpoint ${checked.message}`);
  }
  // The messages name the origin only: the path or query may carry the service's API key.
  throw new SecureMfaError(`totp_api_endpoint (${checked.origin}) ${checked.message}`, {
    hint: QR_IMAGE_ENDPOINT_HINT,
  });
}

/**
 * Plain text of sanitised simple HTML (the output of `sanitiseUiText`, whose attribute values
 * and text are entity-escaped, so no `<` or `>` is left inside a tag or text): tags dropped,
 * line-breaking tags made spaces, the four entities the sanitiser writes decoded.
 */
function plainText(sanitised: string): string {
  return sanitised
    .replace(/<br\s*\/?>|<\/(?:p|li|ul|ol)>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|quot|amp|#39);/g, (_m, name: string) => {
      switch (name) {
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'quot':
          return '"';
        case '#39':
          return "'";
        default:
          return '&';
      }
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/** Fewest pixels per QR module drawn, whatever the configured size. */
const MIN_MODULE_PIXELS = 2;

/**
 * Draw the otpauth URI as a PNG data URL with error correction M.
 *
 * The image is drawn at a whole number of pixels per module, the smallest that makes it at
 * least `size` pixels wide, and never under {@link MIN_MODULE_PIXELS}: fractional module widths
 * blur the module edges and, at 100 px, make codes that scanners fail to read; one pixel per
 * module (a 50 px box) left some codes unreadable to zbarimg, depending on the secret. The
 * `<img>` is sized by the presentation's width and height, so the browser scales the crisp image
 * to the configured box.
 */
async function drawQr(uri: string, size: number): Promise<string> {
  try {
    const { version } = QRCode.create(uri, { errorCorrectionLevel: 'M' });
    const modules = 17 + 4 * version + 2 * QUIET_ZONE_MODULES;
    const scale = Math.max(MIN_MODULE_PIXELS, Math.ceil(size / modules));
    return await QRCode.toDataURL(uri, {
      errorCorrectionLevel: 'M',
      version,
      margin: QUIET_ZONE_MODULES,
      scale,
      type: 'image/png',
    });
  } catch (err) {
    // qrcode's messages name sizes, never the data; the URI (it holds the secret) is not quoted.
    throw new SecureMfaError('could not draw the enrolment QR code', { cause: err });
  }
}

/**
 * Create the QR channel.
 *
 * Reads once, at creation: the issuer (`company`, or {@link DEFAULT_ISSUER} when empty), the
 * allowed networks (`ui_allow_qr_display_from_networks`, only with `ui_customization`; empty =
 * every network), the first-logon text (`ui_first_login_text`, only with `ui_customization`,
 * sanitised), the advanced otpauth parameters and the external QR service (only with
 * `totp_customization`). Nothing about a user or a secret is kept between calls.
 *
 * `enrolment(user, secret, lang, meta)` returns:
 * - to a client inside the allowed networks: title `enrol.title`, message `enrol.instruction`
 *   (or the plain text of the first-logon text, which is also given as `html`), and
 *   `enrollment: { otpauthUri, qrImage, secret, width, height }`;
 * - to a client outside them, or without a known address while networks are configured (fail
 *   closed): title and message `enrol.qr_not_allowed`, no `enrollment`; an event 5553 with the
 *   UPN and address is logged.
 *
 * @param options - config, logger and the verifier's digits/step/algorithm
 * @returns the channel (name `authenticator`)
 * @throws {TypeError} when `config` or `logger` is missing, or `totp_api_endpoint` is not an
 *   http(s) URL
 * @throws {SecureMfaError} when `totp_api_endpoint` cannot take the appended URI (see
 *   {@link externalQrEndpoint})
 * @throws {RangeError} when a network in `ui_allow_qr_display_from_networks` is malformed, or
 *   digits/step/algorithm is not supported
 * @example
 * ```ts
 * const channel = createQrChannel({ config, logger, ...qrTotpParameters(config) });
 * const p = await channel.enrolment(record, 'JBSWY3DPEHPK3PXP', 'en', { ip: '10.1.2.3' });
 * p.enrollment?.qrImage; // 'data:image/png;base64,iVBOR…'
 * ```
 */
export function createQrChannel(options: CreateQrChannelOptions): QrChannel {
  const { config, logger } = options ?? ({} as CreateQrChannelOptions);
  if (config === null || typeof config !== 'object') {
    throw new TypeError('"config" must be the loaded QR provider configuration');
  }
  if (logger === null || typeof logger !== 'object') {
    throw new TypeError('"logger" must be a Logger');
  }
  const {
    digits = DEFAULT_DIGITS,
    step = DEFAULT_STEP_SECONDS,
    algorithm = 'SHA1' as TotpAlgorithm,
  } = options;
  if (digits !== 6 && digits !== 7 && digits !== 8) {
    throw new RangeError(`"digits" must be 6, 7 or 8, got ${String(digits)}`);
  }
  if (!Number.isInteger(step) || step < 1 || step > 86_400) {
    throw new RangeError(
      `"step" must be an integer number of seconds 1–86400, got ${String(step)}`,
    );
  }
  if (algorithm !== 'SHA1' && algorithm !== 'SHA256' && algorithm !== 'SHA512') {
    throw new RangeError(`"algorithm" must be SHA1, SHA256 or SHA512, got ${String(algorithm)}`);
  }

  const issuer = config.company.trim() === '' ? DEFAULT_ISSUER : config.company.trim();
  const allowlist = createNetworkAllowlist(
    config.ui_customization ? config.ui_allow_qr_display_from_networks : [],
  );
  const firstLoginHtml = config.ui_customization ? sanitiseUiText(config.ui_first_login_text) : '';
  const firstLoginText = firstLoginHtml === '' ? '' : plainText(firstLoginHtml);
  const advancedParams = config.totp_customization
    ? config.totp_api_otpauth_advanced_params
    : undefined;
  const external = externalQrEndpoint(config);
  const width = config.totp_image_width_pixels;
  const height = config.totp_image_height_pixels;
  const pngSize = Math.min(width, height);

  if (advancedParams !== undefined) {
    for (const warning of parseAdvancedParams(advancedParams).warnings) {
      logger.warn(`totp_api_otpauth_advanced_params: ${warning}`);
    }
  }
  if (external !== undefined) {
    // The origin only: the endpoint's path or query may carry the service's own API key.
    logger.warn(
      `totp_api_endpoint is set: every enrolment secret is sent to the external QR service ${external.origin} (the user's browser loads the QR image from it); leave totp_api_endpoint empty to draw QR codes locally`,
      { imageOrigin: external.origin },
    );
  }

  return {
    mode: 'app',
    name: 'authenticator',
    externalImageOrigin: external?.origin,

    async enrolment(
      user: UserRecord,
      secret: string,
      lang: string,
      meta: LogonMeta,
    ): Promise<Presentation> {
      const title = t(lang, 'enrol.title');
      const ip = meta?.ip;
      if (!allowlist.allows(ip)) {
        logger.event(
          EventId.ProviderFailure,
          'enrolment QR code not shown: the client address is outside ui_allow_qr_display_from_networks',
          {
            upn: user.upn,
            ip: ip ?? 'unknown',
            reason: ip === undefined ? 'qr_network_unknown' : 'qr_network_not_allowed',
          },
        );
        return { title, message: t(lang, 'enrol.qr_not_allowed') };
      }

      const otpauthUri = totpUri({
        secret,
        issuer,
        label: labelFor(user.upn, config.totp_remove_user_prefix),
        digits,
        step,
        algorithm,
        ...(advancedParams === undefined ? {} : { advancedParams }),
      });
      const qrImage =
        external === undefined
          ? await drawQr(otpauthUri, pngSize)
          : `${external.endpoint}${encodeURIComponent(otpauthUri)}`;
      // The key for manual entry, exactly as the URI carries it.
      const enrollment = { otpauthUri, qrImage, secret: canonicalSecret(secret), width, height };
      return firstLoginHtml === ''
        ? { title, message: t(lang, 'enrol.instruction'), enrollment }
        : { title, message: firstLoginText, html: firstLoginHtml, enrollment };
    },
  };
}
