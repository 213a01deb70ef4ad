/**
 * Choose the language to answer in, from an explicit choice (the adapter's `lang`, a language
 * picker, a PAM module's `LANG`) and the browser's `Accept-Language` header.
 *
 * @see RFC 9110 §12.5.4 (Accept-Language), §12.4.2 (quality values)
 * @see RFC 4647 §2.1 (language ranges), §3.4 (lookup)
 * @module i18n
 */
import { DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, type SupportedLanguage } from './languages.js';
import { resolveLanguage } from './resolve-language.js';

/** Longer headers are read up to here: no real browser sends more; this bounds the work. */
const MAX_HEADER_LENGTH = 4096;
/** At most this many ranges are considered, for the same reason. */
const MAX_RANGES = 64;

/** RFC 4647 §2.1 language-range: `*` or 1*8ALPHA *("-" 1*8alphanum). */
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/i;
/** RFC 9110 §12.4.2 qvalue: 0 … 1 with at most three decimals. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** One parsed Accept-Language entry. */
interface WeightedRange {
  range: string;
  q: number;
  /** Position in the header, to keep the sender's order between equal weights. */
  index: number;
}

/**
 * Parse an Accept-Language value into ranges with weights, dropping malformed entries (a bad
 * range or a bad `q`) rather than the whole header, as the robustness principle suggests.
 */
function parseAcceptLanguage(header: string): WeightedRange[] {
  const ranges: WeightedRange[] = [];
  for (const entry of header.slice(0, MAX_HEADER_LENGTH).split(',')) {
    if (ranges.length >= MAX_RANGES) break;
    const [rawRange = '', ...params] = entry.split(';');
    const range = rawRange.trim().toLowerCase();
    if (!LANGUAGE_RANGE.test(range)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const eq = param.indexOf('=');
      const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
      if (name !== 'q') continue; // RFC 9110 defines only q; other parameters are ignored
      const value = eq < 0 ? '' : param.slice(eq + 1).trim();
      if (!QVALUE.test(value)) valid = false;
      else q = Number(value);
    }
    if (valid) ranges.push({ range, q, index: ranges.length });
  }
  return ranges;
}

/** The supported language a (non-wildcard) range asks for, by lookup (RFC 4647 §3.4). */
function rangeLanguage(range: string): SupportedLanguage | undefined {
  return range === '*' ? undefined : resolveLanguage(range);
}

/**
 * Negotiate the response language.
 *
 * 1. An explicit choice wins when it names a supported language (tag, alias, POSIX locale or
 *    LCID — see {@link resolveLanguage}); an unknown explicit value is ignored, not an error.
 * 2. Otherwise the `Accept-Language` ranges are tried by descending `q` (header order breaks
 *    ties). A range matches by lookup: `de-AT` → de, `zh-Hans-CN`/`zh-TW` → zh, `pt-BR` → pt,
 *    `no`/`nn`/`nb-NO` → nb. `*` stands for any language the header does not name otherwise:
 *    English when English is not named, else the first such supported language. A range with
 *    `q=0` means "not acceptable": that language is never chosen from the header.
 * 3. Otherwise English. Malformed entries are skipped; nothing here throws on header content.
 *
 * @param acceptLanguageHeader - the raw `Accept-Language` value, if the request had one
 * @param explicit - an explicit choice (form field, adapter `lang`, `LANG`), if any
 * @returns a supported language, always
 * @throws {TypeError} when an argument is neither a string nor undefined
 * @example
 * ```ts
 * negotiateLanguage('de-AT,de;q=0.9,en;q=0.8');   // 'de'
 * negotiateLanguage('ja, pt-BR;q=0.5');           // 'pt'
 * negotiateLanguage('fr;q=0.2, nl;q=0.7');        // 'nl'
 * negotiateLanguage('de', 'ar');                  // 'ar'
 * negotiateLanguage(undefined, 'nn-NO');          // 'nb'
 * negotiateLanguage('x-klingon!!;;q=abc');        // 'en'
 * ```
 */
export function negotiateLanguage(
  acceptLanguageHeader?: string,
  explicit?: string,
): SupportedLanguage {
  for (const [name, value] of [
    ['acceptLanguageHeader', acceptLanguageHeader],
    ['explicit', explicit],
  ] as const) {
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`"${name}" must be a string or undefined, got ${typeof value}`);
    }
  }

  if (explicit !== undefined) {
    const chosen = resolveLanguage(explicit);
    if (chosen !== undefined) return chosen;
  }
  if (acceptLanguageHeader === undefined) return DEFAULT_LANGUAGE;

  const ranges = parseAcceptLanguage(acceptLanguageHeader);
  const excluded = new Set<SupportedLanguage>();
  const named = new Set<SupportedLanguage>();
  for (const { range, q } of ranges) {
    const lang = rangeLanguage(range);
    if (lang === undefined) continue;
    named.add(lang);
    // Only a range that names the language itself (`de`, `no`) excludes it: `de-AT;q=0` turns
    // down Austrian German, not German (RFC 4647 basic filtering: `de-AT` does not match `de`).
    if (q === 0 && !range.includes('-')) excluded.add(lang);
  }

  const preferred = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { range } of preferred) {
    if (range === '*') {
      const any = [DEFAULT_LANGUAGE, ...SUPPORTED_LANGUAGES].find(
        (lang) => !named.has(lang) && !excluded.has(lang),
      );
      if (any !== undefined) return any;
      continue;
    }
    const lang = rangeLanguage(range);
    if (lang !== undefined && !excluded.has(lang)) return lang;
  }
  return DEFAULT_LANGUAGE;
}
