// Headless Chromium for the browser suites: the Debian `chromium` binary (or CHROMIUM_PATH)
// driven by playwright-core. A missing binary is a FAILED test with a message saying what to
// install — never a skipped one. Also: where screenshots go, and a watcher that collects what a
// page must not produce (console errors, CSP violations, uncaught errors, dialogs).
import { constants as fsConstants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The browser the suites drive. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of the suites: `<repo>/test-output/browser/` (gitignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/browser/', import.meta.url));

const INSTALL_HINT =
  'install it: apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome binary';

/**
 * Launch headless Chromium, failing with a clear message when the binary is missing or does
 * not start.
 *
 * @returns the browser (close it in afterAll)
 */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH, fsConstants.X_OK);
  } catch {
    throw new Error(
      `headless Chromium is required by the browser tests but "${CHROMIUM_PATH}" does not exist or is not executable: ${INSTALL_HINT}`,
    );
  }
  try {
    return await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox'],
      timeout: 30_000,
    });
  } catch (err) {
    throw new Error(
      `headless Chromium at "${CHROMIUM_PATH}" did not start: ${(err as Error).message}\n${INSTALL_HINT}`,
    );
  }
}

/** The screenshot folder, created when missing. */
export async function screenshotDir(): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  return SCREENSHOT_DIR;
}

/** What a page did that it must not. */
export interface PageProblems {
  /** Console errors and warnings, CSP violations among them (Chromium logs them as errors). */
  console: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** alert/confirm/prompt dialogs (dismissed). */
  dialogs: string[];
  /** Requests that failed, other than navigations the test itself aborted. */
  failedRequests: string[];
  /** Everything above, for one `toEqual([])`. */
  all(): string[];
}

/**
 * Watch every page of a context for console errors/warnings, CSP violations, uncaught errors,
 * dialogs and failed requests.
 *
 * @param context - a fresh browser context
 * @returns the collected problems (live arrays)
 */
export function watchContext(context: BrowserContext): PageProblems {
  const problems: PageProblems = {
    console: [],
    pageErrors: [],
    dialogs: [],
    failedRequests: [],
    all() {
      return [
        ...this.console.map((m) => `console: ${m}`),
        ...this.pageErrors.map((m) => `pageerror: ${m}`),
        ...this.dialogs.map((m) => `dialog: ${m}`),
        ...this.failedRequests.map((m) => `requestfailed: ${m}`),
      ];
    },
  };
  const watch = (page: Page): void => {
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') {
        problems.console.push(`[${msg.type()}] ${msg.text()} (${msg.location().url})`);
      }
    });
    page.on('pageerror', (err) => problems.pageErrors.push(err.message));
    page.on('dialog', (dialog) => {
      problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('requestfailed', (request) => {
      problems.failedRequests.push(
        `${request.method()} ${request.url()}: ${request.failure()?.errorText ?? '?'}`,
      );
    });
  };
  context.on('page', watch);
  for (const page of context.pages()) watch(page);
  return problems;
}

/**
 * Every source in a CSP header that points outside the page's own origin: anything but the
 * keywords `'self'`/`'none'` and the `data:` scheme (allowed for the QR image only).
 *
 * @param csp - the header value
 * @returns directive → offending sources (empty object when the policy is self-contained)
 */
export function externalCspSources(csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const directive of csp.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name === undefined || name === '') continue;
    const bad = sources.filter(
      (s) => s !== "'self'" && s !== "'none'" && !(name === 'img-src' && s === 'data:'),
    );
    if (bad.length > 0) out[name] = bad;
  }
  return out;
}

/**
 * The CSP directives as a map (directive name → sources).
 *
 * @param csp - the header value
 * @returns the parsed policy
 */
export function parseCsp(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const directive of csp.split(';')) {
    const [name, ...sources] = directive.trim().split(/\s+/);
    if (name !== undefined && name !== '') map.set(name.toLowerCase(), sources);
  }
  return map;
}
