/**
 * The shape of the QR provider's external QR image service (`totp_api_endpoint`): the otpauth
 * URI is appended to the endpoint as text, and the browser loads the result as an image, so the
 * endpoint must be an http(s) URL without a user name, password or `#`, that does not end in
 * the host name. One check, used by the config rules (so `config check`, `install`, `verify` and
 * `serve` refuse a bad endpoint alike, exit 2) and by the QR channel (for configs built in code).
 *
 * @see seed 003 "QR code customizations"
 * @module config
 */

/** How to fix every problem {@link checkQrImageEndpoint} reports. */
export const QR_IMAGE_ENDPOINT_HINT =
  'end totp_api_endpoint with the parameter that takes the otpauth URI, e.g. https://qr.example/v1/create-qr-code/?size=150x150&data=, or leave it empty to draw QR codes locally';

/** Why an endpoint cannot be used. */
export type QrImageEndpointProblem = 'not_http_url' | 'credentials' | 'fragment' | 'host_only';

/** Result of {@link checkQrImageEndpoint}. */
export type QrImageEndpointCheck =
  | {
      ok: true;
      /** The endpoint, trimmed. */
      endpoint: string;
      /** Its origin (`https://qr.example`): what the CSP `img-src` must allow. */
      origin: string;
    }
  | {
      ok: false;
      reason: QrImageEndpointProblem;
      /** What is wrong, completing "totp_api_endpoint …", e.g. `must not contain "#": …`. */
      message: string;
      /** The origin, when the endpoint is an http(s) URL. */
      origin: string | undefined;
      /**
       * The endpoint as it may be printed: scheme and host, with a user name or password and
       * anything after the host shown as `…` (they may carry the service's API key).
       */
      shown: string;
    };

/** The endpoint as it may be printed: no credentials, no path or query. */
function shownEndpoint(url: URL): string {
  const auth = url.username !== '' || url.password !== '' ? '…@' : '';
  const rest = url.pathname !== '/' || url.search !== '' || url.hash !== '' ? '/…' : '';
  return `${url.protocol}//${auth}${url.host}${rest}`;
}

/**
 * Check that an external QR service endpoint can take the appended otpauth URI and still be an
 * image URL of its own origin. Messages never quote the endpoint's credentials, path or query.
 *
 * @param endpoint - the `totp_api_endpoint` value (surrounding spaces are ignored)
 * @returns `{ ok: true, endpoint, origin }`, or `{ ok: false, reason, message, origin, shown }`
 * @example
 * ```ts
 * checkQrImageEndpoint('https://qr.example/?data='); // { ok: true, endpoint: 'https://qr.example/?data=', origin: 'https://qr.example' }
 * checkQrImageEndpoint('https://qr.example').ok;    // false (reason 'host_only')
 * ```
 */
export function checkQrImageEndpoint(endpoint: string): QrImageEndpointCheck {
  const text = String(endpoint).trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    return {
      ok: false,
      reason: 'not_http_url',
      message: 'must be an absolute https:// or http:// URL',
      origin: undefined,
      shown: parsed === undefined ? 'not a URL' : `${parsed.protocol}…`,
    };
  }
  const url = parsed;
  const problem = (reason: QrImageEndpointProblem, message: string): QrImageEndpointCheck => ({
    ok: false,
    reason,
    message,
    origin: url.origin,
    shown: shownEndpoint(url),
  });
  if (url.username !== '' || url.password !== '') {
    return problem(
      'credentials',
      'must not contain a user name or password: browsers do not load images from such URLs',
    );
  }
  if (text.includes('#')) {
    return problem(
      'fragment',
      'must not contain "#": the otpauth URI would be appended to the fragment, which browsers never send to the service',
    );
  }
  // The URI is appended as text: after a bare host ("https://qr.example") it would become part
  // of the host name, and the image would not come from the origin the page and CSP allow.
  let appended: URL | undefined;
  try {
    appended = new URL(`${text}${encodeURIComponent('otpauth://totp/x')}`);
  } catch {
    appended = undefined;
  }
  if (appended?.origin !== url.origin) {
    return problem(
      'host_only',
      'must end in a path or query the otpauth URI is appended to, not in the host name',
    );
  }
  return { ok: true, endpoint: text, origin: url.origin };
}
