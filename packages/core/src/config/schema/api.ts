/**
 * `SecureMfaApiOtpProvider.json` — the API OTP provider (seed 000): the code is POSTed to an
 * HTTP API gateway (e.g. AWS API Gateway → SNS for SMS or e-mail).
 *
 * The manual's dynamic keys `api_customparams_<name>` (a directory attribute per name) are not
 * in this schema: the loader collects them into `api_customparams`.
 *
 * @module config
 */
import { z } from 'zod';
import { boolish, choice, headerName, host, intish, secret, text, url } from '../coerce.js';
import { baseKeys, hostKeys } from './common.js';
import { key } from './key.js';

/** Default port of the API provider host. */
export const API_OTP_LISTEN_PORT = 8441;

/** Prefix of the dynamic custom-parameter keys (seed 000 "API Custom AD attributes"). */
export const CUSTOM_PARAM_PREFIX = 'api_customparams_';

/** The API provider's own keys. */
export const apiKeys = {
  api_endpoint: key(url(['https', 'http']), {
    description:
      'Gateway URL; the user’s anchor (UPN before "@", every character but a–z/0–9 removed, accents folded, lower case) is appended as one more path segment, with or without a trailing "/": …/prod/ + test1test1. Redirects are not followed.',
    default: '',
    seeds: '000',
  }),
  api_timeout: key(intish(100, 600_000, 'ms'), {
    description:
      'Timeout of one POST to the gateway, in milliseconds. Connection errors and 5xx answers are retried (3 attempts in all, with backoff); all attempts together take at most 3 × api_timeout.',
    default: 5000,
    seeds: '000',
  }),
  api_code_text: key(text({ maxLength: 1024 }), {
    description:
      'Text sent before the code in the POST body when api_allparams_inbody is false ("<text> <code>", text/plain).',
    default: 'securemfa api otp code:',
    seeds: '000',
  }),
  api_auth_endpoint_enabled: key(boolish(), {
    description:
      'Send the header api_headers_key: api_headers_value with every request to the gateway.',
    default: false,
    seeds: '000',
  }),
  api_headers_key: key(headerName(), {
    description: 'Header name for gateway authentication.',
    default: 'x-api-key',
    seeds: '000',
  }),
  api_headers_value: key(secret(), {
    description:
      'Header value for gateway authentication (visible ASCII or Latin-1). Never logged, even with verboselog.',
    default: '',
    secret: true,
    seeds: '000',
  }),
  api_allparams_inbody: key(boolish(), {
    description:
      'POST a JSON body {upn, otp, email, logonip, useragent, product: "mfa-otp-api", company, comments: "OTP code is valid until dd/MM/yyyy HH:mm:ss"} (application/json) instead of the code text.',
    default: false,
    seeds: '000',
  }),
  api_text_content_type: key(choice(['application/json', 'text/plain'] as const), {
    description:
      'Content-Type of the code text body (api_allparams_inbody false). Default application/json, as the originals sent it: the manual’s AWS API Gateway setup maps only application/json and answers 415 to text/plain. text/plain is the accurate type for gateways that check it.',
    default: 'application/json',
  }),
  api_customparams_enable: key(boolish(), {
    description:
      'Add the api_customparams_<name> attributes of the user to the JSON body (needs api_allparams_inbody). They are read from AD/LDAP when ldap_url is set or auth_mode is AD, else from the store (mail, mobile).',
    default: false,
    seeds: '000',
  }),
  proxy_enable: key(boolish(), {
    description:
      'Send gateway requests through the HTTP proxy proxy_server:proxy_port (CONNECT for https://). When false the connection is direct and HTTP(S)_PROXY variables are ignored.',
    default: false,
    seeds: '000',
  }),
  proxy_server: key(host(), {
    description: 'HTTP proxy host name or address.',
    default: '',
    seeds: '000',
  }),
  proxy_port: key(intish(1, 65_535), {
    description: 'HTTP proxy port.',
    default: 8080,
    seeds: '000',
  }),
};

/** Schema of `SecureMfaApiOtpProvider.json` without the dynamic `api_customparams_<name>` keys. */
export const apiOtpSchema = z.object({
  ...baseKeys,
  ...apiKeys,
  ...hostKeys(API_OTP_LISTEN_PORT),
});
