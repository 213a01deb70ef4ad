/**
 * `serve --demo`: a stand-in relying app on the host itself, so a person can try the hosted
 * page. `GET /demo` lists the demo users with a button each; the button mints a request JWT
 * (return_to = this host's `/demo/done`, a random signed state) and redirects to `/mfa`;
 * `GET /demo/done` verifies the response JWT like a real relying app would and says who signed
 * in. Register it only in demo mode.
 *
 * The state is `<nonce>.<HMAC(nonce)>`, so `/demo/done` can tell its own states from forged
 * ones without a session or a cookie.
 *
 * @module http
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../crypto/constant-time.js';
import { signJwt } from '../../crypto/page-jwt.js';
import { ContextError } from '../../errors.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import type { SupportedLanguage } from '../../i18n/languages.js';
import { negotiateLanguage } from '../../i18n/negotiate.js';
import { upnKey } from '../../store/user-store.js';
import type { HostContext, HostExtension } from '../create-host.js';
import { formField, registerFormBodyParser, requireFormPost } from './form-body.js';
import { pageHtml } from './page-text.js';
import { pageErrorHandler, pagePaths } from './register-page.js';
import { renderDocument, renderErrorPage, type PageChrome } from './render-page.js';
import { verifyPageResponse } from './request-jwt.js';

/** Options of {@link demoRoutes}. */
export interface DemoRoutesOptions {
  /** adapter_api_key (the same key the hosted page uses). */
  secret: string;
  /** The hosted page's audience (requests' `aud`, responses' `iss`). */
  audience: string;
  /** The demo users' UPNs. */
  users: readonly string[];
  /** Same prefix as the hosted page. */
  pathPrefix?: string | undefined;
  /** This host's public base URL (`https://mfa.example`); default: from the request. */
  publicBaseUrl?: string | undefined;
  /** `company`, shown in the header. */
  company?: string | undefined;
  /** Lifetime of the minted requests in seconds (default 300). */
  requestTtlSeconds?: number | undefined;
  /** Clock (default `() => new Date()`). */
  clock?: (() => Date) | undefined;
}

const HTML = 'text/html; charset=utf-8';

function stateMac(secret: string, nonce: string): string {
  return createHmac('sha256', secret)
    .update(`securemfa demo state\u0000${nonce}`)
    .digest('base64url');
}

/**
 * A fresh demo state: a random nonce and its HMAC.
 *
 * @param secret - the key
 * @returns `<nonce>.<mac>`
 */
export function createDemoState(secret: string): string {
  const nonce = randomBytes(16).toString('base64url');
  return `${nonce}.${stateMac(secret, nonce)}`;
}

/**
 * Whether a state was made by {@link createDemoState} with this key.
 *
 * @param secret - the key
 * @param state - the echoed state
 * @returns true when the MAC matches (constant-time compare)
 */
export function isDemoState(secret: string, state: string): boolean {
  const dot = state.indexOf('.');
  if (dot <= 0) return false;
  return constantTimeEqual(state.slice(dot + 1), stateMac(secret, state.slice(0, dot)));
}

function baseUrl(request: FastifyRequest, configured: string | undefined): string {
  if (configured !== undefined && configured !== '') return configured.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}

/**
 * The demo routes as a host extension: `GET /demo`, `POST /demo/start`, `GET /demo/done`.
 *
 * @param options - key, audience, users, base URL
 * @returns the extension (add it only for `serve --demo`)
 * @throws {TypeError} when `users` is not an array of strings or `publicBaseUrl` is not an
 *   http(s) URL
 * @example
 * ```ts
 * extensions: [hostedPage(pageOptions), demoRoutes({ secret: key, audience, users: ['alice@example.test'] })]
 * ```
 */
export function demoRoutes(options: DemoRoutesOptions): HostExtension {
  if (!Array.isArray(options.users) || !options.users.every((u) => typeof u === 'string')) {
    throw new TypeError('"users" must be an array of UPN strings');
  }
  if (options.publicBaseUrl !== undefined && options.publicBaseUrl !== '') {
    const url = new URL(options.publicBaseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(
        `"publicBaseUrl" must be an http or https URL, got "${options.publicBaseUrl}"`,
      );
    }
  }
  const paths = pagePaths(options.pathPrefix);
  const prefix = options.pathPrefix ?? '';
  const clock = options.clock ?? (() => new Date());
  const users = options.users.map((u) => u.trim()).filter((u) => u !== '');

  return async (app: FastifyInstance, context: HostContext): Promise<void> => {
    await app.register(async (demo) => {
      registerFormBodyParser(demo);
      const chromeFor = (lang: SupportedLanguage): PageChrome => ({
        lang,
        pagePath: paths.page,
        stylesheetPath: paths.stylesheet,
        company: options.company,
      });
      const chrome = (request: FastifyRequest): PageChrome => {
        const accept = request.headers['accept-language'];
        return chromeFor(negotiateLanguage(typeof accept === 'string' ? accept : undefined));
      };
      demo.setErrorHandler(pageErrorHandler(context.logger, chromeFor));
      const send = (reply: FastifyReply, status: number, html: string) =>
        reply.code(status).type(HTML).send(html);

      demo.get(`${prefix}/demo`, async (request, reply) => {
        const c = chrome(request);
        const items = users
          .map(
            (upn) => `<li><form method="post" action="${escapeHtml(`${prefix}/demo/start`)}">
<input type="hidden" name="upn" value="${escapeHtml(upn)}">
<button type="submit" class="submit">${pageHtml(c.lang, 'demo.sign_in_as', { account: upn })}</button>
</form></li>`,
          )
          .join('\n');
        const body =
          users.length === 0
            ? `<p id="demoIntro">${pageHtml(c.lang, 'demo.no_users')}</p>`
            : `<p id="demoIntro" class="groupMargin">${pageHtml(c.lang, 'demo.intro')}</p>\n<ul id="demoUsers">\n${items}\n</ul>`;
        return send(reply, 200, renderDocument(c, pageHtml(c.lang, 'demo.title'), body));
      });

      demo.post(`${prefix}/demo/start`, async (request, reply) => {
        requireFormPost(request.headers['content-type']);
        const upn = formField(request.body, 'upn', 256);
        const known = upn === undefined ? undefined : users.find((u) => upnKey(u) === upnKey(upn));
        if (known === undefined)
          return send(reply, 400, renderErrorPage(chrome(request), 'page.invalid_request'));
        const token = await signJwt(
          {
            sub: known,
            return_to: `${baseUrl(request, options.publicBaseUrl)}${prefix}/demo/done`,
            state: createDemoState(options.secret),
          },
          {
            secret: options.secret,
            now: clock(),
            ttlSeconds: options.requestTtlSeconds ?? 300,
            audience: options.audience,
          },
        );
        return reply
          .code(303)
          .header('location', `${paths.page}?request=${encodeURIComponent(token)}`)
          .send();
      });

      demo.get(`${prefix}/demo/done`, async (request, reply) => {
        const c = chrome(request);
        const query = request.query as Record<string, unknown> | undefined;
        try {
          const response = await verifyPageResponse(query?.response, {
            secret: options.secret,
            now: clock(),
            audience: new URL(baseUrl(request, options.publicBaseUrl)).origin,
            issuer: options.audience,
          });
          if (!isDemoState(options.secret, response.state)) {
            throw new ContextError('ERR_CONTEXT_INVALID', 'the state was not made by this demo');
          }
          const body = `<p id="signedIn" class="groupMargin">${pageHtml(c.lang, 'demo.signed_in', { account: response.upn })}</p>
<p><a id="tryAgain" class="actionLink" href="${escapeHtml(`${prefix}/demo`)}">${pageHtml(c.lang, 'demo.try_again')}</a></p>`;
          return send(reply, 200, renderDocument(c, pageHtml(c.lang, 'demo.title'), body));
        } catch (err) {
          if (!(err instanceof ContextError)) throw err;
          return send(reply, 400, renderErrorPage(c, 'page.invalid_request'));
        }
      });
    });
  };
}
