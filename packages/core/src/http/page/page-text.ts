/**
 * The hosted page's strings, from the i18n catalogue (all 17 languages).
 *
 * Everything returned is HTML-escaped. Inserted values (an e-mail address, a time, a UPN) are
 * wrapped in `<bdi>` so that they keep their own direction on the right-to-left Arabic page.
 *
 * @module http
 */
import { escapeHtml } from '../../i18n/escape-html.js';
import type { MessageKey } from '../../i18n/messages.js';
import { t } from '../../i18n/t.js';

/** Any key the page uses. */
export type PageKey = MessageKey;

/** Param values: strings are wrapped in `<bdi>`, numbers (plural counts) are passed as numbers. */
export type PageParams = Readonly<Record<string, string | number>>;

const SENTINEL = (i: number): string => `\u0000${i}\u0000`;

/**
 * Translate a page key into escaped HTML, inserting string params as `<bdi>` elements.
 *
 * @param lang - a supported language
 * @param key - a catalogue key
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
  const text = (t as (l: string, k: string, p: Record<string, string | number>) => string)(
    lang,
    key,
    placeholders,
  );
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
 * @param key - a catalogue key (no params)
 * @returns the text
 */
export function pageText(lang: string, key: PageKey): string {
  return (t as (l: string, k: string) => string)(lang, key);
}
