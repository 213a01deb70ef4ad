/**
 * Writing direction, for `<html dir>` and for deciding where inserted Latin text (an e-mail
 * address, a time) needs bidi isolation.
 *
 * @module i18n
 */
import { LANGUAGE_INFO, type SupportedLanguage } from './languages.js';
import { resolveLanguage } from './resolve-language.js';

/**
 * The writing direction of a language.
 *
 * @param lang - a supported language, or any identifier {@link resolveLanguage} accepts
 *   (`'ar-EG'`); unknown languages are English, so `'ltr'`
 * @returns `'rtl'` for Arabic, `'ltr'` for every other supported language
 * @throws {TypeError} when `lang` is not a string
 * @example
 * ```ts
 * textDirection('ar'); // 'rtl'
 * textDirection('de'); // 'ltr'
 * ```
 */
export function textDirection(lang: SupportedLanguage | string): 'ltr' | 'rtl' {
  return LANGUAGE_INFO[resolveLanguage(lang) ?? 'en'].dir;
}

/**
 * Whether a language is written right to left.
 *
 * @param lang - a supported language, or any identifier {@link resolveLanguage} accepts
 * @returns true for Arabic (`ar`, `ar-SA`, LCID `1025`…), false otherwise
 * @throws {TypeError} when `lang` is not a string
 * @example
 * ```ts
 * isRightToLeft('ar'); // true
 * isRightToLeft('lt'); // false
 * ```
 */
export function isRightToLeft(lang: SupportedLanguage | string): boolean {
  return textDirection(lang) === 'rtl';
}
