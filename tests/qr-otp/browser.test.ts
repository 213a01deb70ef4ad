// The hosted MFA page (DESIGN "HTTP provider host") in a real headless Chromium: a relying app
// (a real node:http server) mints the request JWT, the browser opens `/mfa?request=…` on a real
// QR OTP node (checkConfig → createProviderRuntime → createRuntimeHost, as `serve` runs it),
// enrols by reading the secret off the page (checked against the QR image decoded by the real
// `zbarimg`), types the code the real `oathtool` computes, and lands on return_to with a response
// JWT the test verifies. In English, German and Arabic (right-to-left), with the language chosen
// by Accept-Language, the `lang` query parameter, the request's `lang` claim and the page's own
// language picker; once with JavaScript disabled. Screenshots of the enrolment and code pages go
// to test-output/browser/. A missing Chromium, oathtool or zbarimg FAILS the suite (no skip).
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { LANGUAGE_INFO, t, type QrOtpConfig, type SupportedLanguage } from '@securemfa/core';
import { verifyPageResponse } from '@securemfa/core/http';
import {
  externalCspSources,
  launchChromium,
  parseCsp,
  screenshotDir,
  watchContext,
  type PageProblems,
} from '../helpers/browser-chromium.js';
import { browserQrConfig, startBrowserNode, type BrowserNode } from '../helpers/browser-host.js';
import {
  mintPageRequest,
  newState,
  startRelyingApp,
  type RelyingApp,
} from '../helpers/browser-relying-app.js';
import {
  decodeQrDataUrl,
  oathtoolTotp,
  parseOtpauthUri,
  requireTool,
  safeStepNow,
  wrongCode,
  type OtpauthUri,
} from '../helpers/e2e-otp-tools.js';

// tests/jest.config.js sets 60 s, but a project's testTimeout is ignored when jest runs from the
// repository root (multi-project): set it here so both ways of running give the same bound.
jest.setTimeout(60_000);

const AUTH_METHOD_CLAIM =
  'http://schemas.microsoft.com/ws/2008/06/identity/claims/authenticationmethod';
const OTP_METHOD = 'http://schemas.microsoft.com/ws/2012/12/authmethod/otp';
const UI_LOGIN_TEXT = '<script>alert(1)</script><b onclick="x()">Hi</b>';
const DEMO_USER = 'demo.user@adatum.test';

let dir: string;
let shots: string;
let apiKey: string;
let config: QrOtpConfig;
let node: BrowserNode;
let app: RelyingApp;
let browser: Browser;
let pngCount = 0;
/** Screenshots older than this run are stale (a previous run's). */
const runStartedMs = Date.now();

beforeAll(async () => {
  // Missing tools fail the suite here, saying what to install (never a skip).
  requireTool('oathtool');
  requireTool('zbarimg');
  browser = await launchChromium();
  shots = await screenshotDir();
  dir = await mkdtemp(join(tmpdir(), 'e2e-browser-'));
  apiKey = randomBytes(24).toString('base64url'); // 32 characters
  config = browserQrConfig({
    company: 'Adatum Lab',
    auth_mode: 'SQLITE',
    sqlite_path: join(dir, 'otp.db'),
    data_encryption: 'true',
    data_encryption_passphrase: randomBytes(18).toString('base64url'),
    adapter_api_key: apiKey,
    ui_customization: 'true',
    ui_login_text: UI_LOGIN_TEXT,
    // One browser, a few users, many requests within a minute.
    rate_limit_per_ip_per_minute: '100000',
    rate_limit_per_user_per_minute: '100000',
  });
  node = await startBrowserNode(config, {
    configDir: dir,
    logFile: join(dir, 'provider.log'),
    demoUsers: [DEMO_USER],
  });
  app = await startRelyingApp();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await node?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers of this suite

/** How a test picks the page language. */
type LangVia =
  | { via: 'accept-language'; locale: string }
  | { via: 'query'; locale: string }
  | { via: 'claim'; locale: string };

/** A fresh context: no cookies, its own problems collector. */
async function newContext(
  locale: string,
  javaScriptEnabled = true,
): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({
    locale,
    javaScriptEnabled,
    viewport: { width: 1024, height: 900 },
  });
  return { context, problems: watchContext(context) };
}

/** The page URL a relying app redirects to, for a user and a language mechanism. */
async function pageUrl(
  upn: string,
  state: string,
  lang: SupportedLanguage,
  how: LangVia,
): Promise<string> {
  const token = await mintPageRequest({
    secret: apiKey,
    audience: node.host.audience,
    upn,
    returnTo: app.returnTo,
    state,
    ...(how.via === 'claim' ? { lang } : {}),
  });
  const query = how.via === 'query' ? `&lang=${lang}` : '';
  return `${node.base}/mfa?request=${encodeURIComponent(token)}${query}`;
}

/**
 * The CSP of a page response: present, no script source, nothing external — except, on the MFA
 * page, the one origin its form may lead to (the signed request's return_to; Chrome checks the
 * redirect after the post against the page's form-action).
 */
function expectSelfContainedCsp(response: Response | null, returnOrigin?: string): void {
  expect(response).not.toBeNull();
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toBeDefined();
  expect(externalCspSources(csp!)).toEqual(
    returnOrigin === undefined ? {} : { 'form-action': [returnOrigin] },
  );
  const policy = parseCsp(csp!);
  expect(policy.get('default-src')).toEqual(["'none'"]);
  // No script source at all: the page needs none.
  expect(policy.has('script-src')).toBe(false);
  expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
}

/** Document language and direction, and the absence of any script. */
async function expectDocument(page: Page, lang: SupportedLanguage): Promise<void> {
  const html = page.locator('html');
  expect(await html.getAttribute('lang')).toBe(LANGUAGE_INFO[lang].tag);
  expect(await html.getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  expect(await page.locator('body').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  expect(await page.locator('script').count()).toBe(0);
  // The page follows the AD FS structure (themes apply).
  for (const id of ['#fullPage', '#contentWrapper', '#workArea', '#authArea', '#loginArea']) {
    expect(await page.locator(id).count()).toBe(1);
  }
  expect((await page.locator('#companyName').textContent())?.trim()).toBe('Adatum Lab');
}

/** What the enrolment page shows, read the way a person (or an authenticator app) would. */
interface Enrolment {
  otpauth: OtpauthUri;
  otpauthHref: string;
  manualSecret: string;
  qrSrc: string;
}

async function readEnrolment(page: Page, lang: SupportedLanguage): Promise<Enrolment> {
  expect((await page.locator('#loginMessage').textContent())?.trim()).toBe(t(lang, 'enrol.title'));
  const img = page.locator('img#qrImage');
  await expect(img.isVisible()).resolves.toBe(true);
  const qrSrc = (await img.getAttribute('src')) ?? '';
  expect(qrSrc.startsWith('data:image/png;base64,')).toBe(true);
  expect(await img.getAttribute('alt')).toBe(t(lang, 'enrol.qr_alt'));
  // The image really rendered (the CSP allows data: images): the natural size is not 0. Read
  // from the element box so this works without JavaScript too.
  const box = await img.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.width).toBeGreaterThan(50);
  expect(box!.height).toBeGreaterThan(50);

  const otpauthHref = (await page.locator('a#openInApp').getAttribute('href')) ?? '';
  expect(otpauthHref.startsWith('otpauth://totp/')).toBe(true);
  expect((await page.locator('a#openInApp').textContent())?.trim()).toBe(t(lang, 'enrol.open_app'));
  const otpauth = parseOtpauthUri(otpauthHref);

  const manualText = (await page.locator('code#manualKey').textContent()) ?? '';
  expect(manualText).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
  const manualSecret = manualText.replace(/\s+/g, '');
  // The three ways to enrol agree: manual key, otpauth link and the QR image.
  expect(manualSecret).toBe(otpauth.secret.toUpperCase().replace(/=+$/, ''));
  const decoded = await decodeQrDataUrl(qrSrc, dir, `qr-${(pngCount += 1)}`);
  expect(decoded).toBe(otpauthHref);
  expect(otpauth.issuer).not.toBeNull();
  return { otpauth, otpauthHref, manualSecret, qrSrc };
}

/** The code an authenticator app shows now (`offsetSteps` later), by the real oathtool. */
async function codeFor(e: Enrolment, offsetSteps = 0): Promise<string> {
  const now = await safeStepNow(e.otpauth.period, 3);
  return oathtoolTotp(e.manualSecret, now + offsetSteps * e.otpauth.period, {
    digits: e.otpauth.digits,
    step: e.otpauth.period,
    algorithm: e.otpauth.algorithm,
  });
}

/**
 * Click a submit button of a form posting to /mfa and wait until the browser shows what came
 * back (the main frame committed a new document).
 *
 * @returns status and headers of the POST's response (the 303 itself on success)
 */
async function postForm(
  page: Page,
  button: string,
): Promise<{ status: number; headers: Record<string, string> }> {
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/mfa', {
      timeout: 15_000,
    }),
    page.waitForEvent('framenavigated', {
      predicate: (frame) => frame === page.mainFrame(),
      timeout: 15_000,
    }),
    page.locator(button).click(),
  ]);
  await page.waitForLoadState('load');
  // A redirect has no 'response' event; the POST's own response is the 303.
  const response = await request.response();
  if (response === null) {
    throw new Error(`the POST to /mfa got no response: ${request.failure()?.errorText ?? '?'}`);
  }
  return { status: response.status(), headers: response.headers() };
}

/** Type a code and submit. */
function submitCode(
  page: Page,
  code: string,
): Promise<{ status: number; headers: Record<string, string> }> {
  return page
    .locator('#otpInput')
    .fill(code)
    .then(() => postForm(page, '#submitButton'));
}

/** Submit the right code and check the whole way back to the relying app. */
async function submitAndExpectReturn(
  page: Page,
  code: string,
  upn: string,
  state: string,
): Promise<void> {
  const post = await submitCode(page, code);
  expect(post.status).toBe(303);
  const location = post.headers['location'] ?? '';
  expect(location.startsWith(`${app.returnTo}?response=`)).toBe(true);
  // The redirect's CSP allows exactly one more form target: the relying app's origin.
  const csp = parseCsp(post.headers['content-security-policy'] ?? '');
  expect(csp.get('form-action')).toEqual(["'self'", app.origin]);
  expect(csp.get('default-src')).toEqual(["'none'"]);

  await page.waitForURL((u) => u.href.startsWith(app.returnTo), { timeout: 15_000 });
  expect(await page.locator('#appResult').textContent()).toContain('response received');
  const hit = await app.waitForState(state);
  expect(hit.url.pathname).toBe('/callback');

  // Verified as a relying app does: signature, aud = own origin, iss = the page, state.
  const response = await verifyPageResponse(hit.response, {
    secret: apiKey,
    now: new Date(),
    audience: app.origin,
    issuer: node.host.audience,
    expectedState: state,
  });
  expect(response.upn).toBe(upn);
  expect(response.state).toBe(state);
  expect(response.amr).toEqual(['otp']);
  expect(response.authenticationMethod).toBe(OTP_METHOD);
  expect(response.expiresAt.getTime()).toBeGreaterThan(Date.now());
  const claims = JSON.parse(
    Buffer.from(hit.response!.split('.')[1]!, 'base64url').toString('utf8'),
  ) as Record<string, unknown>;
  expect(claims[AUTH_METHOD_CLAIM]).toBe(OTP_METHOD);
  expect(claims.sub).toBe(upn);
  expect(claims.aud).toBe(app.origin);
  expect(claims.iss).toBe('qr-otp');
  expect(typeof claims.jti).toBe('string');
  // A response for this state arrived once, not twice.
  expect(app.hits.filter((h) => h.unverifiedState === state)).toHaveLength(1);
}

/** The operator's ui_login_text, sanitised: "Hi" in bold, no script, no event handler. */
async function expectSanitisedLoginText(page: Page, jsEnabled = true): Promise<void> {
  const custom = page.locator('#customText');
  expect(await custom.count()).toBe(1);
  expect((await custom.innerHTML()).trim()).toBe('<b>Hi</b>');
  expect(await custom.locator('b').textContent()).toBe('Hi');
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.locator('[onclick]').count()).toBe(0);
  expect(await page.content()).not.toContain('alert(1)');
  if (jsEnabled) {
    // Runs in the page (the tests compile without the DOM lib: the window is typed here).
    type Win = { getComputedStyle(e: unknown): { fontWeight: string } };
    const weight = await custom
      .locator('b')
      .evaluate((el) =>
        Number((el.ownerDocument.defaultView as unknown as Win).getComputedStyle(el).fontWeight),
      );
    expect(weight).toBeGreaterThanOrEqual(600);
  }
}

// ---------------------------------------------------------------------------------------------
// The flow in three languages

const LANGUAGES: Array<{ lang: SupportedLanguage; how: LangVia }> = [
  // Accept-Language picks English.
  { lang: 'en', how: { via: 'accept-language', locale: 'en-US' } },
  // The `lang` query parameter wins over Accept-Language (the browser asks for French).
  { lang: 'de', how: { via: 'query', locale: 'fr-FR' } },
  // Accept-Language picks Arabic (right-to-left).
  { lang: 'ar', how: { via: 'accept-language', locale: 'ar-EG' } },
];

describe.each(LANGUAGES)('hosted page in $lang (language via $how.via)', ({ lang, how }) => {
  const upn = `browser.${lang}@adatum.test`;
  let context: BrowserContext;
  let problems: PageProblems;
  let enrolment: Enrolment | undefined;

  beforeAll(async () => {
    ({ context, problems } = await newContext(how.locale));
  });

  afterAll(async () => {
    await context?.close();
  });

  it('new user: the enrolment page shows the QR code, the otpauth link and the key; the code leads back to return_to', async () => {
    const page = await context.newPage();
    const state = newState();
    const response = await page.goto(await pageUrl(upn, state, lang, how));
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expectSelfContainedCsp(response, app.origin);
    await expectDocument(page, lang);
    enrolment = await readEnrolment(page, lang);
    expect(await page.locator('#enrollIntro').textContent()).toBe(t(lang, 'enrol.instruction'));
    // The hidden language field carries the page language to the post.
    expect(await page.locator('#loginForm input[name="lang"]').getAttribute('value')).toBe(lang);
    await page.screenshot({ path: join(shots, `enrol-${lang}.png`), fullPage: true });

    await submitAndExpectReturn(page, await codeFor(enrolment), upn, state);
    expect(problems.all()).toEqual([]);
    await page.close();
  });

  it('second visit: the code page (no QR); a wrong code shows the localised message; the right code leads back', async () => {
    expect(enrolment).toBeDefined(); // set by the enrolment test
    const page = await context.newPage();
    const state = newState();
    const response = await page.goto(await pageUrl(upn, state, lang, how));
    expect(response?.status()).toBe(200);
    expectSelfContainedCsp(response, app.origin);
    await expectDocument(page, lang);
    expect((await page.locator('#loginMessage').textContent())?.trim()).toBe(t(lang, 'page.title'));
    expect(await page.locator('#pageIntroductionText').textContent()).toBe(
      t(lang, 'login.enter_code'),
    );
    expect(await page.locator('#qrImage').count()).toBe(0);
    expect(await page.locator('#manualKey').count()).toBe(0);
    expect(await page.locator('#openInApp').count()).toBe(0);
    expect(await page.locator('a[href^="otpauth:"]').count()).toBe(0);
    expect(await page.content()).not.toContain(enrolment!.manualSecret);
    await expect(page.locator('#otpInput').isVisible()).resolves.toBe(true);
    await expectSanitisedLoginText(page);
    await page.screenshot({ path: join(shots, `code-${lang}.png`), fullPage: true });

    // A wrong code: the page again, same language, with the localised message.
    const bad = await wrongCode(enrolment!.manualSecret, Math.floor(Date.now() / 1000), 7);
    const post = await submitCode(page, bad);
    expect(post.status).toBe(200);
    expect(new URL(page.url()).pathname).toBe('/mfa');
    await expectDocument(page, lang);
    expect((await page.locator('#errorText').textContent())?.trim()).toBe(
      t(lang, 'outcome.invalid_code'),
    );
    expect(await page.locator('#otpInput').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#qrImage').count()).toBe(0);
    await page.screenshot({ path: join(shots, `code-error-${lang}.png`), fullPage: true });

    // The right code. The enrolment may have used this step's code (a replay is refused), so
    // type the next step's, which the ±1 step window accepts.
    await submitAndExpectReturn(page, await codeFor(enrolment!, 1), upn, state);
    expect(problems.all()).toEqual([]);
    await page.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Without JavaScript, the request's lang claim, the language picker

describe('hosted page without JavaScript', () => {
  let context: BrowserContext;
  let problems: PageProblems;

  beforeAll(async () => {
    ({ context, problems } = await newContext('en-US', false));
  });

  afterAll(async () => {
    await context?.close();
  });

  it('enrols and signs in with JavaScript disabled; the lang claim and the language picker choose the language', async () => {
    const upn = 'browser.nojs@adatum.test';
    const page = await context.newPage();

    // The request's `lang` claim wins over Accept-Language (en-US): German.
    let state = newState();
    const response = await page.goto(await pageUrl(upn, state, 'de', { via: 'claim', locale: '' }));
    expect(response?.status()).toBe(200);
    expectSelfContainedCsp(response, app.origin);
    await expectDocument(page, 'de');
    await readEnrolment(page, 'de');

    // The language picker is a plain form: switch to Arabic.
    await page.locator('#languageSelect').selectOption('ar');
    expect((await postForm(page, '#languageButton')).status).toBe(200);
    await expectDocument(page, 'ar');
    // Enrolment is shown again (begin ran again): read the secret from this page.
    const enrolment = await readEnrolment(page, 'ar');
    expect(await page.locator('#languageSelect option[selected]').getAttribute('value')).toBe('ar');

    await submitAndExpectReturn(page, await codeFor(enrolment), upn, state);

    // Second visit, still without JavaScript: the code page, then back to the app.
    state = newState();
    await page.goto(await pageUrl(upn, state, 'de', { via: 'claim', locale: '' }));
    await expectDocument(page, 'de');
    expect(await page.locator('#qrImage').count()).toBe(0);
    await expectSanitisedLoginText(page, false);
    await submitAndExpectReturn(page, await codeFor(enrolment, 1), upn, state);

    expect(problems.all()).toEqual([]);
    await page.close();
  });
});

// ---------------------------------------------------------------------------------------------
// The demo (serve --demo): /demo mints the request, /demo/done verifies the response

describe('demo routes in the browser', () => {
  it('signs in a demo user from /demo and lands on /demo/done', async () => {
    const { context, problems } = await newContext('en-GB');
    try {
      const page = await context.newPage();
      const demo = await page.goto(`${node.base}/demo`);
      expect(demo?.status()).toBe(200);
      expectSelfContainedCsp(demo);
      await Promise.all([
        page.waitForURL((u) => u.pathname === '/mfa', { timeout: 15_000 }),
        page.locator('#demoUsers button').first().click(),
      ]);
      await expectDocument(page, 'en');
      const enrolment = await readEnrolment(page, 'en');
      const post = await submitCode(page, await codeFor(enrolment));
      expect(post.status).toBe(303);
      await page.waitForURL((u) => u.pathname === '/demo/done', { timeout: 15_000 });
      expect(await page.locator('#signedIn').textContent()).toContain(DEMO_USER);
      await page.screenshot({ path: join(shots, 'success-en.png'), fullPage: true });
      expect(problems.all()).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('screenshots', () => {
  it('wrote the enrolment and code pages of en, de and ar as PNG files', async () => {
    for (const kind of ['enrol', 'code']) {
      for (const lang of ['en', 'de', 'ar']) {
        const file = join(shots, `${kind}-${lang}.png`);
        const info = await stat(file);
        expect(info.size).toBeGreaterThan(5_000);
        expect(info.mtimeMs).toBeGreaterThanOrEqual(runStartedMs - 1_000);
        const head = (await readFile(file)).subarray(0, 8);
        expect(head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(
          true,
        );
      }
    }
  });
});
