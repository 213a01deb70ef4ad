/**
 * The hosted MFA page (DESIGN "HTTP provider host"), Duo-style:
 *
 * 1. the relying app redirects the browser to `GET /mfa?request=<JWT>` (HS256 with
 *    `adapter_api_key`: sub = UPN, aud, exp, return_to, state);
 * 2. the page verifies the request, runs `adapter.begin` and shows enrolment (QR), the code
 *    form, "code sent" (with a server-side resend cooldown), or why it cannot go on;
 * 3. the form posts back to `POST /mfa`; the page re-verifies the request, runs `adapter.end`
 *    and on success answers with a 303 to `return_to?response=<JWT>` (sub, amr otp, the AD FS
 *    authentication method claim, state); on failure it shows the reason and, where retrying
 *    makes sense, the form again.
 *
 * No server session and no cookie: the form carries the request JWT, the sealed context and a
 * signed page state, so any node of a farm can process any post. No JavaScript: the CSP allows
 * none and the page needs none. Errors are HTML pages without stack traces.
 *
 * @module http
 */
import { readFile, stat } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BeginResult, RequestMeta } from '../../adapter/adapter.js';
import type { Presentation } from '../../adapter/delivery-channel.js';
import { MAX_PAGE_JWT_LENGTH, MIN_PAGE_JWT_KEY_BYTES } from '../../crypto/page-jwt.js';
import { MAX_CONTEXT_LENGTH } from '../../crypto/sealed-context.js';
import { ConfigError, ContextError, RequestError } from '../../errors.js';
import { escapeHtml } from '../../i18n/escape-html.js';
import { negotiateLanguage } from '../../i18n/negotiate.js';
import type { SupportedLanguage } from '../../i18n/languages.js';
import { resolveLanguage } from '../../i18n/resolve-language.js';
import type { Logger } from '../../log/logger.js';
import { upnKey } from '../../store/user-store.js';
import type { HostContext, HostExtension } from '../create-host.js';
import { describeError } from '../error-handler.js';
import { countDelivery } from '../metrics.js';
import { securityHeaders } from '../security-headers.js';
import { DEFAULT_STYLESHEET } from './default-style.js';
import { formField, registerFormBodyParser, requireFormPost } from './form-body.js';
import { openPageState, sealPageState, type FormStatus, type PageState } from './page-state.js';
import type { PageKey } from './page-text.js';
import {
  enrollmentView,
  renderErrorPage,
  renderMfaPage,
  type HiddenFields,
  type MfaView,
  type PageChrome,
  type PageMessage,
} from './render-page.js';
import {
  DEFAULT_MAX_REQUEST_TTL_SECONDS,
  DEFAULT_RESPONSE_TTL_SECONDS,
  responseLocation,
  signPageResponse,
  verifyPageRequest,
  type PageRequest,
} from './request-jwt.js';
import { createResendCooldown, type ResendCooldown } from './resend-cooldown.js';
import { sanitiseUiText } from './sanitise-ui-text.js';

/** Largest theme stylesheet accepted (an AD FS theme's style.css is ~10 KiB). */
export const MAX_THEME_CSS_BYTES = 1024 * 1024;
/** Default grace, in seconds, for a request JWT's `exp` on form posts (see {@link HostedPageOptions}). */
export const DEFAULT_POST_GRACE_SECONDS = 600;

/** Options of {@link hostedPage}. */
export interface HostedPageOptions {
  /** adapter_api_key: verifies requests, signs responses and page state (16+ bytes). */
  secret: string;
  /** The `aud` requests must carry (provider id or public_base_url + '/mfa'); the response's `iss`. */
  audience: string;
  /** Path prefix when the host is mounted below `/` behind a proxy (e.g. `/securemfa`). Default ''. */
  pathPrefix?: string | undefined;
  /** Clock (default `() => new Date()`). */
  clock?: (() => Date) | undefined;
  /** IANA zone for shown times (default: the process's). */
  timeZone?: string | undefined;
  /** `company`, shown in the page header. */
  company?: string | undefined;
  /** theme_css_file: a stylesheet (e.g. an AD FS web theme's style.css) replacing the default. */
  themeCssFile?: string | undefined;
  /** ui_login_text (simple HTML, sanitised) above the code field; only with ui_customization. */
  uiLoginText?: string | undefined;
  /** ui_first_login_text (simple HTML, sanitised) on enrolment; only with ui_customization. */
  uiFirstLoginText?: string | undefined;
  /** Seconds between two "send a new code" (default 30). */
  resendCooldownSeconds?: number | undefined;
  /** Longest request lifetime (`exp` − now) accepted on GET, seconds (default 600). */
  maxRequestTtlSeconds?: number | undefined;
  /** Response JWT lifetime, seconds (default 120). */
  responseTtlSeconds?: number | undefined;
  /**
   * Grace on the request's `exp` for form posts, seconds (default 600): a user who opened the
   * page in time may finish scanning the QR code; the sealed context's own expiry still bounds
   * the attempt, and a new page can be opened only with an unexpired request.
   */
  postGraceSeconds?: number | undefined;
  /** When set, `return_to` must have one of these origins. */
  allowedReturnOrigins?: readonly string[] | undefined;
  /** TOTP digits, for "enter the N-digit code" (default 6). */
  codeDigits?: number | undefined;
  /** Largest form body in bytes (default: the host's body limit). */
  bodyLimit?: number | undefined;
}

/** Paths of the page for a prefix. */
export function pagePaths(pathPrefix = ''): { page: string; stylesheet: string } {
  if (!/^(?:\/[A-Za-z0-9._~-]+)*$/.test(pathPrefix)) {
    throw new TypeError(`"pathPrefix" must be empty or like "/securemfa", got "${pathPrefix}"`);
  }
  return { page: `${pathPrefix}/mfa`, stylesheet: `${pathPrefix}/mfa/assets/style.css` };
}

async function loadStylesheet(file: string | undefined): Promise<string> {
  if (file === undefined || file === '') return DEFAULT_STYLESHEET;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > MAX_THEME_CSS_BYTES)
      throw new Error(`larger than ${MAX_THEME_CSS_BYTES} bytes`);
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'ERR_CONFIG_NOT_FOUND',
      `theme_css_file: cannot read "${file}": ${(err as Error).message}`,
      {
        file,
        cause: err,
        hint: "point theme_css_file at a readable CSS file (e.g. an exported AD FS web theme's style.css) or remove it",
      },
    );
  }
}

function checkOptions(options: HostedPageOptions): void {
  if (
    typeof options.secret !== 'string' ||
    Buffer.byteLength(options.secret, 'utf8') < MIN_PAGE_JWT_KEY_BYTES
  ) {
    throw new TypeError(
      `"secret" (adapter_api_key) must be at least ${MIN_PAGE_JWT_KEY_BYTES} bytes for the hosted page`,
    );
  }
  if (typeof options.audience !== 'string' || options.audience.trim() === '') {
    throw new TypeError('"audience" must be a non-empty string (provider id or public_base_url)');
  }
  for (const [name, value] of [
    ['maxRequestTtlSeconds', options.maxRequestTtlSeconds],
    ['responseTtlSeconds', options.responseTtlSeconds],
    ['postGraceSeconds', options.postGraceSeconds],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 86_400)) {
      throw new RangeError(`"${name}" must be an integer 1–86400, got ${String(value)}`);
    }
  }
  const digits = options.codeDigits;
  if (digits !== undefined && (!Number.isInteger(digits) || digits < 6 || digits > 8)) {
    throw new RangeError(`"codeDigits" must be 6, 7 or 8, got ${String(digits)}`);
  }
}

function parseDate(iso: string | undefined): Date | undefined {
  if (iso === undefined) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const HTML = 'text/html; charset=utf-8';

/**
 * The hosted page as a host extension: `GET /mfa`, `POST /mfa`, `GET /mfa/assets/style.css`.
 *
 * @param options - key, audience, texts, theme, limits (see {@link HostedPageOptions})
 * @returns the extension for `createProviderHost({ extensions: [...] })`
 * @throws {TypeError} when the key is shorter than 16 bytes or the audience is empty
 * @throws {RangeError} for out-of-range lifetimes or digits
 * @throws {ConfigError} ERR_CONFIG_NOT_FOUND (when the host registers it) when theme_css_file
 *   cannot be read
 * @example
 * ```ts
 * const app = await createProviderHost({
 *   adapter, store, logger, apiKey: cfg.adapter_api_key,
 *   extensions: [hostedPage({ secret: cfg.adapter_api_key, audience: 'https://mfa.example/mfa', company: cfg.company })],
 * });
 * ```
 */
export function hostedPage(options: HostedPageOptions): HostExtension {
  checkOptions(options);
  const paths = pagePaths(options.pathPrefix);
  const cooldown = createResendCooldown(options.resendCooldownSeconds);
  const loginHtml = sanitiseUiText(options.uiLoginText);
  const firstLoginHtml = sanitiseUiText(options.uiFirstLoginText);

  return async (app: FastifyInstance, context: HostContext): Promise<void> => {
    const stylesheet = await loadStylesheet(options.themeCssFile);
    await app.register(async (page) => {
      registerPageRoutes(page, context, {
        options,
        paths,
        cooldown,
        loginHtml,
        firstLoginHtml,
        stylesheet,
      });
    });
  };
}

interface PageSetup {
  options: HostedPageOptions;
  paths: { page: string; stylesheet: string };
  cooldown: ResendCooldown;
  loginHtml: string;
  firstLoginHtml: string;
  stylesheet: string;
}

/** Pick the page language: form/query `lang`, then the request's `lang` claim, then Accept-Language. */
function chooseLanguage(
  request: FastifyRequest,
  ...explicit: Array<string | undefined>
): SupportedLanguage {
  const accept = request.headers['accept-language'];
  const chosen = explicit.find(
    (v) => v !== undefined && v.length <= 64 && resolveLanguage(v) !== undefined,
  );
  return negotiateLanguage(typeof accept === 'string' ? accept : undefined, chosen);
}

/**
 * Let a page's forms lead to the verified request's `return_to`: Chrome checks the redirect that
 * follows a form post (the 303 to return_to) against the `form-action` of the page that
 * submitted the form, not of the 303 response, so the page itself must allow that one origin.
 * The rest of the policy (set by the host for every response) is kept as it is.
 */
function allowFormActionTo(reply: FastifyReply, origin: string): void {
  const csp = reply.getHeader('content-security-policy');
  if (typeof csp !== 'string') return;
  const directives = csp.split(';').map((d) => d.trim());
  const i = directives.findIndex((d) => /^form-action(?:\s|$)/i.test(d));
  const formAction = directives[i];
  if (formAction === undefined || formAction.split(/\s+/).includes(origin)) return;
  directives[i] = `${formAction} ${origin}`;
  void reply.header('content-security-policy', directives.join('; '));
}

function userAgentOf(request: FastifyRequest): string | undefined {
  const ua = request.headers['user-agent'];
  return typeof ua === 'string' ? ua.slice(0, 1024) : undefined;
}

function queryString(request: FastifyRequest, name: string, max: number): string | undefined {
  const q = request.query as Record<string, unknown> | undefined;
  const v = q?.[name];
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

function registerPageRoutes(app: FastifyInstance, host: HostContext, setup: PageSetup): void {
  const { options, paths, cooldown, loginHtml, firstLoginHtml } = setup;
  const { adapter, logger, metrics, perUser } = host;
  const clock = options.clock ?? (() => new Date());
  const digits = options.codeDigits ?? 6;
  const maxTtl = options.maxRequestTtlSeconds ?? DEFAULT_MAX_REQUEST_TTL_SECONDS;
  const grace = options.postGraceSeconds ?? DEFAULT_POST_GRACE_SECONDS;
  const stateOptions = (now: Date) => ({ secret: options.secret, audience: options.audience, now });

  const chrome = (lang: SupportedLanguage): PageChrome => ({
    lang,
    pagePath: paths.page,
    stylesheetPath: paths.stylesheet,
    company: options.company,
    timeZone: options.timeZone,
  });

  const sendHtml = (reply: FastifyReply, status: number, html: string): FastifyReply =>
    reply.code(status).type(HTML).send(html);

  registerFormBodyParser(app, options.bodyLimit);
  app.setErrorHandler(pageErrorHandler(logger, chrome));

  const limitUser = (upn: string): void => {
    const key = upnKey(upn);
    if (!perUser.take(key)) {
      metrics.rateLimited.inc({ scope: 'user' });
      const err = new RequestError(
        'ERR_RATE_LIMITED',
        429,
        'slow_down',
        'too many requests for this user',
      );
      Object.assign(err, { retryAfter: perUser.retryAfter(key) });
      throw err;
    }
  };

  const timed = async <T>(phase: 'begin' | 'end', run: () => Promise<T>): Promise<T> => {
    const stop = metrics.latency.startTimer({ phase });
    try {
      return await run();
    } finally {
      stop();
    }
  };

  const meta = (request: FastifyRequest, lang: SupportedLanguage): RequestMeta => ({
    ip: request.ip,
    userAgent: userAgentOf(request),
    lang,
  });

  /** A request that failed verification: a 400 page saying so (details in the log only). */
  const rejectRequest = (
    err: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
    lang: SupportedLanguage,
  ): FastifyReply => {
    if (!(err instanceof ContextError)) throw err;
    logger.info('hosted page: request refused', { ip: request.ip, reason: err.message });
    const key: PageKey =
      err.code === 'ERR_CONTEXT_EXPIRED' ? 'page.request_expired' : 'page.invalid_request';
    return sendHtml(reply, 400, renderErrorPage(chrome(lang), key));
  };

  const customFor = (status: FormStatus, presentation: Presentation | undefined): string => {
    const configured = status === 'enroll' ? firstLoginHtml : loginHtml;
    return configured !== '' ? configured : sanitiseUiText(presentation?.html);
  };

  /** The view of a page that shows a form. */
  const formView = (
    upn: string,
    state: PageState,
    fields: HiddenFields,
    now: Date,
    presentation: Presentation | undefined,
    message?: PageMessage,
    imageOrigins: readonly string[] = [],
  ): MfaView => {
    const customHtml = customFor(state.status, presentation);
    switch (state.status) {
      case 'enroll':
        return {
          kind: 'enroll',
          enrollment: enrollmentView(presentation?.enrollment, imageOrigins),
          customHtml,
          fields,
          message,
        };
      case 'enter_code':
        return { kind: 'enter_code', customHtml, fields, message };
      case 'code_sent':
        return {
          kind: 'code_sent',
          destination: state.destination,
          validUntil: parseDate(state.validUntil),
          cooldownSeconds:
            message?.key === 'page.cooldown' ? 0 : cooldown.remaining(upn, now, state.sentAt),
          customHtml,
          fields,
          message,
        };
    }
  };

  /** Render what `begin` decided (GET, resend, language change, enrolment retry). */
  const renderBegin = async (
    reply: FastifyReply,
    result: BeginResult,
    requestToken: string,
    req: PageRequest,
    lang: SupportedLanguage,
    now: Date,
    message?: PageMessage,
  ): Promise<FastifyReply> => {
    const p = result.presentation;
    const page = chrome(lang);
    countDelivery(metrics, result.status);
    switch (result.status) {
      case 'enroll':
      case 'enter_code':
      case 'code_sent': {
        const state: PageState = { status: result.status };
        if (result.status === 'code_sent') {
          cooldown.record(req.upn, now);
          state.sentAt = now.getTime();
          state.destination = p.destination;
          state.validUntil = p.validUntil;
        }
        const fields: HiddenFields = {
          request: requestToken,
          context: result.context,
          page: await sealPageState(
            state,
            { request: requestToken, context: result.context },
            stateOptions(now),
          ),
        };
        return sendHtml(
          reply,
          200,
          renderMfaPage(formView(req.upn, state, fields, now, p, message, host.imageOrigins), page),
        );
      }
      case 'locked':
        return sendHtml(
          reply,
          200,
          renderMfaPage(
            { kind: 'locked', until: parseDate(p.lockedUntil), fallbackMessage: p.message },
            page,
          ),
        );
      case 'disabled':
        return sendHtml(reply, 200, renderMfaPage({ kind: 'disabled' }, page));
      case 'unavailable':
        return sendHtml(
          reply,
          200,
          renderMfaPage(
            {
              kind: 'unavailable',
              message: p.message,
              startAgainHref: `${paths.page}?request=${encodeURIComponent(requestToken)}&lang=${lang}`,
            },
            page,
          ),
        );
    }
  };

  const begin = async (
    request: FastifyRequest,
    req: PageRequest,
    lang: SupportedLanguage,
  ): Promise<BeginResult> => {
    limitUser(req.upn);
    return timed('begin', () => adapter.begin(req.upn, meta(request, lang)));
  };

  app.get(paths.stylesheet, async (_request, reply) => {
    void reply.header('cache-control', 'public, max-age=3600');
    return reply.type('text/css; charset=utf-8').send(setup.stylesheet);
  });

  // No automatic HEAD route: a HEAD (link checkers, prefetchers) must not run begin and send a code.
  app.get(paths.page, { exposeHeadRoute: false }, async (request, reply) => {
    const queryLang = queryString(request, 'lang', 64);
    const token = queryString(request, 'request', MAX_PAGE_JWT_LENGTH);
    const now = clock();
    let req: PageRequest;
    try {
      req = await verifyPageRequest(token, {
        secret: options.secret,
        audience: options.audience,
        now,
        maxTtlSeconds: maxTtl,
        allowedReturnOrigins: options.allowedReturnOrigins,
      });
    } catch (err) {
      return rejectRequest(err, request, reply, chooseLanguage(request, queryLang));
    }
    allowFormActionTo(reply, req.returnTo.origin);
    const lang = chooseLanguage(request, queryLang, req.lang);
    const result = await begin(request, req, lang);
    return renderBegin(reply, result, token as string, req, lang, now);
  });

  app.post(paths.page, async (request, reply) => {
    requireFormPost(request.headers['content-type']);
    const body = request.body;
    const formLang = formField(body, 'lang', 64);
    const token = formField(body, 'request', MAX_PAGE_JWT_LENGTH);
    const contextToken = formField(body, 'context', MAX_CONTEXT_LENGTH);
    const pageToken = formField(body, 'page', 4096);
    const action = formField(body, 'action', 16) ?? 'verify';
    const now = clock();
    const fallbackLang = chooseLanguage(request, formLang);
    if (token === undefined || contextToken === undefined || pageToken === undefined) {
      return sendHtml(reply, 400, renderErrorPage(chrome(fallbackLang), 'page.invalid_request'));
    }

    let req: PageRequest;
    let state: PageState;
    try {
      req = await verifyPageRequest(token, {
        secret: options.secret,
        audience: options.audience,
        now,
        clockTolerance: grace,
        maxTtlSeconds: maxTtl,
        allowedReturnOrigins: options.allowedReturnOrigins,
      });
      state = await openPageState(
        pageToken,
        { request: token, context: contextToken },
        stateOptions(now),
      );
    } catch (err) {
      return rejectRequest(err, request, reply, fallbackLang);
    }
    allowFormActionTo(reply, req.returnTo.origin);
    const lang = chooseLanguage(request, formLang, req.lang);
    const fields: HiddenFields = { request: token, context: contextToken, page: pageToken };
    const page = chrome(lang);

    if (action === 'language') {
      // Enrolment shows the QR code, which is not kept in the page: ask begin again (the app
      // channel sends nothing). The other pages re-render from the signed state.
      if (state.status === 'enroll')
        return renderBegin(reply, await begin(request, req, lang), token, req, lang, now);
      return sendHtml(
        reply,
        200,
        renderMfaPage(formView(req.upn, state, fields, now, undefined), page),
      );
    }

    if (action === 'resend') {
      if (state.status !== 'code_sent') {
        return sendHtml(reply, 400, renderErrorPage(page, 'page.invalid_request'));
      }
      const wait = cooldown.remaining(req.upn, now, state.sentAt);
      if (wait > 0) {
        const message: PageMessage = {
          kind: 'notice',
          key: 'page.cooldown',
          params: { seconds: wait },
        };
        return sendHtml(
          reply,
          200,
          renderMfaPage(formView(req.upn, state, fields, now, undefined, message), page),
        );
      }
      return renderBegin(reply, await begin(request, req, lang), token, req, lang, now);
    }

    if (action !== 'verify')
      return sendHtml(reply, 400, renderErrorPage(page, 'page.invalid_request'));

    const code = formField(body, 'code', 64) ?? '';
    const result = await timed('end', () =>
      adapter.end(contextToken, code, { ...meta(request, lang), beforeVerify: limitUser }),
    );
    metrics.logins.inc({ outcome: result.ok ? 'success' : result.reason });

    if (result.ok) {
      if (upnKey(result.upn) !== upnKey(req.upn)) {
        // The page state binds context and request, so this means a bug or a forged state.
        logger.warn('hosted page: the context and the request name different users', {
          ip: request.ip,
        });
        return sendHtml(reply, 400, renderErrorPage(page, 'page.invalid_request'));
      }
      const jwt = await signPageResponse(req, {
        secret: options.secret,
        now: clock(),
        issuer: options.audience,
        ttlSeconds: options.responseTtlSeconds ?? DEFAULT_RESPONSE_TTL_SECONDS,
      });
      const location = responseLocation(req.returnTo, jwt);
      // Chrome applies form-action to the redirect that follows a form post: allow return_to.
      const csp = securityHeaders({ formActionOrigins: [req.returnTo.origin] })[
        'content-security-policy'
      ];
      if (csp !== undefined) void reply.header('content-security-policy', csp);
      return reply
        .code(303)
        .header('location', location)
        .type(HTML)
        .send(
          `<!DOCTYPE html><html><head><meta charset="utf-8"><title>303</title></head><body><a href="${escapeHtml(location)}">${escapeHtml(req.returnTo.origin)}</a></body></html>\n`,
        );
    }

    switch (result.reason) {
      case 'invalid_code':
      case 'reused_code': {
        const message: PageMessage =
          result.reason === 'reused_code'
            ? { kind: 'error', key: 'outcome.reused_code' }
            : result.malformed === true
              ? { kind: 'error', key: 'outcome.malformed', params: { digits } }
              : { kind: 'error', key: 'outcome.invalid_code' };
        if (state.status === 'enroll') {
          // Show the QR code again with the message (begin of an app channel sends nothing).
          return renderBegin(
            reply,
            await begin(request, req, lang),
            token,
            req,
            lang,
            now,
            message,
          );
        }
        return sendHtml(
          reply,
          200,
          renderMfaPage(formView(req.upn, state, fields, now, undefined, message), page),
        );
      }
      case 'locked':
        return sendHtml(
          reply,
          200,
          renderMfaPage(
            {
              kind: 'locked',
              until: parseDate(result.presentation.lockedUntil),
              fallbackMessage: result.presentation.message,
            },
            page,
          ),
        );
      case 'disabled':
        return sendHtml(reply, 200, renderMfaPage({ kind: 'disabled' }, page));
      case 'expired': {
        if (req.expiresAt.getTime() <= now.getTime()) {
          return sendHtml(reply, 200, renderErrorPage(page, 'page.request_expired'));
        }
        const href = `${paths.page}?request=${encodeURIComponent(token)}&lang=${lang}`;
        return sendHtml(reply, 200, renderMfaPage({ kind: 'expired', startAgainHref: href }, page));
      }
    }
  });
}

/**
 * The page's error handler: the host's status mapping (describeError), as an HTML page in the
 * user's language (Accept-Language); 5xx details go to the log only, never a stack trace.
 *
 * @param logger - where server-side details go
 * @param chrome - the page chrome for a language
 * @returns a fastify error handler for the page's encapsulated context
 */
export function pageErrorHandler(logger: Logger, chrome: (lang: SupportedLanguage) => PageChrome) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, expose } = describeError(err);
    if (!expose) {
      logger.error('hosted page request failed', {
        method: request.method,
        url: request.routeOptions?.url ?? 'unknown',
        ip: request.ip,
        error: err instanceof Error ? err.message : String(err),
        errorCode: (err as { code?: unknown }).code,
      });
    }
    if (status === 429) {
      const retry = (err as { retryAfter?: unknown }).retryAfter;
      if (typeof retry === 'number') void reply.header('retry-after', String(retry));
    }
    const accept = request.headers['accept-language'];
    const lang = negotiateLanguage(typeof accept === 'string' ? accept : undefined, undefined);
    const key: PageKey =
      status === 429
        ? 'outcome.rate_limited'
        : status >= 500
          ? 'outcome.server_error'
          : err instanceof ContextError && err.code === 'ERR_CONTEXT_EXPIRED'
            ? 'page.request_expired'
            : status === 400
              ? 'page.invalid_request'
              : 'page.bad_request';
    void reply
      .code(status)
      .type(HTML)
      .send(renderErrorPage(chrome(lang), key));
  };
}
