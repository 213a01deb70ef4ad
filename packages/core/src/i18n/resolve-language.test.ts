import { describe, expect, it } from '@jest/globals';
import { LANGUAGE_INFO, SUPPORTED_LANGUAGES, isSupportedLanguage } from './languages.js';
import { resolveLanguage } from './resolve-language.js';

describe('resolveLanguage', () => {
  it.each([
    ['en', 'en'],
    ['de-AT', 'de'],
    ['DE-at', 'de'],
    ['zh-Hans-CN', 'zh'],
    ['zh-Hant-TW', 'zh'],
    ['pt-BR', 'pt'],
    ['no', 'nb'],
    ['nn', 'nb'],
    ['nb-NO', 'nb'],
    ['  lt  ', 'lt'],
    // POSIX locales (a PAM module's LANG)
    ['sv_SE.UTF-8', 'sv'],
    ['de_DE@euro', 'de'],
    ['nn_NO.UTF-8', 'nb'],
    // Windows LCIDs (AD FS): main regions and other regions of the same language
    ['1033', 'en'],
    ['2057', 'en'],
    ['3082', 'es'],
    ['1034', 'es'],
    ['3079', 'de'],
    ['2052', 'zh'],
    ['1028', 'zh'],
    ['2070', 'pt'],
    ['2068', 'nb'],
    ['14337', 'ar'],
  ] as const)('%j → %s', (identifier, want) => {
    expect(resolveLanguage(identifier)).toBe(want);
  });

  it.each([
    '',
    'ja',
    'he',
    'C',
    'POSIX',
    'toString',
    'constructor',
    '__proto__',
    'de--AT',
    '-de',
    '1041',
    '0',
    '127',
    'x'.repeat(65),
    'de-'.repeat(30),
  ])('has nothing for %j', (identifier) => {
    expect(resolveLanguage(identifier)).toBeUndefined();
  });

  it('refuses a non-string identifier', () => {
    expect(() => resolveLanguage(1031 as unknown as string)).toThrow(
      new TypeError('"identifier" must be a string, got number'),
    );
  });
});

describe('the language table', () => {
  it('maps every supported language to itself and knows only those', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      expect(resolveLanguage(lang)).toBe(lang);
      expect(isSupportedLanguage(lang)).toBe(true);
    }
    expect(isSupportedLanguage('no')).toBe(false);
    expect(isSupportedLanguage('EN')).toBe(false);
    expect(isSupportedLanguage(42)).toBe(false);
  });

  it('has locale data in this Node for every language tag (full ICU)', () => {
    for (const lang of SUPPORTED_LANGUAGES) {
      const { tag } = LANGUAGE_INFO[lang];
      expect(Intl.DateTimeFormat.supportedLocalesOf([tag])).toEqual([tag]);
      expect(Intl.PluralRules.supportedLocalesOf([tag])).toEqual([tag]);
    }
  });

  it('has a distinct LCID per language and marks only Arabic right to left', () => {
    const lcids = SUPPORTED_LANGUAGES.map((lang) => LANGUAGE_INFO[lang].lcid);
    expect(new Set(lcids).size).toBe(17);
    expect(SUPPORTED_LANGUAGES.filter((lang) => LANGUAGE_INFO[lang].dir === 'rtl')).toEqual(['ar']);
  });
});
