/**
 * The hosted page's strings: the i18n catalogue for every key it has, and an English fallback
 * for the few page keys it does not have yet (reported to the i18n owner). As soon as a key is
 * added to the catalogue, the catalogue's translation is used — no change here needed.
 *
 * Everything returned is HTML-escaped. Inserted values (an e-mail address, a time, a UPN) are
 * wrapped in `<bdi>` so that they keep their own direction on the right-to-left Arabic page.
 *
 * @module http
 */
import { escapeHtml } from '../../i18n/escape-html.js';
import { isMessageKey, type MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';

/** Page keys the catalogue may not have yet, with their English text. */
export const PAGE_FALLBACK_TEXT = {
  'page.invalid_request':
    'This sign-in link is not valid. Return to the application and sign in again.',
  'page.request_expired':
    'This sign-in link has expired. Return to the application and sign in again.',
  'page.start_again': 'Start again',
  'page.bad_request': 'The request could not be processed.',
  'demo.title': 'SecureMFA demo',
  'demo.intro': 'Choose a demo user to try the sign-in page.',
  'demo.sign_in_as': 'Sign in as {account}',
  'demo.signed_in': 'Signed in as {account} with one-time passcode.',
  'demo.try_again': 'Try again',
  'demo.no_users': 'No demo users are configured.',
} as const;

/** A key the page uses that may be missing from the catalogue. */
export type FallbackKey = keyof typeof PAGE_FALLBACK_TEXT;

/** Any key the page uses. */
export type PageKey = MessageKey | FallbackKey;

/** Param values: strings are wrapped in `<bdi>`, numbers (plural counts) are passed as numbers. */
export type PageParams = Readonly<Record<string, string | number>>;

const SENTINEL = (i: number): string => `\u0000${i}\u0000`;

/**
 * Translate a page key into escaped HTML, inserting string params as `<bdi>` elements.
 *
 * @param lang - a supported language
 * @param key - a catalogue key or a {@link FallbackKey}
 * @param params - placeholder values (strings are user-facing values: a UPN, an address, a time)
 * @returns HTML-safe text
 * @throws {TypeError} as `t()` (missing params)
 * @example
 * ```ts
 * pageHtml('en', 'outcome.locked', { time: '3:07 PM' });
 * // 'Too many failed attempts. Your account is locked until <bdi>3:07 PM</bdi>.'
 * ```
 */
export function pageHtml(lang: string, key: PageKey, params: PageParams = {}): string {
  const names = Object.keys(params);
  // Strings become sentinels so the template can be escaped on its own and the values, escaped
  // separately, put back inside <bdi>. Numbers stay numbers: t() formats them and picks plurals.
  const placeholders: Record<string, string | number> = {};
  names.forEach((name, i) => {
    const value = params[name];
    placeholders[name] = typeof value === 'number' ? value : SENTINEL(i);
  });
  let text: string;
  if (isMessageKey(key)) {
    text = (t as (l: string, k: string, p: Record<string, string | number>) => string)(
      lang,
      key,
      placeholders,
    );
  } else {
    const template: string = PAGE_FALLBACK_TEXT[key];
    text = template.replace(/\{([a-zA-Z_][a-zA-Z0-9_]*)\}/g, (match, name: string) => {
      const value = placeholders[name];
      if (value === undefined) throw new TypeError(`pageHtml("${key}"): missing param "${name}"`);
      return String(value);
    });
  }
  // eslint-disable-next-line no-control-regex
  return escapeHtml(text).replace(/\u0000(\d+)\u0000/g, (_m, i: string) => {
    const value = params[names[Number(i)] ?? ''];
    return `<bdi>${escapeHtml(String(value))}</bdi>`;
  });
}

/**
 * Translate a page key into plain (unescaped) text, e.g. for a `<title>` built elsewhere.
 *
 * @param lang - a supported language
 * @param key - a catalogue key or a {@link FallbackKey} (no params)
 * @returns the text
 */
export function pageText(lang: string, key: PageKey): string {
  if (isMessageKey(key)) return (t as (l: string, k: string) => string)(lang, key);
  return PAGE_FALLBACK_TEXT[key];
}
