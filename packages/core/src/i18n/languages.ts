/**
 * The 17 languages of the user interface and what the rest of the code needs to know about each
 * one: its BCP 47 tag for `Intl` and the HTML `lang` attribute, its Windows LCID (AD FS speaks
 * LCIDs) and its writing direction.
 *
 * @see seed 002 "Multi-language UI: English, Spanish, French, German, Chinese, Portuguese,
 *   Russian, Italian, Arabic, Turkish, Dutch, Finnish, Swedish, Norwegian, Polish, Danish and
 *   Lithuanian"
 * @module i18n
 */

/** Every supported language, as the short code used in config, contexts and the wire contract. */
export const SUPPORTED_LANGUAGES = [
  'en',
  'es',
  'fr',
  'de',
  'zh',
  'pt',
  'ru',
  'it',
  'ar',
  'tr',
  'nl',
  'fi',
  'sv',
  'nb',
  'pl',
  'da',
  'lt',
] as const;

/** One of {@link SUPPORTED_LANGUAGES}. */
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

/** The language used when nothing better is known (and the source of truth for every string). */
export const DEFAULT_LANGUAGE: SupportedLanguage = 'en';

/** What is known about one supported language. */
export interface LanguageInfo {
  /**
   * BCP 47 tag for `Intl` and `<html lang>`: the short code, except `zh-Hans` (the catalogue is
   * Simplified Chinese) and `pt-BR` (the catalogue follows Brazilian usage, understood in Portugal).
   */
  readonly tag: string;
  /** The Windows locale ID AD FS reports for the language's main region (`1031` = de-DE). */
  readonly lcid: number;
  /** Writing direction, for `<html dir>`. */
  readonly dir: 'ltr' | 'rtl';
}

/** The facts of every supported language. */
export const LANGUAGE_INFO: Readonly<Record<SupportedLanguage, LanguageInfo>> = Object.freeze({
  en: { tag: 'en', lcid: 1033, dir: 'ltr' },
  es: { tag: 'es', lcid: 3082, dir: 'ltr' },
  fr: { tag: 'fr', lcid: 1036, dir: 'ltr' },
  de: { tag: 'de', lcid: 1031, dir: 'ltr' },
  zh: { tag: 'zh-Hans', lcid: 2052, dir: 'ltr' },
  pt: { tag: 'pt-BR', lcid: 1046, dir: 'ltr' },
  ru: { tag: 'ru', lcid: 1049, dir: 'ltr' },
  it: { tag: 'it', lcid: 1040, dir: 'ltr' },
  ar: { tag: 'ar', lcid: 1025, dir: 'rtl' },
  tr: { tag: 'tr', lcid: 1055, dir: 'ltr' },
  nl: { tag: 'nl', lcid: 1043, dir: 'ltr' },
  fi: { tag: 'fi', lcid: 1035, dir: 'ltr' },
  sv: { tag: 'sv', lcid: 1053, dir: 'ltr' },
  nb: { tag: 'nb', lcid: 1044, dir: 'ltr' },
  pl: { tag: 'pl', lcid: 1045, dir: 'ltr' },
  da: { tag: 'da', lcid: 1030, dir: 'ltr' },
  lt: { tag: 'lt', lcid: 1063, dir: 'ltr' },
});

const SUPPORTED = new Set<string>(SUPPORTED_LANGUAGES);

/**
 * Whether a value is exactly one of the supported short codes (no aliasing, no region fallback;
 * use {@link resolveLanguage} for that).
 *
 * @param value - anything
 * @returns true for `'en'`, `'nb'`…, false for `'no'`, `'de-AT'`, `'EN'` or a non-string
 * @example
 * ```ts
 * isSupportedLanguage('lt'); // true
 * isSupportedLanguage('no'); // false — resolveLanguage('no') is 'nb'
 * ```
 */
export function isSupportedLanguage(value: unknown): value is SupportedLanguage {
  return typeof value === 'string' && SUPPORTED.has(value);
}
