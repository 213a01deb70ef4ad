// The hosted MFA page over a real socket: createProviderHost + hostedPage + demoRoutes on
// 127.0.0.1, a real adapter (MemoryStore, TOTP, v2 secret cipher, sealed contexts), driven like a
// browser without JavaScript: fetch the page, read the form's hidden fields from the HTML, post
// the form back, follow the 303 by hand.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import {
  createAdapter,
  type Adapter,
  type ContextSealer,
  type TotpEngine,
} from '../src/adapter/adapter.js';
import type {
  AppChannel,
  OtpMessage,
  Presentation,
  SendChannel,
} from '../src/adapter/delivery-channel.js';
import type { Presenter } from '../src/adapter/presenter.js';
import { signJwt } from '../src/crypto/page-jwt.js';
import { openContext, sealContext } from '../src/crypto/sealed-context.js';
import { createSecretCipher } from '../src/crypto/secret-cipher.js';
import { createProviderHost } from '../src/http/create-host.js';
import { demoRoutes } from '../src/http/page/demo-routes.js';
import { hostedPage } from '../src/http/page/register-page.js';
import { verifyPageResponse } from '../src/http/page/request-jwt.js';
import { formatTime } from '../src/i18n/format-time.js';
import { negotiateLanguage } from '../src/i18n/negotiate.js';
import { t } from '../src/i18n/t.js';
import { createSilentLogger } from '../src/log/logger.js';
import { MemoryStore } from '../src/store/memory.js';
import { generateSecret } from '../src/totp/secret.js';
import { generateTotp, verifyTotp } from '../src/totp/totp.js';
import { totpUri } from '../src/totp/uri.js';

const KEY = 'hosted-page-int-test-adapter-api-key-0123';
const AUDIENCE = 'securemfa-test';
const PASSPHRASE = 'hosted page test passphrase';
const CONTEXT_TTL = 120;
const RETURN_TO = 'https://app.example.test/signin/callback?tenant=a%20b&x=1';

/** One clock for adapter, sealer and page; tests move it. */
let now = new Date('2026-03-14T13:07:10Z');
const clock = () => now;
const advance = (seconds: number) => {
  now = new Date(now.getTime() + seconds * 1000);
};
const epoch = () => Math.floor(now.getTime() / 1000);

const totp: TotpEngine = {
  step: 30,
  digits: 6,
  generateSecret: () => generateSecret(),
  generate: (secret, epochSeconds) => generateTotp({ secret, epoch: epochSeconds }),
  verify: (secret, token, epochSeconds, afterStep) =>
    verifyTotp({ secret, token, epoch: epochSeconds, afterStep }) as ReturnType<
      TotpEngine['verify']
    >,
};

const sealer: ContextSealer = {
  seal: (payload, at) =>
    sealContext(
      { ...payload },
      { secret: KEY, now: at, ttlSeconds: CONTEXT_TTL, audience: AUDIENCE },
    ),
  open: async (token, at) => {
    const p = await openContext(token, { secret: KEY, now: at, audience: AUDIENCE });
    return { upn: String(p.upn), lang: String(p.lang) };
  },
};

const presenter: Presenter = {
  enterCode: (lang) => ({ title: t(lang, 'page.title'), message: t(lang, 'login.enter_code') }),
  codeSent: (lang, receipt, validUntil) => ({
    title: t(lang, 'page.title'),
    message: t(lang, 'login.code_sent'),
    destination: receipt.destination,
    validUntil: validUntil.toISOString(),
  }),
  deliveryFailed: (lang) => ({
    title: t(lang, 'page.title'),
    message: t(lang, 'outcome.delivery_failed'),
  }),
  unavailable: (lang) => ({
    title: t(lang, 'page.title'),
    message: t(lang, 'outcome.unavailable'),
  }),
  disabled: (lang) => ({ title: t(lang, 'page.title'), message: t(lang, 'outcome.disabled') }),
  locked: (lang, until) => ({
    title: t(lang, 'page.title'),
    message: t(lang, 'outcome.locked', { time: until.toISOString() }),
    lockedUntil: until.toISOString(),
  }),
  expired: (lang) => ({ title: t(lang, 'page.title'), message: t(lang, 'outcome.expired') }),
  reusedCode: (lang) => ({ title: t(lang, 'page.title'), message: t(lang, 'outcome.reused_code') }),
  invalidCode: (lang, malformed, digits) => ({
    title: t(lang, 'page.title'),
    message: malformed ? t(lang, 'outcome.malformed', { digits }) : t(lang, 'outcome.invalid_code'),
  }),
};

const appChannel: AppChannel = {
  mode: 'app',
  name: 'authenticator',
  async enrolment(user, secret, lang): Promise<Presentation> {
    const uri = totpUri({ secret, issuer: 'ACME Test', label: user.upn });
    return {
      title: t(lang, 'enrol.title'),
      message: t(lang, 'enrol.instruction'),
      enrollment: {
        otpauthUri: uri,
        qrImage: await QRCode.toDataURL(uri, { width: 264, margin: 1 }),
        secret,
        width: 264,
        height: 264,
      },
    };
  },
};

const delivered: OtpMessage[] = [];
const sendChannel: SendChannel = {
  mode: 'send',
  name: 'test-mail',
  recipient: (upn) => (upn.startsWith('nomail') ? undefined : upn),
  async deliver(msg) {
    delivered.push(msg);
    return { destination: `${msg.to.slice(0, 1)}***@${msg.to.split('@')[1] ?? ''}` };
  },
  async verify() {
    return 'test channel: nothing to reach';
  },
  async close() {},
};

function buildAdapter(store: MemoryStore, channel: AppChannel | SendChannel): Adapter {
  return createAdapter({
    store,
    channel,
    totp,
    codec: createSecretCipher({ enabled: true, passphrase: PASSPHRASE, iterations: 100_000 }),
    sealer,
    presenter,
    metadata: {
      authenticationMethods: [],
      identityClaims: [],
      friendlyNames: {},
      descriptions: {},
    },
    lockout: { maxFailures: 3, lockoutMinutes: 5 },
    allowReuse: false,
    logger: createSilentLogger(),
    clock,
  });
}

async function startHost(channel: AppChannel | SendChannel, users: string[]) {
  const store = new MemoryStore();
  const app = await createProviderHost({
    adapter: buildAdapter(store, channel),
    store,
    logger: createSilentLogger(),
    apiKey: KEY,
    negotiate: (explicit, accept) => negotiateLanguage(accept, explicit),
    limits: { perIpPerMinute: 0, perUserPerMinute: 0 },
    processMetrics: false,
    extensions: [
      hostedPage({
        secret: KEY,
        audience: AUDIENCE,
        clock,
        timeZone: 'UTC',
        company: 'ACME Test',
        uiLoginText:
          '<b>Need help?</b> <a href="https://help.example.test/" onclick="x()">Help desk</a><script>alert(1)</script>',
        uiFirstLoginText: 'Install <i>Microsoft Authenticator</i> first.',
        resendCooldownSeconds: 30,
      }),
      demoRoutes({ secret: KEY, audience: AUDIENCE, users, clock, company: 'ACME Test' }),
    ],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { app, store, base: `http://127.0.0.1:${address.port}` };
}

// ---- a browser without JavaScript, in a few lines -------------------------------------------

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The `<form id="…">…</form>` element. */
function formHtml(html: string, id: string): string {
  const start = html.search(new RegExp(`<form[^>]*\\sid="${id}"`));
  if (start < 0) throw new Error(`no form #${id} in the page`);
  return html.slice(start, html.indexOf('</form>', start));
}

/** The hidden fields of a form. */
function hiddenFields(html: string, id: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of formHtml(html, id).matchAll(
    /<input type="hidden" name="([a-z]+)" value="([^"]*)">/g,
  )) {
    out[m[1] ?? ''] = decode(m[2] ?? '');
  }
  return out;
}

const secretOnPage = (html: string): string => {
  const m = /<code id="manualKey">([A-Z2-7 ]+)<\/code>/.exec(html);
  if (m === null) throw new Error('no manual key on the page');
  return (m[1] ?? '').replace(/ /g, '');
};

const errorText = (html: string): string | undefined => {
  const m = /<span id="errorText">([\s\S]*?)<\/span><\/div>/.exec(html);
  return m === null ? undefined : decode((m[1] ?? '').replace(/<\/?bdi>/g, ''));
};

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    redirect: 'manual',
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  return { res, html: await res.text() };
}

async function post(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    headers,
    signal: AbortSignal.timeout(10_000),
  });
  return { res, html: await res.text() };
}

async function requestJwt(
  upn: string,
  overrides: { ttl?: number; aud?: string; secret?: string; claims?: Record<string, unknown> } = {},
) {
  return signJwt(
    { sub: upn, return_to: RETURN_TO, state: `state-${upn}`, ...overrides.claims },
    {
      secret: overrides.secret ?? KEY,
      now,
      ttlSeconds: overrides.ttl ?? 600,
      audience: overrides.aud ?? AUDIENCE,
    },
  );
}

const pageUrl = (base: string, token: string, extra = '') =>
  `${base}/mfa?request=${encodeURIComponent(token)}${extra}`;

function expectNoScriptAndNoStack(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\s+at\s+\S+\s+\(.*:\d+:\d+\)/);
  expect(html).not.toContain('{"error"');
}

// ---- the QR (authenticator app) provider ------------------------------------------------------

describe('hosted page over a real socket: QR enrolment and codes', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => {
    host = await startHost(appChannel, ['demo.user@example.test']);
  });
  afterAll(async () => {
    await host.app.close();
  });

  it('enrols with the QR page, refuses a wrong code, accepts the right one with a 303 and a verifiable response', async () => {
    const upn = 'alice@example.test';
    const first = await get(pageUrl(host.base, await requestJwt(upn)));
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(first.html).toMatch(
      /<img id="qrImage" src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="264" height="264"/,
    );
    expect(first.html).toContain(
      'id="openInApp" class="actionLink" href="otpauth://totp/ACME%20Test:alice%40example.test?secret=',
    );
    expect(first.html).toContain('Install <i>Microsoft Authenticator</i> first.');
    expectNoScriptAndNoStack(first.html);

    const csp = first.res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    // The only origin named is the verified request's return_to (Chrome checks the 303 that
    // follows the form post against this page's form-action); nothing else is external.
    expect(csp.match(/https?:\/\/[^\s;]+/g)).toEqual(['https://app.example.test']);
    expect(csp).toMatch(/form-action 'self' https:\/\/app\.example\.test(;|$)/);
    expect(csp).not.toContain('script-src');

    const secret = secretOnPage(first.html);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const fields = hiddenFields(first.html, 'loginForm');
    expect(Object.keys(fields).sort()).toEqual(['action', 'context', 'lang', 'page', 'request']);

    const wrongCode = generateTotp({ secret, epoch: epoch() - 600 });
    const wrong = await post(`${host.base}/mfa`, { ...fields, code: wrongCode });
    expect(wrong.res.status).toBe(200);
    expect(errorText(wrong.html)).toBe(t('en', 'outcome.invalid_code'));
    expect(wrong.html).toContain('id="qrImage"'); // the QR code is shown again
    expect(secretOnPage(wrong.html)).toBe(secret);

    const retry = hiddenFields(wrong.html, 'loginForm');
    const ok = await post(`${host.base}/mfa`, {
      ...retry,
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(ok.res.status).toBe(303);
    const location = new URL(ok.res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(
      'https://app.example.test/signin/callback',
    );
    expect(location.search.startsWith('?tenant=a%20b&x=1&response=')).toBe(true);
    expect(ok.res.headers.get('content-security-policy')).toContain(
      "form-action 'self' https://app.example.test",
    );

    const response = await verifyPageResponse(location.searchParams.get('response'), {
      secret: KEY,
      now,
      audience: 'https://app.example.test',
      issuer: AUDIENCE,
      expectedState: `state-${upn}`,
    });
    expect(response).toMatchObject({
      upn,
      amr: ['otp'],
      authenticationMethod: 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp',
    });
    expect(response.expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(120_000);

    const record = await host.store.get(upn);
    expect(record).toMatchObject({ logon: 1, logoncount: 1, failedlogoncount: 0 });

    // The same code again: refused as already used.
    const again = await post(`${host.base}/mfa`, {
      ...retry,
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(again.res.status).toBe(200);
    expect(errorText(again.html)).toBe(t('en', 'outcome.reused_code'));
    expect(again.html).toContain('id="loginForm"');

    // Enrolled: the next sign-in asks for the code, without a QR code, with ui_login_text sanitised.
    const next = await get(pageUrl(host.base, await requestJwt(upn)));
    expect(next.html).toContain(t('en', 'login.enter_code'));
    expect(next.html).not.toContain('id="qrImage"');
    expect(next.html).toContain(
      '<b>Need help?</b> <a href="https://help.example.test/" rel="noopener noreferrer">Help desk</a>',
    );
    expect(next.html).not.toContain('onclick');
    expectNoScriptAndNoStack(next.html);
  });

  it('shows "enter the 6-digit code" for malformed input, counted as a failure', async () => {
    const upn = 'malformed@example.test';
    const first = await get(pageUrl(host.base, await requestJwt(upn)));
    const res = await post(`${host.base}/mfa`, {
      ...hiddenFields(first.html, 'loginForm'),
      code: '12ab',
    });
    expect(res.res.status).toBe(200);
    expect(errorText(res.html)).toBe('Enter the 6-digit code.');
    expect((await host.store.get(upn))?.failedlogoncount).toBe(1);
  });

  it('locks after three wrong codes and shows "locked until <time>" with no form', async () => {
    const upn = 'locked@example.test';
    const first = await get(pageUrl(host.base, await requestJwt(upn)));
    const secret = secretOnPage(first.html);
    let fields = hiddenFields(first.html, 'loginForm');
    let last = first;
    for (let i = 0; i < 3; i += 1) {
      last = await post(`${host.base}/mfa`, {
        ...fields,
        code: generateTotp({ secret, epoch: epoch() - 3600 - i * 30 }),
      });
      if (i < 2) fields = hiddenFields(last.html, 'loginForm');
    }
    const until = new Date(now.getTime() + 5 * 60_000);
    expect(errorText(last.html)).toBe(
      t('en', 'outcome.locked', { time: formatTime(until, 'en', 'UTC') }),
    );
    expect(last.html).not.toContain('<form');

    // While locked, even the right code is refused, and a new visit shows the lock.
    const right = await post(`${host.base}/mfa`, {
      ...fields,
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(right.res.status).toBe(200);
    expect(right.html).toContain('data-status="locked"');
    const visit = await get(pageUrl(host.base, await requestJwt(upn)));
    expect(visit.html).toContain('data-status="locked"');
    expect(visit.html).not.toContain('<form');
  });

  it('shows the disabled message on visit and on post, with no form', async () => {
    const upn = 'disabled@example.test';
    const first = await get(pageUrl(host.base, await requestJwt(upn)));
    const fields = hiddenFields(first.html, 'loginForm');
    const secret = secretOnPage(first.html);
    await host.store.setEnabled(upn, false);
    const posted = await post(`${host.base}/mfa`, {
      ...fields,
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(errorText(posted.html)).toBe(t('en', 'outcome.disabled'));
    expect(posted.html).not.toContain('<form');
    const visit = await get(pageUrl(host.base, await requestJwt(upn)));
    expect(errorText(visit.html)).toBe(t('en', 'outcome.disabled'));
    expect(visit.html).not.toContain('<form');
  });

  it('an expired context offers "start again" while the request is still valid', async () => {
    const upn = 'slow@example.test';
    const first = await get(pageUrl(host.base, await requestJwt(upn, { ttl: 600 })));
    const secret = secretOnPage(first.html);
    advance(CONTEXT_TTL + 30);
    const res = await post(`${host.base}/mfa`, {
      ...hiddenFields(first.html, 'loginForm'),
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(res.res.status).toBe(200);
    expect(errorText(res.html)).toBe(t('en', 'outcome.expired'));
    const href = /<a id="startAgain" class="submit" href="([^"]+)">/.exec(res.html)?.[1];
    expect(href).toBeDefined();
    const again = await get(`${host.base}${decode(href ?? '')}`);
    expect(again.res.status).toBe(200);
    expect(again.html).toContain('id="loginForm"');
  });

  it.each([
    [
      'expired',
      async () => requestJwt('x@example.test', { ttl: 1 }),
      'This sign-in link has expired.',
      5,
    ],
    [
      'signed with another key',
      async () => requestJwt('x@example.test', { secret: 'not-the-adapter-api-key-000000' }),
      'This sign-in link is not valid.',
      0,
    ],
    [
      'for another audience',
      async () => requestJwt('x@example.test', { aud: 'someone-else' }),
      'This sign-in link is not valid.',
      0,
    ],
    [
      'with a javascript: return_to',
      async () =>
        requestJwt('x@example.test', {
          claims: { return_to: 'javascript:alert(document.cookie)' },
        }),
      'This sign-in link is not valid.',
      0,
    ],
    [
      'unsigned (alg none)',
      async () => {
        const h = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
        const p = Buffer.from(
          JSON.stringify({
            sub: 'x@example.test',
            aud: AUDIENCE,
            exp: epoch() + 60,
            return_to: RETURN_TO,
            state: 's',
          }),
        ).toString('base64url');
        return `${h}.${p}.`;
      },
      'This sign-in link is not valid.',
      0,
    ],
    ['garbage', async () => 'not-a-jwt', 'This sign-in link is not valid.', 0],
  ])('a request JWT %s gets a 400 page', async (_name, make, text, wait) => {
    const token = await make();
    advance(wait + 30 + 1); // past exp + the clock tolerance for the expired case
    const res = await get(pageUrl(host.base, token));
    expect(res.res.status).toBe(400);
    expect(res.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.html).toContain(text);
    expect(res.html).not.toContain('<form');
    expectNoScriptAndNoStack(res.html);
    expect(res.res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('a GET without any request is a 400 page', async () => {
    const res = await get(`${host.base}/mfa`);
    expect(res.res.status).toBe(400);
    expect(res.html).toContain('This sign-in link is not valid.');
  });

  it("refuses another user's context posted with this request (page state binding)", async () => {
    const victim = await get(pageUrl(host.base, await requestJwt('victim@example.test')));
    const attacker = await get(pageUrl(host.base, await requestJwt('attacker@example.test')));
    const v = hiddenFields(victim.html, 'loginForm');
    const a = hiddenFields(attacker.html, 'loginForm');
    const attackerSecret = secretOnPage(attacker.html);
    const res = await post(`${host.base}/mfa`, {
      ...v,
      context: a.context ?? '',
      code: generateTotp({ secret: attackerSecret, epoch: epoch() }),
    });
    expect(res.res.status).toBe(400);
    expect(res.res.headers.get('location')).toBeNull();
    const swappedPage = await post(`${host.base}/mfa`, {
      ...v,
      context: a.context ?? '',
      page: a.page ?? '',
      code: '000000',
    });
    expect(swappedPage.res.status).toBe(400);
  });

  it('refuses an oversized form body with a 413 page', async () => {
    const first = await get(pageUrl(host.base, await requestJwt('big@example.test')));
    const res = await post(`${host.base}/mfa`, {
      ...hiddenFields(first.html, 'loginForm'),
      code: '123456',
      pad: 'x'.repeat(20_000),
    });
    expect(res.res.status).toBe(413);
    expect(res.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.html).toContain('The request could not be processed.');
    expectNoScriptAndNoStack(res.html);
  });

  it('refuses a JSON post with 415 and a form without its fields with 400', async () => {
    const json = await fetch(`${host.base}/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: '123456' }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(json.status).toBe(415);
    expect(await json.text()).toContain('<html');
    const empty = await post(`${host.base}/mfa`, { code: '123456' });
    expect(empty.res.status).toBe(400);
  });

  it('speaks Arabic right to left from Accept-Language, and switches language with the picker form', async () => {
    const token = await requestJwt('lang@example.test');
    const ar = await get(pageUrl(host.base, token), {
      'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5',
    });
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain(t('ar', 'enrol.title'));
    const picker = hiddenFields(ar.html, 'languageForm');
    expect(picker.action).toBe('language');
    const de = await post(`${host.base}/mfa`, { ...picker, lang: 'de' });
    expect(de.res.status).toBe(200);
    expect(de.html).toContain('<html lang="de" dir="ltr">');
    expect(de.html).toContain(t('de', 'enrol.title'));
    expect(de.html).toContain('id="qrImage"');
    const explicit = await get(pageUrl(host.base, token, '&lang=fi'), { 'accept-language': 'ar' });
    expect(explicit.html).toContain('<html lang="fi" dir="ltr">');
  });

  it('serves the default stylesheet from the same origin', async () => {
    const res = await fetch(`${host.base}/mfa/assets/style.css`, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const css = await res.text();
    expect(css).toContain('#fullPage');
    expect(css).toContain('#submitButton');
    expect(css).not.toMatch(/url\(\s*['"]?https?:/);
  });

  it('demo: lists users, mints a request, and /demo/done verifies the response', async () => {
    const list = await get(`${host.base}/demo`);
    expect(list.res.status).toBe(200);
    expect(list.html).toContain('Sign in as <bdi>demo.user@example.test</bdi>');
    const start = await post(`${host.base}/demo/start`, hiddenFieldsDemo(list.html));
    expect(start.res.status).toBe(303);
    const mfa = start.res.headers.get('location') ?? '';
    expect(mfa.startsWith('/mfa?request=')).toBe(true);

    const page = await get(`${host.base}${mfa}`);
    const secret = secretOnPage(page.html);
    const done = await post(`${host.base}/mfa`, {
      ...hiddenFields(page.html, 'loginForm'),
      code: generateTotp({ secret, epoch: epoch() }),
    });
    expect(done.res.status).toBe(303);
    const back = new URL(done.res.headers.get('location') ?? '');
    expect(back.origin).toBe(host.base);
    expect(back.pathname).toBe('/demo/done');
    const shown = await get(back.href);
    expect(shown.res.status).toBe(200);
    expect(shown.html).toContain(
      'Signed in as <bdi>demo.user@example.test</bdi> with a one-time passcode.',
    );

    const forged = await get(
      `${host.base}/demo/done?response=${encodeURIComponent(await requestJwt('demo.user@example.test'))}`,
    );
    expect(forged.res.status).toBe(400);
    const unknown = await post(`${host.base}/demo/start`, { upn: 'ceo@example.test' });
    expect(unknown.res.status).toBe(400);
  });
});

function hiddenFieldsDemo(html: string): Record<string, string> {
  const m = /<input type="hidden" name="upn" value="([^"]*)">/.exec(html);
  return { upn: decode(m?.[1] ?? '') };
}

// ---- a provider that sends codes ----------------------------------------------------------------

describe('hosted page over a real socket: sent codes', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  beforeAll(async () => {
    host = await startHost(sendChannel, []);
  });
  afterAll(async () => {
    await host.app.close();
  });

  it('shows the masked destination and valid-until, accepts the delivered code', async () => {
    const upn = 'jane@example.com';
    const before = delivered.length;
    const page = await get(pageUrl(host.base, await requestJwt(upn)));
    expect(delivered.length).toBe(before + 1);
    const msg = delivered[delivered.length - 1];
    expect(page.html).toContain(
      `We sent a code to <bdi>j***@example.com</bdi>. It is valid until <bdi>${formatTime(msg?.validUntil ?? now, 'en', 'UTC')}</bdi>.`,
    );
    expect(page.html).toContain('id="resendButton"');
    const ok = await post(`${host.base}/mfa`, {
      ...hiddenFields(page.html, 'loginForm'),
      code: msg?.code ?? '',
    });
    expect(ok.res.status).toBe(303);
    expect(ok.res.headers.get('location')).toContain('response=');
  });

  it('"send a new code" is refused during the cooldown (no delivery) and works after it', async () => {
    const upn = 'resend@example.com';
    const page = await get(pageUrl(host.base, await requestJwt(upn)));
    const count = delivered.length;
    const resendFields = hiddenFields(page.html, 'options');
    expect(resendFields.action).toBe('resend');

    advance(10);
    const early = await post(`${host.base}/mfa`, resendFields);
    expect(early.res.status).toBe(200);
    expect(delivered.length).toBe(count);
    expect(early.html).toContain('You can request a new code in 20 seconds.');
    expect(early.html).toContain('id="loginForm"');

    advance(21);
    const later = await post(`${host.base}/mfa`, resendFields);
    expect(later.res.status).toBe(200);
    expect(delivered.length).toBe(count + 1);
    const fresh = hiddenFields(later.html, 'loginForm');
    expect(fresh.context).not.toBe(resendFields.context);

    // Replaying the old form right after is refused again: this node remembers the last send.
    const replay = await post(`${host.base}/mfa`, resendFields);
    expect(delivered.length).toBe(count + 1);
    expect(replay.html).toContain('You can request a new code in 30 seconds.');

    const ok = await post(`${host.base}/mfa`, {
      ...fresh,
      code: delivered[delivered.length - 1]?.code ?? '',
    });
    expect(ok.res.status).toBe(303);
  });

  it('a user the channel cannot reach sees "unavailable" with no form', async () => {
    const page = await get(pageUrl(host.base, await requestJwt('nomail@example.com')));
    expect(page.res.status).toBe(200);
    expect(errorText(page.html)).toBe(t('en', 'outcome.unavailable'));
    expect(page.html).not.toContain('<form');
  });
});

// ---- routing rules, over a scripted adapter -------------------------------------------------------

describe('hosted page over a real socket: routing rules (scripted adapter)', () => {
  const script = {
    begins: 0,
    ends: 0,
    failBegin: false,
  };
  const scripted: Adapter = {
    metadata: () => ({
      authenticationMethods: [],
      identityClaims: [],
      friendlyNames: {},
      descriptions: {},
    }),
    isAvailableForUser: async () => true,
    begin: async () => {
      script.begins += 1;
      if (script.failBegin) throw new Error('store exploded at /srv/secret/path.ts:12');
      return {
        context: 'scripted-context',
        status: 'enter_code',
        presentation: { title: 't', message: 'm' },
      };
    },
    end: async () => {
      script.ends += 1;
      return { ok: false, reason: 'invalid_code', presentation: { title: 't', message: 'm' } };
    },
  };
  let app: FastifyInstance;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'securemfa-theme-'));
    const theme = join(dir, 'style.css');
    await writeFile(theme, '#fullPage { background: #123456; }\n');
    app = await createProviderHost({
      adapter: scripted,
      store: new MemoryStore(),
      logger: createSilentLogger(),
      apiKey: KEY,
      negotiate: (explicit, accept) => negotiateLanguage(accept, explicit),
      limits: { perIpPerMinute: 0, perUserPerMinute: 2 },
      processMetrics: false,
      extensions: [
        hostedPage({
          secret: KEY,
          audience: AUDIENCE,
          clock,
          timeZone: 'UTC',
          themeCssFile: theme,
          pathPrefix: '/securemfa',
        }),
      ],
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}/securemfa`;
  });
  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the theme_css_file instead of the default stylesheet, under the prefix', async () => {
    const res = await fetch(`${base}/mfa/assets/style.css`, {
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('#fullPage { background: #123456; }\n');
    const page = await get(pageUrl(base, await requestJwt('prefix@example.test')));
    expect(page.html).toContain('action="/securemfa/mfa"');
    expect(page.html).toContain('<link rel="stylesheet" href="/securemfa/mfa/assets/style.css">');
  });

  it('HEAD does not run begin (a link checker must not send codes)', async () => {
    const before = script.begins;
    const res = await fetch(pageUrl(base, await requestJwt('head@example.test')), {
      method: 'HEAD',
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(404);
    expect(script.begins).toBe(before);
  });

  it('takes the language from the request claim when the query has none, and skips unknown lang values', async () => {
    const claim = await get(
      pageUrl(base, await requestJwt('claim@example.test', { claims: { lang: 'sv' } })),
    );
    expect(claim.html).toContain('<html lang="sv" dir="ltr">');
    const unknown = await get(
      pageUrl(base, await requestJwt('unknown-lang@example.test'), '&lang=tlh-klingon'),
      {
        'accept-language': 'nl-BE,nl;q=0.9',
      },
    );
    expect(unknown.html).toContain('<html lang="nl" dir="ltr">');
  });

  it('an unknown form action is a 400 page and does not call end; resend without a sent code too', async () => {
    const page = await get(pageUrl(base, await requestJwt('action@example.test')));
    const fields = hiddenFields(page.html, 'loginForm');
    const before = script.ends;
    const bad = await post(`${base}/mfa`, { ...fields, action: 'delete-user' });
    expect(bad.res.status).toBe(400);
    expect(bad.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const resend = await post(`${base}/mfa`, { ...fields, action: 'resend' });
    expect(resend.res.status).toBe(400);
    expect(script.ends).toBe(before);
  });

  it('a failure inside the adapter is a 500 page without details', async () => {
    script.failBegin = true;
    try {
      const res = await get(pageUrl(base, await requestJwt('boom@example.test')));
      expect(res.res.status).toBe(500);
      expect(res.res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.html).toContain(t('en', 'outcome.server_error'));
      expect(res.html).not.toMatch(/exploded|\/srv\/|\.ts:\d+/);
    } finally {
      script.failBegin = false;
    }
  });

  it('a user over the per-user limit gets a localised 429 page with Retry-After, and begin is not called', async () => {
    const token = await requestJwt('limited@example.test');
    expect((await get(pageUrl(base, token))).res.status).toBe(200);
    expect((await get(pageUrl(base, token))).res.status).toBe(200);
    const before = script.begins;
    const res = await get(pageUrl(base, token), { 'accept-language': 'de' });
    expect(res.res.status).toBe(429);
    expect(res.res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.html).toContain('<html lang="de" dir="ltr">');
    expect(res.html).toContain(t('de', 'outcome.rate_limited'));
    expect(script.begins).toBe(before);
  });
});
