/**
 * Times of day and numbers for the `{time}`, `{seconds}` and `{digits}` placeholders, in the
 * user's language with `Intl` (CLDR data built into Node).
 *
 * Digits are always Latin (`numberingSystem: 'latn'`), also in Arabic: the codes users type are
 * ASCII digits, and a page mixing ٣ and 3 is harder to read than one that does not.
 *
 * @module i18n
 */
import { LANGUAGE_INFO, type SupportedLanguage } from './languages.js';
import { resolveLanguage } from './resolve-language.js';

const timeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<SupportedLanguage, Intl.NumberFormat>();

/** The supported language for `lang`; unknown identifiers are English (as everywhere here). */
function languageOf(lang: string): SupportedLanguage {
  return resolveLanguage(lang) ?? 'en';
}

/**
 * Format the time of day for "valid until {time}" and "locked until {time}": hours and minutes
 * in the language's own short pattern (`09:07` in German, `9:07 AM`, `9.07` in Finnish), no date — codes live for minutes,
 * lockouts for `ui_lockout_minutes`.
 *
 * @param date - the instant
 * @param lang - a supported language or any identifier `resolveLanguage` accepts; unknown → en
 * @param timeZone - an IANA zone (`'Europe/Vilnius'`) or `'UTC'`; default: the process's zone
 * @returns the formatted time
 * @throws {TypeError} when `date` is not a valid Date or `lang` is not a string
 * @throws {RangeError} when `timeZone` is not a zone `Intl` knows
 * @example
 * ```ts
 * const at = new Date('2026-03-14T13:07:00Z');
 * formatTime(at, 'de', 'UTC');            // '13:07'
 * formatTime(at, 'en', 'UTC');            // '1:07 PM'
 * formatTime(at, 'fi', 'Europe/Helsinki'); // '15.07'
 * ```
 */
export function formatTime(
  date: Date,
  lang: SupportedLanguage | string,
  timeZone?: string,
): string {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError('"date" must be a valid Date');
  }
  if (timeZone !== undefined && typeof timeZone !== 'string') {
    throw new TypeError(`"timeZone" must be a string or undefined, got ${typeof timeZone}`);
  }
  const language = languageOf(lang);
  const cacheKey = `${language}\u0000${timeZone ?? ''}`;
  let format = timeFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(LANGUAGE_INFO[language].tag, {
      timeStyle: 'short',
      numberingSystem: 'latn',
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    // Bounded: 17 languages × the zones an operator configures (usually one).
    if (timeFormats.size < 1024) timeFormats.set(cacheKey, format);
  }
  return format.format(date);
}

/**
 * Format a number param (`{seconds}`, `{digits}`) in the language's convention, Latin digits.
 *
 * @param value - a finite number
 * @param lang - a supported language or any identifier `resolveLanguage` accepts; unknown → en
 * @returns the formatted number (`'1.500'` in German, `'60'` in Arabic)
 * @throws {TypeError} when `value` is not a finite number or `lang` is not a string
 * @example
 * ```ts
 * formatNumber(1000, 'de'); // '1.000'
 * formatNumber(60, 'ar');   // '60'
 * ```
 */
export function formatNumber(value: number, lang: SupportedLanguage | string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`"value" must be a finite number, got ${String(value)}`);
  }
  const language = languageOf(lang);
  let format = numberFormats.get(language);
  if (format === undefined) {
    format = new Intl.NumberFormat(LANGUAGE_INFO[language].tag, { numberingSystem: 'latn' });
    numberFormats.set(language, format);
  }
  return format.format(value);
}
