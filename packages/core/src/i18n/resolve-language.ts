/**
 * Map one language identifier — a BCP 47 tag, a POSIX locale or a Windows LCID — onto a
 * supported language, by RFC 4647 §3.4 "lookup": drop subtags from the end until a supported
 * tag remains. Since every supported language is a bare primary subtag, that is the primary
 * subtag after aliasing.
 *
 * @see RFC 4647 §3.4 (lookup), RFC 5646 §2.1 (tag syntax)
 * @module i18n
 */
import { SUPPORTED_LANGUAGES, type SupportedLanguage } from './languages.js';

/**
 * Primary subtags that mean a supported language under another name. Norwegian: `no` is the
 * macrolanguage, `nn` (Nynorsk) readers read Bokmål, which is the only Norwegian catalogue.
 */
const ALIASES: ReadonlyMap<string, SupportedLanguage> = new Map([
  ['no', 'nb'],
  ['nn', 'nb'],
]);

/**
 * Windows primary language IDs (the low 10 bits of an LCID), so that every regional variant
 * AD FS may report resolves: 3079 (de-AT) → 0x07 → de, 2068 (nn-NO) → 0x14 → nb.
 */
const LCID_PRIMARY: ReadonlyMap<number, SupportedLanguage> = new Map([
  [0x09, 'en'],
  [0x0a, 'es'],
  [0x0c, 'fr'],
  [0x07, 'de'],
  [0x04, 'zh'],
  [0x16, 'pt'],
  [0x19, 'ru'],
  [0x10, 'it'],
  [0x01, 'ar'],
  [0x1f, 'tr'],
  [0x13, 'nl'],
  [0x0b, 'fi'],
  [0x1d, 'sv'],
  [0x14, 'nb'],
  [0x15, 'pl'],
  [0x06, 'da'],
  [0x27, 'lt'],
]);

const SUPPORTED = new Set<string>(SUPPORTED_LANGUAGES);

/** Longer input than any real tag or locale is refused without being scanned. */
const MAX_LENGTH = 64;

/**
 * Resolve a language identifier to a supported language.
 *
 * Accepts, case-insensitively: BCP 47 tags (`de-AT` → de, `zh-Hans-CN` → zh, `pt-BR` → pt,
 * `no`/`nn`/`nb-NO` → nb), POSIX locales as a PAM module sees them in `LANG`
 * (`nb_NO.UTF-8`, `de_DE@euro`) and decimal Windows LCIDs as AD FS reports them (`1031`,
 * `3079`). Chinese in any script resolves to the Simplified catalogue, the only one there is.
 *
 * @param identifier - the tag, locale or LCID
 * @returns the supported language, or undefined when there is none for it
 * @throws {TypeError} when `identifier` is not a string
 * @example
 * ```ts
 * resolveLanguage('de-AT');       // 'de'
 * resolveLanguage('nn');          // 'nb'
 * resolveLanguage('sv_SE.UTF-8'); // 'sv'
 * resolveLanguage('1063');        // 'lt'
 * resolveLanguage('ja');          // undefined
 * ```
 */
export function resolveLanguage(identifier: string): SupportedLanguage | undefined {
  if (typeof identifier !== 'string') {
    throw new TypeError(`"identifier" must be a string, got ${typeof identifier}`);
  }
  const text = identifier.trim();
  if (text.length === 0 || text.length > MAX_LENGTH) return undefined;
  if (/^\d{1,5}$/.test(text)) return LCID_PRIMARY.get(Number(text) & 0x3ff);
  // POSIX: language[_territory][.codeset][@modifier]
  const tag = text
    .replace(/[.@].*$/, '')
    .replace(/_/g, '-')
    .toLowerCase();
  if (!/^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/.test(tag)) return undefined;
  const primary = tag.split('-', 1)[0] ?? '';
  const aliased = ALIASES.get(primary) ?? primary;
  return SUPPORTED.has(aliased) ? (aliased as SupportedLanguage) : undefined;
}
