/**
 * The complete URI a code is POSTed to: `api_endpoint` + the user's anchor as one more path
 * segment, whether or not the endpoint ends with "/" (seed 000: `…/prod/` + `test1test1` →
 * `…/prod/test1test1`). A query string on the endpoint (some gateways take a key there) is kept
 * after the joined path; a fragment is dropped (it is never sent anyway).
 *
 * @see seed 000 "Enable API Endpoint"
 * @module gateway-uri
 */

/**
 * Parse and check `api_endpoint`.
 *
 * @param endpoint - an absolute http:// or https:// URL
 * @returns the parsed URL (a copy the caller may change)
 * @throws {TypeError} when it is not an absolute http(s) URL with a host
 */
export function parseEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new TypeError(
      `"api_endpoint" must be an absolute https:// or http:// URL, got ${JSON.stringify(endpoint)}`,
    );
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    throw new TypeError(
      `"api_endpoint" must be an absolute https:// or http:// URL, got ${JSON.stringify(endpoint)}`,
    );
  }
  url.hash = '';
  return url;
}

/**
 * Join the endpoint and an anchor.
 *
 * @param endpoint - `api_endpoint`
 * @param anchor - the user's anchor (`[a-z0-9]+`, see `userAnchor`)
 * @returns the absolute URI
 * @throws {TypeError} when the endpoint is not an http(s) URL or the anchor is not `[a-z0-9]+`
 * @example
 * ```ts
 * gatewayUri('https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/', 'test1test1');
 * // 'https://rb8zcll076.execute-api.eu-west-1.amazonaws.com/prod/test1test1'
 * gatewayUri('https://gw.example/prod', 'test1test1'); // 'https://gw.example/prod/test1test1'
 * ```
 */
export function gatewayUri(endpoint: string, anchor: string): string {
  if (typeof anchor !== 'string' || !/^[a-z0-9]+$/.test(anchor)) {
    throw new TypeError(`"anchor" must be 1 or more of a-z and 0-9, got ${JSON.stringify(anchor)}`);
  }
  const url = parseEndpoint(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${anchor}`;
  return url.toString();
}

/**
 * The URI as it may be logged or shown: no user name or password, query values masked (a
 * gateway key may travel there, e.g. Azure Functions' `?code=`).
 *
 * @param uri - an absolute URL
 * @returns the URI without credentials and with `?name=…` for every query parameter
 */
export function loggableUri(uri: string): string {
  const url = new URL(uri);
  url.username = '';
  url.password = '';
  url.hash = '';
  const names = [...url.searchParams.keys()];
  url.search = '';
  const query =
    names.length === 0 ? '' : `?${names.map((n) => `${encodeURIComponent(n)}=…`).join('&')}`;
  return `${url.toString()}${query}`;
}
