/**
 * Security headers for every response: a CSP with no external origins, no framing, no sniffing,
 * no referrer, no caching of authentication responses.
 *
 * @module http
 */

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Extra origins a form may submit/redirect to (the signed return_to of the hosted page). */
  formActionOrigins?: readonly string[];
  /** Add HSTS (only when the host itself serves TLS). */
  hsts?: boolean;
  /**
   * Extra origins images may come from: only the operator's external QR service
   * (`totp_api_endpoint`), which the browser must load the QR image from.
   */
  imageOrigins?: readonly string[];
}

/**
 * The header set. The CSP allows only this origin: stylesheets and images from 'self' (QR images
 * as data: URLs), no scripts at all (the page works without JavaScript), no plugins, no framing.
 *
 * @param options - form-action origins and HSTS
 * @returns header name → value
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): Record<string, string> {
  const formAction = ["'self'", ...(options.formActionOrigins ?? [])].join(' ');
  const headers: Record<string, string> = {
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'self'",
      ["img-src 'self' data:", ...(options.imageOrigins ?? [])].join(' '),
      `form-action ${formAction}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cache-control': 'no-store',
  };
  if (options.hsts === true) headers['strict-transport-security'] = 'max-age=31536000';
  return headers;
}
